package dev.vmstate.cli;

import dev.vmstate.device.SampleMachines;
import dev.vmstate.machine.DeviceNode;
import dev.vmstate.machine.DeviceTree;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vmstate machine [--json]}: the device tree of the sample machine. */
@Command(name = "machine", description = "Print the device tree of the built-in machine sample-pc.")
final class MachineCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the tree as JSON (the form carried in streams; see docs/schema.md).")
    boolean json;

    @Override
    public void run() {
        DeviceTree tree = SampleMachines.samplePc();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(tree.toJson());
            return;
        }
        out.println("machine " + tree.machine());
        print(out, tree.roots(), 1);
    }

    /** Prints {@code nodes} and their children, one line each, indented by {@code indent} levels. */
    static void print(PrintWriter out, List<DeviceNode> nodes, int indent) {
        for (DeviceNode n : nodes) {
            String props = n.properties().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
            out.printf("%s%-8s %-16s %-8s %s%n", "  ".repeat(indent), n.id(), n.type(), n.bus() == null ? "-" : n.bus(), props);
            print(out, n.children(), indent + 1);
        }
    }
}
