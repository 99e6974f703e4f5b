package dev.vmstate.visitor;

/**
 * Something whose state is described by one {@link #visit(Visitor)} method: a device, or a struct
 * nested in one. The same method saves, loads, describes, clones and diffs.
 *
 * <p>Rules (see {@code docs/guides/device-author.md}): visit every field in the same order every
 * time; assign the return value of each visitor call back to the field; let the field set vary
 * only through list lengths and optional sections, never through a value.
 *
 * @since 0.1
 */
public interface Visitable {
    /** Describes this object's state to {@code v}, field by field, in a fixed order. */
    void visit(Visitor v);

    /**
     * The name of this struct's type in schemas (QEMU's {@code vmsd_name}), or {@code null} to use
     * the field name. Devices are named by their device type instead.
     */
    default String typeName() {
        return null;
    }

    /** The version of this struct's type in schemas (QEMU's nested vmsd version); 0 when unversioned. */
    default int typeVersion() {
        return 0;
    }
}
