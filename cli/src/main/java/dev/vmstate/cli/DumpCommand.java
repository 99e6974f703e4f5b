package dev.vmstate.cli;

import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.MachineStreams;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.stream.StreamRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vmstate dump IN [--format F] [--json]}: prints a stream record by record as it reads it
 * (header, device tree, each section's state, RAM chunks as per-block counts, commands, end,
 * description), never holding more than one record, so a stream of any size dumps in a small heap.
 */
@Command(name = "dump", description = {
    "Print a stream as it is read: header, device tree, each section decoded with its presentation hints, "
        + "RAM chunks as per-block page counts, commands, end and description. "
        + "The format is detected unless --format is given.",
    "--json prints the device states as QEMU's scripts/analyze-migration.py does: "
        + "{\"<idstr> (<section id>)\": {field: value}}."})
final class DumpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmstateCommand parent;

    @Parameters(paramLabel = "IN", description = "The stream: a file, or - for standard input.")
    String in;

    @Option(names = "--format", paramLabel = "F", description = "Read as format F instead of detecting it.")
    String format;

    @Option(names = "--json", description = "Print device states as JSON shaped like QEMU's analyze-migration.py.")
    boolean json;

    /** What a dump does with each record. */
    interface RecordSink {
        void accept(StreamRecord record);

        /** After the last record. */
        void finish();
    }

    @Override
    public Integer call() throws IOException {
        WireFormat forced = format == null ? null : parent.format(format, spec.commandLine());
        ReadOptions options = ReadOptions.defaults().withSchemas(MachineStreams.schemas(DeviceRegistry.load()));
        PrintWriter out = spec.commandLine().getOut();
        try (StreamInput input = StreamInput.open(in, parent.formats(), forced, options, parent.console().stdin())) {
            RecordSink sink = json ? new AnalyzerJson(out) : new DumpText(out, input.name(), input.format());
            for (StreamRecord r = input.next(); r != null; r = input.next()) {
                sink.accept(r);
            }
            sink.finish();
            if (!json) {
                out.printf("%d bytes read%n", input.position());
            }
        }
        return ExitCodes.OK;
    }
}
