package dev.vmstate.format.protobuf;

import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.spi.Envelope;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Schemas encoded and decoded, shared by all writers and readers of the JVM (#5, as in
 * {@code cbor}): a stream carries each schema once, but a process that writes or reads many
 * streams of the same machine would otherwise encode, parse and fingerprint the same schemas for
 * every one of them.
 *
 * <p>Three small tables, each at most {@value #MAX_ENTRIES} entries (cleared when full, so a
 * process that makes schemas without end cannot grow them): the writer's encodings and the
 * reader's registry fingerprints keyed by schema instance, the reader's decoded schemas keyed by
 * the bytes of their {@code SchemaSpec}, compared in full, so a hit is exactly the schema those
 * bytes decode to. #5: exact tables rather than direct-mapped slots, because two schemas of one
 * machine sharing a slot would be recomputed on every stream, a SHA-256 or a parse each time.
 * Each look-up takes the table's lock once; the work it saves is done outside it.
 */
final class SchemaCache {
    private static final int MAX_ENTRIES = 4096;

    /** A schema's {@code SchemaSpec} bytes (of {@code SchemaJson.toMap}), with the hash of those bytes. */
    static final class Encoded {
        final Schema schema;
        final byte[] bytes;
        final int hash;
        /** {@link Envelope#fingerprint} of the schema alone, made on first use: a by-reference stream's schema record. */
        private volatile byte[] fingerprint;

        Encoded(Schema schema, byte[] bytes) {
            this.schema = schema;
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        /** The schema's fingerprint; the array is shared, never modify it. */
        byte[] fingerprint() {
            byte[] f = fingerprint;
            if (f == null) {
                f = Envelope.fingerprint(List.of(schema));
                fingerprint = f;
            }
            return f;
        }

        // Equal bytes are equal schemas (SchemaJson.toMap keeps everything), so a stream's table can be keyed by them.
        @Override
        public boolean equals(Object o) {
            return o instanceof Encoded e && e.hash == hash && Arrays.equals(e.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** A range of bytes as a key: a stored copy, or a probe into a record buffer that is never stored. */
    private static final class Bytes {
        final byte[] b;
        final int from;
        final int to;
        final int hash;

        Bytes(byte[] b, int from, int to) {
            this.b = b;
            this.from = from;
            this.to = to;
            this.hash = hash(b, from, to);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes k && k.hash == hash && Arrays.equals(k.b, k.from, k.to, b, from, to);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        /**
         * From the length and the first and last 48 bytes only (the schema's name and version
         * lead, its last member ends it): a collision costs a full comparison, not a wrong hit.
         */
        private static int hash(byte[] b, int from, int to) {
            int h = to - from;
            for (int i = from, stop = Math.min(to, from + 48); i < stop; i++) {
                h = 31 * h + b[i];
            }
            for (int i = Math.max(from + 48, to - 48); i < to; i++) {
                h = 31 * h + b[i];
            }
            return h;
        }
    }

    private static final Map<Schema, Encoded> WRITTEN = new IdentityHashMap<>();
    private static final Map<Bytes, Schema> READ = new HashMap<>();
    /** A reader's registry schemas with their fingerprints: what a by-reference record is checked against. */
    private static final Map<Schema, Encoded> RESOLVED = new IdentityHashMap<>();

    private SchemaCache() {
    }

    private static <K, V> V get(Map<K, V> table, K key) {
        synchronized (table) {
            return table.get(key);
        }
    }

    private static <K, V> void put(Map<K, V> table, K key, V value) {
        synchronized (table) {
            if (table.size() >= MAX_ENTRIES) {
                table.clear();
            }
            table.put(key, value);
        }
    }

    /** The encoding of {@code s}; fails (a {@code StreamWriteException}) on text UTF-8 cannot carry. */
    static Encoded encode(Schema s) {
        Encoded e = get(WRITTEN, s);
        if (e == null) {
            e = new Encoded(s, SchemaSpecs.spec(SchemaJson.toMap(s)).toByteArray());
            put(WRITTEN, s, e);
        }
        return e;
    }

    /**
     * The fingerprint of a schema a reader found in its registry, computed once per instance.
     * {@code check} runs on the schema when its entry is made, before the fingerprint is returned.
     */
    static byte[] resolved(Schema s, Consumer<Schema> check) {
        Encoded e = get(RESOLVED, s);
        if (e == null) {
            check.accept(s);
            e = new Encoded(s, new byte[0]);
            e.fingerprint();
            put(RESOLVED, s, e);
        }
        return e.fingerprint();
    }

    /** The schema a reader made from {@code buf[from, to)} before, or null. */
    static Schema decoded(byte[] buf, int from, int to) {
        return get(READ, new Bytes(buf, from, to));
    }

    /** Remembers that {@code buf[from, to)} decodes to {@code s}, which passed every limit-independent check. */
    static void remember(byte[] buf, int from, int to, Schema s) {
        put(READ, new Bytes(Arrays.copyOfRange(buf, from, to), 0, to - from), s);
    }
}
