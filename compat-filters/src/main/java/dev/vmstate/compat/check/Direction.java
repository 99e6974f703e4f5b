package dev.vmstate.compat.check;

/**
 * Which way a state travels between the two builds a {@link CompatChecker} compares, OLD (the
 * build before a change) and NEW (the build after it).
 *
 * @since 0.1
 */
public enum Direction {
    /**
     * OLD writes, NEW reads: can NEW load every stream OLD saves (at OLD's current version)?
     * This is an upgrade, and what QEMU's {@code vmstate-static-checker.py} checks by default.
     */
    FORWARD,
    /**
     * NEW writes, OLD reads: can NEW, downgrading through its chain, write what OLD loads? This
     * is a migration from NEW back to OLD ({@code --reverse}, as QEMU's checker has it).
     */
    REVERSE;

    /** {@code forward} or {@code reverse}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The build that writes the stream: {@code OLD} forward, {@code NEW} in reverse. */
    public String writer() {
        return this == FORWARD ? "OLD" : "NEW";
    }

    /** The build that reads the stream: {@code NEW} forward, {@code OLD} in reverse. */
    public String reader() {
        return this == FORWARD ? "NEW" : "OLD";
    }
}
