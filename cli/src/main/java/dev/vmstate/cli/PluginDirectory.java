package dev.vmstate.cli;

import dev.vmstate.spi.Formats;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where plugin jars are looked for: {@code --plugins DIR} when given (before or after the
 * subcommand), else the {@code VMSTATE_PLUGINS} environment variable, else nowhere. The
 * environment is passed in so that tests can set it in-process.
 */
final class PluginDirectory {
    private PluginDirectory() {
    }

    /** The plugin directory, or {@code null} for none. */
    static Path resolve(Path option, Map<String, String> env) {
        if (option != null) {
            return option;
        }
        String dir = env.get(Formats.PLUGINS_ENV);
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }
}
