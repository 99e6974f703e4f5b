package dev.vmstate.compat;

import dev.vmstate.tree.StateTree.StructValue;
import java.util.List;

/**
 * The result of converting a device's state to another version: the converted tree and every
 * value that did not survive (empty unless the caller allowed loss).
 *
 * <p>Immutable and thread-safe.
 *
 * @param tree    the state in version {@code version}
 * @param version the version converted to
 * @param losses  the values dropped or changed, in the order the conversion met them
 * @since 0.1
 */
public record Conversion(StructValue tree, int version, List<Loss> losses) {

    public Conversion {
        losses = List.copyOf(losses);
    }

    /** True when every value survived. */
    public boolean lossless() {
        return losses.isEmpty();
    }
}
