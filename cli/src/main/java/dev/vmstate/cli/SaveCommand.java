package dev.vmstate.cli;

import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.Machine;
import dev.vmstate.device.MachineStreams;
import dev.vmstate.device.SampleMachines;
import dev.vmstate.error.VmstateException;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vmstate save [--machine sample-pc] --format F OUT}: builds the machine with its sample
 * state and writes it as one stream, section by section, through format F.
 */
@Command(name = "save", description = {
    "Build a machine with its sample state and save it as a stream in format F (see `vmstate formats`).",
    "OUT is a file (written to a temporary sibling, renamed when complete) or - for standard output."})
final class SaveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmstateCommand parent;

    @Option(names = "--machine", paramLabel = "TYPE", defaultValue = SampleMachines.SAMPLE_PC,
            description = "The machine to save (default: ${DEFAULT-VALUE}; the only one built in).")
    String machine;

    @Option(names = "--format", paramLabel = "F", required = true, description = "The wire format to write.")
    String format;

    @Option(names = "--crc32c", description = "Give every section a CRC32C (formats with an envelope).")
    boolean crc32c;

    @Option(names = "--schema-refs", description = {"Carry each schema as its SHA-256 fingerprint instead of whole "
            + "(formats with schema items: cbor). Smaller; a reader then needs this build's device registry."})
    boolean schemaRefs;

    @Parameters(paramLabel = "OUT", description = "The output file, or - for standard output.")
    String out;

    @Override
    public Integer call() throws IOException {
        if (!machine.equals(SampleMachines.SAMPLE_PC)) {
            throw new ParameterException(spec.commandLine(), "unknown machine \"" + machine + "\"; built in: "
                    + SampleMachines.SAMPLE_PC);
        }
        WireFormat f = parent.format(format, spec.commandLine());
        DeviceRegistry registry = DeviceRegistry.load();
        Machine m = Machine.build(SampleMachines.samplePc(), registry);
        SampleMachines.populate(m);
        List<Schema> schemas = new ArrayList<>();
        for (String id : m.ids()) {
            schemas.add(m.type(id).schema());
        }
        WriteOptions options = WriteOptions.defaults().withCrc32c(crc32c)
                .withSchemaFingerprint(Envelope.fingerprint(schemas)).withSchemasByReference(schemaRefs);
        try (AtomicOutput o = AtomicOutput.open(out, parent.console().stdout())) {
            try (StreamWriter w = f.openWriter(o.stream(), options)) {
                MachineStreams.save(m, w);
            } catch (VmstateException e) {
                throw new BadStreamException(o.name(), e.format() == null ? e.inFormat(f.name()) : e);
            }
            o.commit();
            // with OUT "-" the stream owns standard output, so the summary goes to stderr
            PrintWriter report = out.equals("-") ? spec.commandLine().getErr() : spec.commandLine().getOut();
            report.printf("saved %s (%d devices) as %s to %s: %d bytes%n", m.machineType(), m.ids().size(),
                    f.name(), o.name(), o.count());
        }
        return ExitCodes.OK;
    }
}
