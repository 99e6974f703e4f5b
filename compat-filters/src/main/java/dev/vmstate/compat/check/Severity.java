package dev.vmstate.compat.check;

/**
 * How bad a {@link Problem} is. An {@link #ERROR} makes the two builds incompatible in the
 * direction checked; a {@link #WARNING} is compatible but worth a look (a section one side never
 * sends, a minimum version raised while the current streams still load).
 *
 * @since 0.1
 */
public enum Severity {
    /** Incompatible: some stream of one build fails to load, or loads wrongly, in the other. */
    ERROR,
    /** Compatible, but noteworthy. */
    WARNING;

    /** {@code error} or {@code warning}, as the checker's output spells it. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
