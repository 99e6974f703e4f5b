package dev.vmstate.cli;

import dev.vmstate.spi.WireFormat;
import dev.vmstate.stream.Command;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StatePrinter;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Visitables;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text form of {@code vmstate dump}: one block per record, states through
 * {@link StatePrinter} so they read like every other dump, RAM pages counted per block and chunk
 * instead of printed (a chunk of a real stream holds thousands).
 *
 * <p>Not thread-safe.
 */
final class DumpText implements DumpCommand.RecordSink {
    // MIG_CMD_* of QEMU's savevm.c (../shared/reference/qemu-migration.md §1.7)
    private static final String[] COMMANDS = {"INVALID", "OPEN_RETURN_PATH", "PING", "POSTCOPY_ADVISE",
        "POSTCOPY_LISTEN", "POSTCOPY_RUN", "POSTCOPY_RAM_DISCARD", "PACKAGED", "ENABLE_COLO", "POSTCOPY_RESUME",
        "RECV_BITMAP", "SWITCHOVER_START"};

    private static final int MAX_BLOCKS = 1024;

    private final PrintWriter out;
    /** Pages of the current chunk per block: zero, raw, xbzrle. */
    private final Map<String, long[]> chunk = new LinkedHashMap<>();
    private final long[] total = new long[3];
    private long records;
    private long sections;

    DumpText(PrintWriter out, String name, WireFormat format) {
        this.out = out;
        out.printf("stream %s: format %s (%s)%n", name, format.name(), format.capabilities().summary());
    }

    @Override
    public void accept(StreamRecord r) {
        records++;
        if (r instanceof StreamHeader h) {
            header(h);
        } else if (r instanceof DeviceSection s) {
            sections++;
            StructValue tree = s.state() instanceof GenericState g ? g.tree()
                    : Visitables.toTree(s.schema().name(), s.state());
            out.print(StatePrinter.print(String.format("device section %d: %s v%d%s", s.sectionId(), s.label(),
                    s.version(), s.footer() ? "" : ", no footer"), tree, s.schema()));
        } else if (r instanceof IterativeSection i) {
            sections++;
            out.printf("iterative section %d %s%s%n", i.sectionId(), i.type(),
                    i.idstr() == null ? "" : ": " + i.idstr() + "/" + i.instanceId() + " v" + i.version());
        } else if (r instanceof RamRecord.Blocks b) {
            out.printf("  ram blocks: %d, %d bytes in all%n", b.blocks().size(), b.totalBytes());
            for (RamRecord.Block block : b.blocks()) {
                out.printf("    %s: %d bytes%n", block.name(), block.usedLength());
            }
        } else if (r instanceof RamRecord.Page p) {
            int e = p.encoding().ordinal();
            // a hostile stream could name a new block in every page: count those beyond a bound together
            String block = chunk.size() < MAX_BLOCKS || chunk.containsKey(p.block()) ? p.block() : "(other blocks)";
            chunk.computeIfAbsent(block, k -> new long[3])[e]++;
            total[e]++;
        } else if (r instanceof RamRecord.Eos) {
            flushChunk();
            out.println("  end of ram records");
        } else if (r instanceof SectionEnd e) {
            flushChunk();
            out.printf("  end of section %d%s%n", e.sectionId(), e.footer() ? "" : ", no footer");
        } else if (r instanceof Command c) {
            String name = c.command() >= 0 && c.command() < COMMANDS.length ? COMMANDS[c.command()] : "unknown";
            out.printf("command %d %s: %d bytes%n", c.command(), name, c.data().length);
        } else if (r instanceof EndOfState) {
            out.println("end of state");
        } else if (r instanceof Description d) {
            out.println(d.isGenerate() ? "description: to be generated" : "description: " + d.json().length
                    + " bytes of JSON");
        }
    }

    private void header(StreamHeader h) {
        out.printf("header: stream version %d, machine type %s%s%n", h.streamVersion(),
                h.machineType() == null ? "(none: no configuration section)" : h.machineType(),
                h.configurationExtra().length == 0 ? "" : ", " + h.configurationExtra().length
                        + " bytes of configuration subsections");
        if (h.deviceTree() == null) {
            out.println("device tree: not in the stream");
        } else {
            out.printf("device tree: machine %s, %d devices%n", h.deviceTree().machine(),
                    h.deviceTree().devices().size());
            MachineCommand.print(out, h.deviceTree().roots(), 1);
        }
    }

    private void flushChunk() {
        for (Map.Entry<String, long[]> e : chunk.entrySet()) {
            long[] n = e.getValue();
            out.printf("  %s: %d pages (%d zero, %d raw, %d xbzrle)%n", e.getKey(), n[0] + n[1] + n[2], n[0], n[1],
                    n[2]);
        }
        chunk.clear();
    }

    @Override
    public void finish() {
        flushChunk();
        out.printf("%d records, %d sections, %d ram pages (%d zero, %d raw, %d xbzrle)%n", records, sections,
                total[0] + total[1] + total[2], total[0], total[1], total[2]);
    }
}
