package dev.vmstate.testkit;

import dev.vmstate.machine.DeviceNode;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
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
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.DescribeVisitor;
import dev.vmstate.visitor.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixed stream the binary formats' tests and golden files share: every record kind, with
 * device sections of {@link EveryKind} holding the values codecs most easily get wrong, plus the
 * small schema and one-section streams their error tests build on. Unlike {@link SampleStreams},
 * nothing here is random: a golden file written from {@link #stream} stays byte for byte the same.
 *
 * <p>Stateless and thread-safe; the record lists it returns are not (their states are mutable).
 *
 * @since 0.1
 */
public final class EveryRecord {
    /** The schema of {@link EveryKind}: {@code everykind}, version 3, accepting 1 and later. */
    public static final Schema EVERY_KIND = DescribeVisitor.describe("everykind", 3, 1, new EveryKind());
    /** {@code small}, version 2: a {@code u8 lcr} and a {@code str label}. */
    public static final Schema SMALL = new Schema("small", 2, 1, List.of(
            Field.scalar("lcr", Kind.U8, null),
            Field.variable("label", Kind.STR)));

    private EveryRecord() {
    }

    /**
     * The header's tree: an ISA bridge with a {@code com1} of {@code everykind} and a
     * {@code small0}; {@code com1}'s properties are not in sorted order, so DER's SET OF sort has
     * work to do.
     */
    public static DeviceTree deviceTree() {
        Map<String, Object> com1 = new LinkedHashMap<>();
        com1.put("iobase", 1016L);
        com1.put("chardev", "serial0");
        com1.put("enabled", Boolean.TRUE);
        DeviceNode isa = new DeviceNode("isa", "isa-bridge", null, Map.of(), List.of(
                DeviceNode.of("com1", "everykind", "isa.0", com1),
                DeviceNode.of("small0", "small", "isa.0", Map.of())));
        return new DeviceTree("sample-pc", List.of(isa));
    }

    /** The raw page of the stream: {@code RamRecord.PAGE_SIZE} bytes, none of them zero-page-like. */
    public static byte[] rawPage() {
        byte[] b = new byte[RamRecord.PAGE_SIZE];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    /**
     * Every record kind: header with a tree, device sections of every kind (u64 at and above 2^63, a
     * signalling NaN with a payload, -0.0, text from outside the BMP), a RAM chunk, a command, end,
     * and a description, given as JSON when {@code rawDescription}, else to be generated.
     */
    public static List<StreamRecord> stream(boolean rawDescription) {
        EveryKind second = new EveryKind();
        second.pendingNeeded = false;
        second.f64 = Double.longBitsToDouble(0x7FF0_0000_0000_0001L);
        second.queues.clear();
        List<StreamRecord> r = new ArrayList<>();
        r.add(new StreamHeader(3, "sample-pc", new byte[] {5, 3, 'a', 'b', 'c'}, deviceTree()));
        r.add(new IterativeSection(IterativeSection.SectionType.START, 2, "ram", 0, 4));
        r.add(new RamRecord.Blocks(2L * RamRecord.PAGE_SIZE,
                List.of(new RamRecord.Block("pc.ram", 2L * RamRecord.PAGE_SIZE))));
        r.add(new RamRecord.Eos());
        r.add(new SectionEnd(2, true));
        r.add(new DeviceSection(0, "com1", 0, 3, true, EVERY_KIND, new EveryKind()));
        r.add(new DeviceSection(1, "com1", 1, 3, true, EVERY_KIND, second));
        r.add(new DeviceSection(3, "small0", 0, 2, false, SMALL, new GenericState(SMALL, small(9, "hi"))));
        // #4: the values a codec most easily gets wrong: -0.0, a u64 just above 2^63, text outside the BMP.
        EveryKind third = new EveryKind();
        third.f64 = -0.0;
        third.u64 = 0x8000_0000_0000_0001L;
        third.name = "\u0000 \uFFFD \uD834\uDD1E \u4e2d\u6587";
        r.add(new DeviceSection(4, "com1", 2, 3, true, EVERY_KIND, third));
        r.add(new IterativeSection(IterativeSection.SectionType.PART, 2, null, 0, 0));
        r.add(new RamRecord.Page("pc.ram", 0, false, RamRecord.Encoding.ZERO, new byte[] {0}));
        r.add(new RamRecord.Page("pc.ram", RamRecord.PAGE_SIZE, true, RamRecord.Encoding.RAW, rawPage()));
        r.add(new RamRecord.Page("pc.ram", 0, true, RamRecord.Encoding.XBZRLE, new byte[] {0, 4, 1, 2, 3, 4}));
        r.add(new RamRecord.Eos());
        r.add(new SectionEnd(2, true));
        r.add(new Command(1, new byte[] {0, 2, (byte) 0xCA, (byte) 0xFE}));
        r.add(new IterativeSection(IterativeSection.SectionType.END, 2, null, 0, 0));
        r.add(new RamRecord.Eos());
        r.add(new SectionEnd(2, true));
        r.add(new EndOfState());
        r.add(rawDescription ? Description.of("{\"page_size\": 4096, \"devices\": []}") : Description.generate());
        return r;
    }

    /** A state of {@link #SMALL}. */
    public static StructValue small(int lcr, String label) {
        Map<String, StateTree> m = new LinkedHashMap<>();
        m.put("lcr", new StateTree.IntValue(Kind.U8, lcr));
        m.put("label", new StateTree.StrValue(label));
        return new StructValue("small", m);
    }

    /** A stream of a header, one device section of {@code schema} holding {@code tree}, and the end. */
    public static List<StreamRecord> oneSection(Schema schema, StructValue tree) {
        return List.of(StreamHeader.of("sample-pc", null),
                new DeviceSection(0, "dev", 0, schema.version(), true, schema, new GenericState(schema, tree)),
                new EndOfState());
    }
}
