package dev.vmstate.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.opentest4j.TestAbortedException;

/**
 * The folder of real QEMU 7.2 streams the QEMU tests read ({@code ../shared/qemu-streams}, issue
 * #7): the system property {@code vmstate.qemuStreams} when set, else {@code shared/qemu-streams}
 * in or beside a directory above the working directory (a module, the project, or a clone of it).
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class QemuStreamFixtures {
    /** The system property that names the folder. */
    public static final String PROPERTY = "vmstate.qemuStreams";

    private QemuStreamFixtures() {
    }

    /** The folder, or {@code null} when there is none. */
    public static Path find() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Files.isDirectory(Path.of(prop)) ? Path.of(prop) : null;
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            for (Path c : List.of(p.resolve("shared/qemu-streams"), p.resolveSibling("shared").resolve("qemu-streams"))) {
                if (Files.isDirectory(c)) {
                    return c;
                }
            }
        }
        return null;
    }

    /** The folder; when it is missing, skips the calling test, or fails it under CI ({@link ExternalTool#isCi()}). */
    public static Path dir() {
        Path d = find();
        if (d != null) {
            return d;
        }
        String why = "the real QEMU streams (../shared/qemu-streams, or -D" + PROPERTY + "=DIR) are missing";
        if (ExternalTool.isCi()) {
            throw new IllegalStateException(why + "; CI=true, so this fails");
        }
        throw new TestAbortedException(why + "; skipped outside CI");
    }
}
