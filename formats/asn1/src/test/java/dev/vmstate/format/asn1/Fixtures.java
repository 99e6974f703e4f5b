package dev.vmstate.format.asn1;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.machine.DeviceNode;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Command;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.EveryKind;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.DescribeVisitor;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.TreeOutVisitor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Streams the tests share: a full record sequence, and helpers to write, read and compare them in either format. */
final class Fixtures {
    static final Asn1DerFormat DER = new Asn1DerFormat();
    static final Asn1BerFormat BER = new Asn1BerFormat();
    static final Schema EVERY_KIND = DescribeVisitor.describe("everykind", 3, 1, new EveryKind());
    static final Schema SMALL = new Schema("small", 2, 1, List.of(
            Field.scalar("lcr", Kind.U8, null),
            Field.variable("label", Kind.STR)));

    private Fixtures() {
    }

    /** A tree whose properties are not in DER order, so the SET OF sort has work to do. */
    static DeviceTree deviceTree() {
        Map<String, Object> com1 = new LinkedHashMap<>();
        com1.put("iobase", 1016L);
        com1.put("chardev", "serial0");
        com1.put("enabled", Boolean.TRUE);
        DeviceNode isa = new DeviceNode("isa", "isa-bridge", null, Map.of(), List.of(
                DeviceNode.of("com1", "everykind", "isa.0", com1),
                DeviceNode.of("small0", "small", "isa.0", Map.of())));
        return new DeviceTree("sample-pc", List.of(isa));
    }

    static byte[] rawPage() {
        byte[] b = new byte[RamRecord.PAGE_SIZE];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    /**
     * Every record kind: header with a tree, device sections of every kind (u64 at and above 2^63, a
     * signalling NaN with a payload, -0.0, text from outside the BMP), a RAM chunk, a command, end, description.
     */
    static List<StreamRecord> fullStream(boolean rawDescription) {
        EveryKind second = new EveryKind();
        second.pendingNeeded = false;
        second.f64 = Double.longBitsToDouble(0x7FF0_0000_0000_0001L);
        second.queues.clear();
        List<StreamRecord> r = new ArrayList<>();
        r.add(new StreamHeader(3, "sample-pc", new byte[] {5, 3, 'a', 'b', 'c'}, deviceTree()));
        r.add(new IterativeSection(IterativeSection.SectionType.START, 2, "ram", 0, 4));
        r.add(new RamRecord.Blocks(2L * RamRecord.PAGE_SIZE, List.of(new RamRecord.Block("pc.ram", 2L * RamRecord.PAGE_SIZE))));
        r.add(new RamRecord.Eos());
        r.add(new SectionEnd(2, true));
        r.add(new DeviceSection(0, "com1", 0, 3, true, EVERY_KIND, new EveryKind()));
        r.add(new DeviceSection(1, "com1", 1, 3, true, EVERY_KIND, second));
        r.add(new DeviceSection(3, "small0", 0, 2, false, SMALL, new GenericState(SMALL, small(9, "hi"))));
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

    static StructValue small(int lcr, String label) {
        Map<String, StateTree> m = new LinkedHashMap<>();
        m.put("lcr", new StateTree.IntValue(Kind.U8, lcr));
        m.put("label", new StateTree.StrValue(label));
        return new StructValue("small", m);
    }

    /** A stream of a header, one device section of {@code schema} holding {@code tree}, and the end. */
    static List<StreamRecord> oneSection(Schema schema, StructValue tree) {
        return List.of(StreamHeader.of("sample-pc", null),
                new DeviceSection(0, "dev", 0, schema.version(), true, schema, new GenericState(schema, tree)),
                new EndOfState());
    }

    static byte[] write(WireFormat f, List<StreamRecord> records) {
        return write(f, records, WriteOptions.defaults());
    }

    static byte[] write(WireFormat f, List<StreamRecord> records, WriteOptions options) {
        return SampleStreams.write(f, records, options);
    }

    static List<StreamRecord> read(WireFormat f, byte[] bytes) {
        return read(f, ByteSource.of(bytes), ReadOptions.defaults());
    }

    static List<StreamRecord> read(WireFormat f, ByteSource src, ReadOptions options) {
        return SampleStreams.read(f, src, options);
    }

    /** Offset of the first byte after the envelope: where the first top-level value starts. */
    static int bodyStart(byte[] stream) {
        return 7 + ((stream[5] & 0xFF) << 8 | (stream[6] & 0xFF));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static byte[] unhex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** Records equal, device sections compared by their fields, schemas and states as trees. */
    static void assertSameRecords(List<StreamRecord> actual, List<StreamRecord> expected) {
        SampleStreams.assertSameRecords(expected, actual);
    }

    static StructValue tree(DeviceSection d) {
        return TreeOutVisitor.toTree(d.schema().name(), d.state());
    }

    static int indexOf(byte[] in, byte[] what) {
        return indexOf(in, what, 0);
    }

    static int indexOf(byte[] in, byte[] what, int from) {
        for (int i = from; i + what.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        throw new AssertionError("bytes " + hex(what) + " not found");
    }

    /** {@code in} with its first {@code what} replaced by {@code with}; lengths around it are NOT adjusted. */
    static byte[] replace(byte[] in, byte[] what, byte[] with) {
        int at = indexOf(in, what);
        byte[] out = new byte[in.length - what.length + with.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(with, 0, out, at, with.length);
        System.arraycopy(in, at + what.length, out, at + with.length, in.length - at - what.length);
        return out;
    }

    /** The envelope of a default stream of format {@code f}, then {@code body}. */
    static byte[] withEnvelope(WireFormat f, byte[] body) {
        byte[] env = dev.vmstate.spi.Envelope.of(f.name(), WriteOptions.defaults()).toBytes();
        byte[] out = Arrays.copyOf(env, env.length + body.length);
        System.arraycopy(body, 0, out, env.length, body.length);
        return out;
    }
}
