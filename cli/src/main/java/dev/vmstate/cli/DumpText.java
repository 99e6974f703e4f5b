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
 * {@link StatePrinter} so they read like every other dump, RAM page records counted per block
 * (a real stream holds hundreds of thousands), or listed one per line with {@code --ram=pages}.
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
    private final DumpCommand.RamMode ram;
    /** Page records per block so far: zero, raw, xbzrle. */
    private final Map<String, long[]> blocks = new LinkedHashMap<>();
    private final long[] total = new long[3];
    private long records;
    private long sections;

    DumpText(PrintWriter out, String name, WireFormat format, DumpCommand.RamMode ram) {
        this.out = out;
        this.ram = ram;
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
            out.print(StatePrinter.print(String.format("device section %d: %s v%d%s%s", s.sectionId(), s.label(),
                    s.version(), s.footer() ? "" : ", no footer",
                    s.state() instanceof GenericState ? "" : ", read by vmstate's model"), tree, s.schema()));
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
            String block = blocks.size() < MAX_BLOCKS || blocks.containsKey(p.block()) ? p.block() : "(other blocks)";
            blocks.computeIfAbsent(block, k -> new long[3])[e]++;
            total[e]++;
            if (ram == DumpCommand.RamMode.pages) {
                page(p);
            }
        } else if (r instanceof RamRecord.Eos) {
            out.println("  end of ram records");
        } else if (r instanceof SectionEnd e) {
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

    /** One line per page record: block, offset, encoding, what the record carries. */
    private void page(RamRecord.Page p) {
        String what = switch (p.encoding()) {
            case ZERO -> String.format("zero (fill 0x%02x)", p.dataBuffer().get(0) & 0xFF);
            case RAW -> "raw";
            case XBZRLE -> "xbzrle (" + p.dataLength() + " bytes)";
        };
        out.printf("  page %s 0x%x %s%s%n", p.block(), p.offset(), what, p.continued() ? ", continue" : "");
    }

    @Override
    public void finish() {
        if (!blocks.isEmpty()) {
            out.println("ram records per block:");
            for (Map.Entry<String, long[]> e : blocks.entrySet()) {
                long[] n = e.getValue();
                out.printf("  %s: %d pages (%d zero, %d raw, %d xbzrle)%n", e.getKey(), n[0] + n[1] + n[2], n[0], n[1],
                        n[2]);
            }
        }
        out.printf("%d records, %d sections, %d ram pages (%d zero, %d raw, %d xbzrle)%n", records, sections,
                total[0] + total[1] + total[2], total[0], total[1], total[2]);
    }
}
