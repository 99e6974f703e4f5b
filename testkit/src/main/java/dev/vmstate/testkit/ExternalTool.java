package dev.vmstate.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.opentest4j.TestAbortedException;

/**
 * Finds an external program a test needs (QEMU, {@code openssl}, {@code python3} with a module).
 * On a developer's machine a missing tool skips the test; under CI ({@code CI=true}) it fails it,
 * because {@code .ci/run} installs every tool and a silent skip would hide a missing install step.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class ExternalTool {
    private ExternalTool() {
    }

    /** Whether this run is CI's ({@code CI=true} in the environment). */
    public static boolean isCi() {
        return isCi(System.getenv());
    }

    static boolean isCi(Map<String, String> env) {
        return "true".equalsIgnoreCase(env.getOrDefault("CI", ""));
    }

    /** The path of {@code command} on {@code PATH}, if any. */
    public static Optional<Path> find(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The path of {@code command}; when it is missing, skips the calling test, or fails it under CI.
     *
     * @param why what the test needs the tool for, and which package provides it
     */
    public static Path require(String command, String why) {
        return find(command).orElseThrow(() -> missing(command, why, isCi()));
    }

    static RuntimeException missing(String command, String why, boolean ci) {
        String message = "'" + command + "' is not on PATH (" + why + ")";
        if (ci) {
            return new IllegalStateException(message + "; CI=true, so a missing tool fails the test: install it in .ci/run");
        }
        return new TestAbortedException(message + "; skipped outside CI");
    }
}
