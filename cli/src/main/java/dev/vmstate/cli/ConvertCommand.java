package dev.vmstate.cli;

import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.MachineStreams;
import dev.vmstate.error.LossyDowngradeException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.StreamRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vmstate convert IN OUT --to F}: reads IN record by record and writes each record,
 * unchanged, to OUT in format F. Nothing is dropped or rewritten here, so a conversion is as
 * lossless as the two formats: legacy → any built-in format → legacy gives the same bytes.
 */
@Command(name = "convert", description = {
    "Convert a stream to format F, record by record: every record is written unchanged, so converting "
        + "legacy to another format and back gives the same bytes. "
        + "The input format is detected unless --from is given.",
    "A device section at an older version of a registered type is upgraded to the type's current version; "
        + "--target-version writes chosen types at an older version instead.",
    "OUT is written to a temporary sibling and renamed when complete: a failed conversion leaves no file."})
final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmstateCommand parent;

    @Parameters(index = "0", paramLabel = "IN", description = "The stream to read: a file, or - for standard input.")
    String in;

    @Parameters(index = "1", paramLabel = "OUT", description = "The file to write, or - for standard output.")
    String out;

    @Option(names = "--to", paramLabel = "F", required = true, description = "The format to write.")
    String to;

    @Option(names = "--from", paramLabel = "F", description = "Read IN as format F instead of detecting it.")
    String from;

    @Option(names = "--crc32c", description = "Give every section a CRC32C (formats with an envelope).")
    boolean crc32c;

    @Option(names = "--schema-refs", description = {"Carry each schema as its SHA-256 fingerprint instead of whole "
            + "(formats with schema items: cbor). Smaller; a reader then needs this build's device registry."})
    boolean schemaRefs;

    @Option(names = "--target-version", paramLabel = "TYPE=N", split = ",", description = {
        "Write the sections of device type TYPE at its version N, downgraded through the type's compat steps "
            + "for an older peer (repeat, or TYPE=N,TYPE=N). A value the older version cannot hold fails with "
            + "exit 1 and names it, unless --allow-loss."})
    Map<String, Integer> targetVersions = new LinkedHashMap<>();

    @Option(names = "--allow-loss", description = "Let --target-version drop values an older version cannot hold; "
            + "each dropped value is reported on stderr.")
    boolean allowLoss;

    @Option(names = "--vmdesc-from", paramLabel = "OTHER",
            description = "Read IN with the vmdesc trailer of OTHER, a QEMU stream of the same machine and devices: "
                    + "for legacy streams without one (QEMU machine types 2.2 and older).")
    Path vmdescFrom;

    @Override
    public Integer call() throws IOException {
        WireFormat target = parent.format(to, spec.commandLine());
        WireFormat forced = from == null ? null : parent.format(from, spec.commandLine());
        DeviceRegistry registry = DeviceRegistry.load();
        Versions versions = new Versions(registry, targetVersions, allowLoss, spec.commandLine());
        ReadOptions options = ReadOptions.defaults().withSchemas(MachineStreams.schemas(registry));
        if (vmdescFrom != null) {
            options = options.withDescription(LentVmdesc.read(vmdescFrom, parent.format("legacy", spec.commandLine()),
                    spec.commandLine()));
        }
        long records = 0;
        long sections = 0;
        long pages = 0;
        try (StreamInput input = StreamInput.open(in, parent.formats(), forced, options, parent.console().stdin());
             AtomicOutput o = AtomicOutput.open(out, parent.console().stdout())) {
            StreamRecord first = input.next();
            // #3: what the source's envelope records (CRC32C, fingerprint) survives the conversion
            Envelope source = input.envelope();
            WriteOptions writeOptions = WriteOptions.defaults()
                    .withCrc32c(crc32c || (source != null && source.has(Envelope.FEATURE_CRC32C)))
                    .withSchemasByReference(schemaRefs);
            if (source != null) {
                writeOptions = writeOptions.withSchemaFingerprint(source.schemaFingerprint());
            }
            try (StreamWriter w = target.openWriter(o.stream(), writeOptions)) {
                for (StreamRecord r = first; r != null; r = input.next()) {
                    if (r instanceof DeviceSection d) {
                        r = versions.apply(d);
                    }
                    w.write(r);
                    records++;
                    if (r instanceof DeviceSection) {
                        sections++;
                    } else if (r instanceof RamRecord.Page) {
                        pages++;
                    }
                }
            } catch (LossyDowngradeException e) {
                throw e; // a negative answer (exit 1), not bad input; the output file is not kept
            } catch (VmstateException e) {
                // the reader's failures arrive as BadStreamException; what is left is the writer's
                throw new BadStreamException(o.name(), e.format() == null ? e.inFormat(target.name()) : e);
            }
            o.commit();
            PrintWriter report = out.equals("-") ? spec.commandLine().getErr() : spec.commandLine().getOut();
            report.printf("converted %s (%s) to %s (%s): %d records, %d device sections, %d ram pages, %d bytes%n",
                    input.name(), input.format().name(), o.name(), target.name(), records, sections, pages, o.count());
        }
        return ExitCodes.OK;
    }
}
