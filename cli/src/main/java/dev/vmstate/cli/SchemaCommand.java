package dev.vmstate.cli;

import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.DeviceType;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code vmstate schema TYPE [--json]}: a device type's fields and sections, in visit order. */
@Command(name = "schema", description = "Print the schema of a device type: fields and sections in visit order.")
final class SchemaCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TYPE", description = "A device type, as `vmstate devices` lists them.")
    String type;

    @Option(names = "--json", description = "Print JSON shaped like QEMU's vmdesc (see docs/schema.md).")
    boolean json;

    @Override
    public void run() {
        DeviceRegistry registry = DeviceRegistry.load();
        DeviceType<?> t = registry.find(type).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "unknown device type \"" + type + "\"; known: " + String.join(", ", registry.names())));
        Schema schema = t.schema();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(SchemaJson.toJson(schema));
        } else {
            out.printf("%s v%d (minimum %d)%n", schema.name(), schema.version(), schema.minimumVersion());
            print(out, schema, 1);
        }
    }

    static void print(PrintWriter out, Schema schema, int indent) {
        for (Field f : schema.members()) {
            String pad = "  ".repeat(indent);
            String hint = f.hint() == null ? "" : "  [" + f.hint().id() + "]";
            if (f.kind() == dev.vmstate.visitor.Kind.ENUM) {
                hint = "  " + f.enumNames().values();
            }
            out.printf("%s%-28s %s%s%n", pad, f.name(), f.describe(), hint);
            if (f.struct() != null) {
                print(out, f.struct(), indent + 1);
            }
        }
    }
}
