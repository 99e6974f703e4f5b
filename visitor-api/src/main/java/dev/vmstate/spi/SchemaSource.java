package dev.vmstate.spi;

import dev.vmstate.schema.Schema;

/**
 * Where a schema-less reader (legacy) finds the layout of a section it is about to read: the
 * stream's own description trailer, the device registry, a schema file, or several of these in
 * order ({@link #or(SchemaSource)}).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SchemaSource {
    /** Knows nothing. */
    SchemaSource NONE = (idstr, instanceId, version) -> null;

    /** The schema of section {@code idstr}/{@code instanceId} at {@code version}, or {@code null} when unknown. */
    Schema find(String idstr, int instanceId, int version);

    /** This source, then {@code other} for what this one does not know. */
    default SchemaSource or(SchemaSource other) {
        return (idstr, instanceId, version) -> {
            Schema s = find(idstr, instanceId, version);
            return s != null ? s : other.find(idstr, instanceId, version);
        };
    }
}
