package dev.vmstate.cli;

import dev.vmstate.binary.BinaryBody;
import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.Machine;
import dev.vmstate.device.SampleMachines;
import dev.vmstate.tree.Difference;
import dev.vmstate.tree.StateDiff;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.ListValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Visitables;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code vmstate demo}, the main job for now: builds sample-pc with non-trivial state, saves every
 * device, loads the bytes into a fresh machine and shows the diff, which must be empty. Later
 * issues grow it into a real migration.
 */
@Command(name = "demo", description = {
    "Build the sample machine with non-trivial state, save every device, load the bytes into a fresh",
    "machine, and print a summary and the diff (which must be empty). Exits 1 if the diff is not empty."})
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DeviceRegistry registry = DeviceRegistry.load();
        Machine source = Machine.build(SampleMachines.samplePc(), registry);
        SampleMachines.populate(source);
        Map<String, byte[]> saved = new LinkedHashMap<>();
        out.printf("source: machine %s, %d devices%n", source.machineType(), source.ids().size());
        int totalFields = 0;
        long totalBytes = 0;
        for (String id : source.ids()) {
            byte[] body = BinaryBody.save(source.device(id));
            saved.put(id, body);
            int fields = countFields(Visitables.toTree(source.type(id).name(), source.device(id)));
            totalFields += fields;
            totalBytes += body.length;
            out.printf("  saved %-6s %-14s v%d  %4d fields %6d bytes%n", id, source.type(id).name(),
                    source.type(id).version(), fields, body.length);
        }
        out.printf("  total: %d devices, %d fields, %d bytes%n", saved.size(), totalFields, totalBytes);

        Machine destination = Machine.build(source.tree(), registry);
        for (Map.Entry<String, byte[]> e : saved.entrySet()) {
            BinaryBody.load(e.getValue(), destination.device(e.getKey()));
        }
        out.printf("destination: loaded %d devices into a fresh %s%n", saved.size(), destination.machineType());

        List<Difference> diff = new ArrayList<>();
        for (String id : source.ids()) {
            String type = source.type(id).name();
            diff.addAll(StateDiff.between(id, Visitables.toTree(type, source.device(id)),
                    Visitables.toTree(type, destination.device(id))));
        }
        if (diff.isEmpty()) {
            out.println("diff: empty (source and destination hold the same state)");
            return ExitCodes.OK;
        }
        out.printf("diff: %d difference(s)%n", diff.size());
        diff.forEach(d -> out.println("  " + d));
        return ExitCodes.NEGATIVE;
    }

    /** Leaf values in a state tree: every scalar, string, byte field and array counts once. */
    static int countFields(StructValue tree) {
        int n = 0;
        for (StateTree t : tree.members().values()) {
            if (t instanceof StructValue s) {
                n += countFields(s);
            } else if (t instanceof SectionValue s) {
                n += countFields(s.body());
            } else if (t instanceof ListValue l) {
                for (StructValue s : l.items()) {
                    n += countFields(s);
                }
            } else {
                n++;
            }
        }
        return n;
    }
}
