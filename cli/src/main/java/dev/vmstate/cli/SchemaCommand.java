package dev.vmstate.cli;

import dev.vmstate.compat.CompatChain;
import dev.vmstate.compat.Step;
import dev.vmstate.compat.check.SchemaExport;
import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.DeviceType;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vmstate schema TYPE [--json] [--version N]}: a device type's fields and sections, in
 * visit order, at its current version or, through its compat chain (#6), at an older one.
 * {@code vmstate schema --all [--json]}: every registered type with its versions and compat
 * steps; the JSON form is the schema export the static checker ({@code vmstate check}) reads.
 */
@Command(name = "schema", description = {"Print the schema of a device type: fields and sections in visit order.",
    "With --all: every registered device type, with its version, minimum version and compat steps; "
        + "--all --json writes the schema export that `vmstate check OLD NEW` compares (docs/compat.md)."})
final class SchemaCommand implements Runnable {
    private static final String VERSION = "--version";

    /**
     * Gives {@code schema} its own {@code --version N} in place of the {@code -V/--version} every
     * subcommand inherits from the top-level command (picocli cannot declare both), so that
     * {@code vmstate schema mc146818rtc --version 1} prints version 1, as the compat issue asks;
     * {@code -V} still prints vmstate's version.
     */
    static void takeVersionOption(CommandLine schema) {
        CommandSpec spec = schema.getCommandSpec();
        OptionSpec inherited = spec.findOption(VERSION);
        if (inherited != null) {
            spec.remove(inherited);
            spec.addOption(OptionSpec.builder("-V").versionHelp(true).description(inherited.description()).build());
        }
        spec.addOption(OptionSpec.builder(VERSION).paramLabel("N").type(Integer.class)
                .description("The schema at version N of the type (from its compat steps); default: current.")
                .build());
    }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TYPE", arity = "0..1", description = "A device type, as `vmstate devices` lists them.")
    String type;

    @Option(names = "--all", description = "Every registered device type, with its compat steps, instead of one TYPE.")
    boolean all;

    @Option(names = "--json", description = "Print JSON shaped like QEMU's vmdesc (see docs/schema.md); with --all, "
            + "the schema export of every type (docs/compat.md).")
    boolean json;

    @Override
    public void run() {
        DeviceRegistry registry = DeviceRegistry.load();
        OptionSpec versionOption = spec.findOption(VERSION);
        Integer version = versionOption == null ? null : versionOption.getValue();
        if (all) {
            if (type != null) {
                throw new ParameterException(spec.commandLine(), "give a TYPE or --all, not both");
            }
            if (version != null) {
                throw new ParameterException(spec.commandLine(), "--version N takes one TYPE, not --all");
            }
            printAll(registry);
            return;
        }
        if (type == null) {
            throw new ParameterException(spec.commandLine(), "missing TYPE: a device type (`vmstate devices` lists"
                    + " them), or --all for every one");
        }
        DeviceType<?> t = registry.find(type).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "unknown device type \"" + type + "\"; known: " + String.join(", ", registry.names())));
        Schema schema;
        if (version == null || version == t.version()) {
            schema = t.schema();
        } else if (version < t.minimumVersion() || version > t.version()) {
            throw new ParameterException(spec.commandLine(), type + " has versions " + t.minimumVersion() + ".."
                    + t.version() + ", not " + version);
        } else {
            schema = t.compat().schemaAt(version);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(SchemaJson.toJson(schema));
        } else {
            out.printf("%s v%d (minimum %d)%n", schema.name(), schema.version(), schema.minimumVersion());
            print(out, schema, 1);
        }
    }

    /**
     * Every type: as the schema export (#6, {@link SchemaExport}) with {@code --json}, otherwise
     * each type's current schema and its steps, one line each.
     */
    private void printAll(DeviceRegistry registry) {
        List<CompatChain> chains = registry.types().stream().<CompatChain>map(DeviceType::compat).toList();
        SchemaExport export = SchemaExport.of(chains, new VersionProvider().getVersion()[0]);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(export.toJson());
            return;
        }
        boolean first = true;
        for (CompatChain c : export.chains()) {
            if (!first) {
                out.println();
            }
            first = false;
            Schema schema = c.schemaAt(c.version());
            out.printf("%s v%d (minimum %d)%n", schema.name(), schema.version(), schema.minimumVersion());
            print(out, schema, 1);
            for (Step step : c.steps()) {
                out.println("  step " + step.describe());
            }
        }
    }

    static void print(PrintWriter out, Schema schema, int indent) {
        for (Field f : schema.members()) {
            String pad = "  ".repeat(indent);
            String hint = f.hint() == null ? "" : "  [" + f.hint().id() + "]";
            if (f.kind() == dev.vmstate.visitor.Kind.ENUM) {
                hint = "  " + f.enumNames().values();
            }
            String must = f.mustUnderstand() ? "  must-understand" : "";
            out.printf("%s%-28s %s%s%s%n", pad, f.name(), f.describe(), hint, must);
            if (f.struct() != null) {
                print(out, f.struct(), indent + 1);
            }
        }
    }
}
