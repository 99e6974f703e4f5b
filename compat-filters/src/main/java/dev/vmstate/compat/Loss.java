package dev.vmstate.compat;

import dev.vmstate.error.LossyDowngradeException;
import dev.vmstate.tree.StateTree;

/**
 * A value that a conversion to another version could not carry: where it was, what it was, the
 * version converted to, and which operation dropped or changed it and why.
 *
 * <p>Immutable and thread-safe.
 *
 * @param path          the value's path from the device, as {@code mc146818rtc.base_rtc}
 * @param value         the value as it was ({@code null}: a section that was absent)
 * @param targetVersion the version being converted to
 * @param what          the step, the operation and the reason
 * @since 0.1
 */
public record Loss(String path, StateTree value, int targetVersion, String what) {

    /** The exception a conversion that does not allow loss throws for this loss. */
    LossyDowngradeException exception(String direction) {
        LossyDowngradeException e = new LossyDowngradeException(direction + " to version " + targetVersion
                + " would lose " + Add.show(value) + ": " + what, value, targetVersion);
        e.prependField(path);
        return e;
    }

    @Override
    public String toString() {
        return path + ": " + Add.show(value) + " lost for version " + targetVersion + " (" + what + ")";
    }
}
