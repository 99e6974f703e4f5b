package dev.vmstate.cli;

import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.MachineStreams;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.ram.RamImages;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.StreamRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vmstate dump IN [--format F] [--json] [--ram=summary|pages|digest] [--vmdesc-from OTHER]}:
 * prints a stream record by record as it reads it (header, device tree, each section's state, RAM,
 * commands, end, description), never holding more than one record, so a stream of any size dumps
 * in a small heap. RAM is summarised per block by default, with page contents skipped unread.
 */
@Command(name = "dump", description = {
    "Print a stream as it is read: header, device tree, each section decoded with its presentation hints, "
        + "RAM, commands, end and description. The format is detected unless --format is given. "
        + "Sections of device types vmstate models (QEMU's serial, mc146818rtc, i8254, ...) are decoded by "
        + "their models; other QEMU devices from the stream's vmdesc.",
    "--json prints the device states as QEMU's scripts/analyze-migration.py does: "
        + "{\"<idstr> (<section id>)\": {field: value}}; with --ram=digest it prints the RAM digest instead, "
        + "{\"<block>\": {size, sha256_final_image, nonzero_pages_in_final_image, records}}."},
        footer = {"", "Exit status: 0 dumped, 2 usage error, 3 bad input (the message names the file, section "
                + "and byte offset)."})
final class DumpCommand implements Callable<Integer> {
    /** What {@code --ram} shows. */
    enum RamMode {
        /** Per block, how many records of each kind (zero, raw, xbzrle); page contents are not read. */
        summary,
        /** Every page record: block, offset, kind, continue flag, data length. */
        pages,
        /** Per block, sha256 of the final contents with every record applied, XBZRLE included. */
        digest
    }

    @Spec
    CommandSpec spec;

    @ParentCommand
    VmstateCommand parent;

    @Parameters(paramLabel = "IN", description = "The stream: a file, or - for standard input.")
    String in;

    @Option(names = "--format", paramLabel = "F", description = "Read as format F instead of detecting it.")
    String format;

    @Option(names = "--json", description = "Print device states (or, with --ram=digest, the RAM digest) as JSON "
            + "shaped like QEMU's analyze-migration.py.")
    boolean json;

    @Option(names = "--ram", paramLabel = "MODE", defaultValue = "summary",
            description = "summary (default): record counts per block; pages: every page record; "
                    + "digest: sha256 of each block's final contents.")
    RamMode ram;

    @Option(names = "--vmdesc-from", paramLabel = "OTHER",
            description = "Decode sections with the vmdesc trailer of OTHER, a QEMU stream of the same machine "
                    + "and devices: for streams without one (QEMU machine types 2.2 and older).")
    Path vmdescFrom;

    /** What a dump does with each record. */
    interface RecordSink {
        /** Takes every record and prints nothing: for a dump whose only output comes at the end. */
        RecordSink NONE = new RecordSink() {
            @Override
            public void accept(StreamRecord record) {
            }

            @Override
            public void finish() {
            }
        };

        void accept(StreamRecord record);

        /** After the last record. */
        void finish();
    }

    @Override
    public Integer call() throws IOException {
        WireFormat forced = format == null ? null : parent.format(format, spec.commandLine());
        DeviceRegistry registry = DeviceRegistry.load();
        ReadOptions options = ReadOptions.defaults().withSchemas(MachineStreams.schemas(registry))
                .withTargets(MachineStreams.decoders(registry))
                .withPageData(ram != RamMode.summary);
        if (vmdescFrom != null) {
            options = options.withDescription(LentVmdesc.read(vmdescFrom, parent.format("legacy", spec.commandLine()),
                    spec.commandLine()));
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean stdin = in.equals("-");
        // Streaming digests every block read once in order; a block that is not (a live migration's
        // later passes, XBZRLE) needs a second reading with images, which only a file allows.
        RamImages images = ram != RamMode.digest ? null
                : stdin ? RamImages.withImages(b -> true, null) : RamImages.streaming();
        try (images) {
            try (StreamInput input = StreamInput.open(in, parent.formats(), forced, options, parent.console().stdin())) {
                RecordSink sink = json && ram != RamMode.digest ? new AnalyzerJson(out)
                        : json ? RecordSink.NONE : new DumpText(out, input.name(), input.format(), ram);
                for (StreamRecord r = input.next(); r != null; r = input.next()) {
                    sink.accept(r);
                    if (images != null && r instanceof RamRecord rr) {
                        apply(images, rr, input);
                    }
                }
                sink.finish();
                if (!json) {
                    out.printf("%d bytes read%n", input.position());
                }
            }
            if (images == null) {
                return ExitCodes.OK;
            }
            List<RamImages.BlockDigest> digests = images.finish();
            Set<String> redo = images.needImages();
            if (!redo.isEmpty()) {
                try (RamImages second = RamImages.withImages(redo::contains, null);
                        StreamInput input = StreamInput.open(in, parent.formats(), forced, options,
                                parent.console().stdin())) {
                    for (StreamRecord r = input.next(); r != null; r = input.next()) {
                        if (r instanceof RamRecord rr) {
                            apply(second, rr, input);
                        }
                    }
                    digests = second.finish();
                }
            }
            RamDigestOutput.print(out, digests, json);
        }
        return ExitCodes.OK;
    }

    private static void apply(RamImages images, RamRecord r, StreamInput input) {
        try {
            images.accept(r);
        } catch (MalformedStreamException e) {
            throw new BadStreamException(input.name(), e.atOffset(input.position()));
        }
    }
}
