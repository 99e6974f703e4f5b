package dev.vmstate.compat.check;

import java.util.Locale;

/**
 * What a {@link Problem} is about: one rule of the static checker. Each has a stable
 * {@link #id()} for scripts ({@code field-added}), used in the text and JSON output. The
 * severity is usually fixed; three rules depend on the case, as each constant says.
 * {@code docs/compat.md} ("Static checker") lists the rules next to QEMU's checks.
 *
 * @since 0.1
 */
public enum Rule {
    /** The writer has a device type the reader does not: the reader refuses its sections. Error. */
    TYPE_MISSING,
    /** The reader has a device type the writer does not; the device stays at its reset state. Warning. */
    TYPE_NOT_SENT,
    /**
     * The reader's version range ends below what the writer writes: forward, NEW's current
     * version is below OLD's; in reverse, NEW's current version is below OLD's minimum. Error.
     */
    VERSION_DECREASED,
    /**
     * The minimum version went up. Error when it cuts off the stream in question (forward: NEW's
     * minimum above OLD's current version; in reverse: NEW cannot downgrade to OLD's current
     * version); warning (forward only) when NEW merely stops reading versions OLD still reads.
     */
    MINIMUM_RAISED,
    /** Both builds call their current layout the same version, but the layouts differ incompatibly. Error. */
    NO_VERSION_BUMP,
    /** A field NEW has at a version and OLD does not, with no step that adds it. Error. */
    FIELD_ADDED,
    /** A field OLD has at a version and NEW does not, with no step that removes it. Error. */
    FIELD_REMOVED,
    /** A field in the same place with the same type under another name, with no rename step. Error. */
    FIELD_RENAMED,
    /** A field that moved into or out of a struct, section or list element, with no step. Error. */
    FIELD_MOVED,
    /** An integer field (or array element) whose NEW kind holds fewer values than its OLD kind (u32 to u16). Error. */
    TYPE_NARROWED,
    /** Any other change of a field's type: widened without a step, signedness, another kind. Error. */
    TYPE_CHANGED,
    /** A buffer's size, an array's length or a struct array's element count changed. Error. */
    SIZE_CHANGED,
    /** Fields (or sections) both builds have, in another order. Error. */
    ORDER_CHANGED,
    /** An enum code the writer may write that the reader's enum lacks. Error. */
    ENUM_CODE_UNKNOWN,
    /**
     * A section the writer may send and the reader lacks: a warning when it is optional (the
     * reader skips it), an error when it is must-understand ({@code Field.mustUnderstand()}).
     */
    SECTION_UNKNOWN,
    /** A section the reader has and the writer never sends: it reads as absent. Warning. */
    SECTION_NOT_SENT,
    /** A section whose version in the writer is newer than the reader's: the reader refuses it. Error. */
    SECTION_VERSION_NEWER,
    /** A step both builds have, with other operations, though the layouts it joins agree. Warning. */
    STEP_CHANGED;

    /** The rule's name in output: the constant in lower case with dashes, {@code field-added}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The rule whose {@link #id()} is {@code id}, or {@code null}. */
    public static Rule fromId(String id) {
        for (Rule r : values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }
}
