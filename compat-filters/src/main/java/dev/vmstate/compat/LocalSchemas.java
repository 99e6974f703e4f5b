package dev.vmstate.compat;

import dev.vmstate.schema.Schema;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Remembers the struct schema an operation makes of the struct schema it is given, so that
 * converting many trees does not rebuild the same schema for each one (a move into a section
 * rebuilt a 30-member schema three times per tree). Schemas compare by identity: a chain hands
 * every tree the same stage schemas, so the hit needs no deep comparison. Operations compare by
 * value, because going down a chain makes a new inverse operation for every tree. Bounded: when
 * full, it starts again, which costs only the rebuilds.
 *
 * <p>Thread-safe.
 */
final class LocalSchemas {
    private static final int MAX_ENTRIES = 1024;
    private static final ConcurrentHashMap<Key, Schema> CACHE = new ConcurrentHashMap<>();

    private LocalSchemas() {
    }

    /** {@code make.apply(in)}, computed once per ({@code op}, {@code in}) pair of instances. */
    static Schema of(Operation op, Schema in, UnaryOperator<Schema> make) {
        Key k = new Key(op, in);
        Schema out = CACHE.get(k);
        if (out == null) {
            out = make.apply(in);
            if (CACHE.size() >= MAX_ENTRIES) {
                CACHE.clear();
            }
            CACHE.put(k, out);
        }
        return out;
    }

    /** An (operation, schema) pair: the operation by value, the schema by identity. */
    private static final class Key {
        private final Object op;
        private final Object schema;
        private final int hash;

        Key(Object op, Object schema) {
            this.op = op;
            this.schema = schema;
            this.hash = 31 * op.hashCode() + System.identityHashCode(schema);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.schema == schema && k.op.equals(op);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
