package dev.vmstate.cli;

import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.LoadSummary;
import dev.vmstate.device.Machine;
import dev.vmstate.device.MachineStreams;
import dev.vmstate.device.SampleMachines;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.stream.StreamRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vmstate load IN}: loads a stream into a fresh machine's registered device models while
 * reading it, and prints what went where ({@link LoadSummary}). Sections the machine lacks, or
 * whose schema differs from the registered type's, are kept generic and listed, not an error.
 */
@Command(name = "load", description = "Load a stream into a fresh machine's registered device models and print a "
        + "summary: devices loaded into models, sections kept generic (and why), RAM pages by encoding. "
        + "The format is detected unless --format is given.")
final class LoadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmstateCommand parent;

    @Parameters(paramLabel = "IN", description = "The stream: a file, or - for standard input.")
    String in;

    @Option(names = "--format", paramLabel = "F", description = "Read as format F instead of detecting it.")
    String format;

    @Option(names = "--machine", paramLabel = "TYPE", defaultValue = SampleMachines.SAMPLE_PC,
            description = "The machine to load into (default: ${DEFAULT-VALUE}; the only one built in).")
    String machine;

    @Override
    public Integer call() throws IOException {
        if (!machine.equals(SampleMachines.SAMPLE_PC)) {
            throw new ParameterException(spec.commandLine(), "unknown machine \"" + machine + "\"; built in: "
                    + SampleMachines.SAMPLE_PC);
        }
        WireFormat forced = format == null ? null : parent.format(format, spec.commandLine());
        DeviceRegistry registry = DeviceRegistry.load();
        Machine m = Machine.build(SampleMachines.samplePc(), registry);
        ReadOptions options = ReadOptions.defaults().withSchemas(MachineStreams.schemas(registry))
                .withTargets(MachineStreams.targets(m));
        LoadSummary summary;
        try (StreamInput input = StreamInput.open(in, parent.formats(), forced, options, parent.console().stdin())) {
            // StreamInput.next names the file in errors, so MachineStreams reads through it
            summary = MachineStreams.load(m, new StreamReader() {
                @Override
                public StreamRecord next() {
                    return input.next();
                }

                @Override
                public long position() {
                    return input.position();
                }
            });
            PrintWriter out = spec.commandLine().getOut();
            out.printf("loaded %s (%s, %d bytes)%n", input.name(), input.format().name(), input.position());
            summary.lines().forEach(out::println);
        }
        return ExitCodes.OK;
    }
}
