package dev.vmstate.format.cbor;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks on a schema read from a stream beyond what {@code SchemaJson} and {@code SchemaLimits}
 * check; the state itself is read by {@link CborLoadVisitor}.
 */
final class StateDecoder {
    private StateDecoder() {
    }

    /**
     * Checks what {@code SchemaJson} does not: member names unique within each struct, so that a
     * target's visit can be matched to the schema by name.
     */
    static void checkSchema(Schema s, String at) {
        Set<String> names = new HashSet<>();
        for (Field f : s.members()) {
            if (!names.add(f.name())) {
                throw CborErrors.badSchema(at + ": field name \"" + f.name() + "\" used twice in one struct");
            }
            if (f.struct() != null) {
                checkSchema(f.struct(), at + "." + f.name());
            }
        }
    }
}
