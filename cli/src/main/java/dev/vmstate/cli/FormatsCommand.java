package dev.vmstate.cli;

import dev.vmstate.spi.Formats;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vmstate formats}: every wire format found, one line each: name (the line's first token,
 * what {@code --format} and {@code --to} take), capabilities, and the jar it came from.
 */
@Command(name = "formats", description = {
    "List the wire formats: the built-in ones and those in the plugin directory (--plugins DIR, "
        + "else $VMSTATE_PLUGINS). One line each: name, capabilities, source jar.",
    "A plugin jar that cannot be loaded is a warning on stderr; two formats with one name are an error (3)."})
final class FormatsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmstateCommand parent;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        List<Formats.Found> all = parent.formats().all();
        List<String> capabilities = new ArrayList<>();
        for (Formats.Found f : all) {
            capabilities.add(capabilities(f));
        }
        int nameWidth = all.stream().mapToInt(f -> f.format().name().length()).max().orElse(4);
        int capsWidth = capabilities.stream().mapToInt(String::length).max().orElse(4);
        for (int i = 0; i < all.size(); i++) {
            Formats.Found f = all.get(i);
            out.printf("%-" + nameWidth + "s  %-" + capsWidth + "s  %s%n", f.format().name(), capabilities.get(i),
                    f.source());
        }
    }

    /** The format's capability summary; a plugin that fails to say is listed anyway, with a warning. */
    private String capabilities(Formats.Found f) {
        try {
            return f.format().capabilities().summary();
        } catch (RuntimeException | LinkageError e) {
            spec.commandLine().getErr().println("vmstate: warning: plugin " + f.source() + ": format "
                    + f.format().name() + " cannot state its capabilities: " + VmstateCommand.oneLine(e.toString()));
            return "(capabilities unknown)";
        }
    }
}
