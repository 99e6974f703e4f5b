package dev.vmstate.spi;

import dev.vmstate.schema.Schema;
import dev.vmstate.visitor.Visitable;

/**
 * Chooses the object a device section is loaded into: the caller's device, or {@code null} for
 * a {@link dev.vmstate.tree.GenericState} that keeps the values as a tree.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface StateTargets {
    /** Every section into a generic tree. */
    StateTargets GENERIC = (idstr, instanceId, version, schema) -> null;

    Visitable target(String idstr, int instanceId, int version, Schema schema);
}
