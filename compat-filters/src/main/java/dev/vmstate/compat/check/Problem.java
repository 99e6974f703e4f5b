package dev.vmstate.compat.check;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One change between two builds of a device type that no compat step accounts for, as the
 * {@link CompatChecker} reports it. Immutable and thread-safe.
 *
 * @param severity whether it makes the builds incompatible
 * @param rule     the rule that found it
 * @param type     the device type
 * @param versions the versions of the type it was found at, ascending (one problem found at
 *                 several versions is reported once); for a problem about the type as a whole,
 *                 the version in question (e.g. the version the writer writes)
 * @param path     the member, from the device's root struct, names joined with {@code .}
 *                 ({@code state.serial/tsr.thr}); {@code ""} for the type as a whole
 * @param message  one line, lower case, no final period; says what OLD and NEW have
 * @since 0.1
 */
public record Problem(Severity severity, Rule rule, String type, List<Integer> versions, String path,
                      String message) {

    public Problem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(type, "type");
        versions = List.copyOf(versions);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("a problem needs at least one version");
        }
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** The newest of {@link #versions()}: the one current streams use. */
    public int version() {
        return versions.get(versions.size() - 1);
    }

    /** True for an {@link Severity#ERROR}. */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code v3}, {@code v1-3} for a run, {@code v1,3} otherwise. */
    public String renderVersions() {
        int first = versions.get(0);
        int last = version();
        if (versions.size() > 1 && last - first == versions.size() - 1) {
            return "v" + first + "-" + last;
        }
        return "v" + versions.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /**
     * The problem as one line of the checker's output, like QEMU's checker prints one per problem:
     * {@code error: vs-pci-nic v3 ctrl: narrowed from uint32 in OLD to uint16 in NEW ... [type-narrowed]}.
     */
    public String render() {
        return severity.id() + ": " + type + " " + renderVersions() + (path.isEmpty() ? "" : " " + path) + ": "
                + message + " [" + rule.id() + "]";
    }

    @Override
    public String toString() {
        return render();
    }
}
