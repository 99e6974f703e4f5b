package dev.vmstate.cli;

import dev.vmstate.spi.Formats;
import dev.vmstate.spi.WireFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code vmstate} command: subcommands only, plus the options they share
 * ({@code --debug}, {@code --plugins}) and the formats found for this run.
 */
@Command(name = "vmstate",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Describe, save, load and check the state of virtual-machine devices.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:success",
            "1:a negative answer (a check found an incompatibility, a diff found a difference)",
            "2:usage error (also an unknown --format, --to or --machine)",
            "3:bad input (malformed or hostile stream, missing file, limit exceeded)",
            "70:internal error (stack trace with --debug)",
        },
        subcommands = {DevicesCommand.class, SchemaCommand.class, MachineCommand.class, DemoCommand.class,
            FormatsCommand.class, SaveCommand.class, DumpCommand.class, ConvertCommand.class, LoadCommand.class,
            CheckCommand.class})
final class VmstateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    // #3: INHERIT copies the option to every subcommand and binds it to this field, so
    // "vmstate --plugins DIR formats" and "vmstate formats --plugins DIR" both set it.
    @Option(names = "--plugins", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "A directory of format plugin jars (default: $" + Formats.PLUGINS_ENV + ").")
    Path plugins;

    private final Main.Console console;
    private final PrintWriter err;
    private Formats formats;

    VmstateCommand(Main.Console console, PrintWriter err) {
        this.console = console;
        this.err = err;
    }

    Main.Console console() {
        return console;
    }

    /**
     * The built-in formats and those of the plugin directory, found once per run. A plugin that
     * cannot be loaded is one warning line on stderr and does not stop the command; two formats
     * claiming one name are an error naming both jars (exit 3).
     */
    Formats formats() {
        if (formats == null) {
            formats = Formats.discover(PluginDirectory.resolve(plugins, console.env()));
            for (Formats.Problem p : formats.problems()) {
                err.println("vmstate: warning: plugin " + oneLine(p.toString()));
            }
            err.flush();
        }
        return formats;
    }

    /** The format called {@code name}; an unknown name is a usage error of {@code cl}. */
    WireFormat format(String name, CommandLine cl) {
        Formats all = formats();
        return all.find(name).orElseThrow(() -> new ParameterException(cl, "unknown format \"" + name
                + "\"; installed: " + String.join(", ", all.all().stream().map(f -> f.format().name()).toList())
                + " (a plugin format needs its jar in --plugins DIR or " + Formats.PLUGINS_ENV + ")"));
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
