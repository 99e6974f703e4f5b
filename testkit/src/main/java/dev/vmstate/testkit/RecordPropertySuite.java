package dev.vmstate.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.vmstate.binary.ByteSource;
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
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Property tests every format inherits, next to {@link FormatConformanceSuite}: random states of
 * wide fixed schemas (every integer kind as scalar and arrays, nested structs, lists and
 * sections), with and without CRC32C, any Unicode text, and random RAM and command records all
 * read back as written, bit for bit, and write back to the same bytes, whole or one byte at a
 * time. Tries and seed come from {@link Properties}.
 */
public abstract class RecordPropertySuite {
    /** Every integer kind as scalar, fixed and variable array, nested three deep with a list and sections. */
    public static final Schema WIDE;

    static {
        List<Field> fields = new ArrayList<>();
        for (Kind k : Kind.values()) {
            if (k.isInteger()) {
                fields.add(Field.scalar(k.typeName(), k, null));
                fields.add(Field.array(k.typeName() + "_a", k, 3));
                fields.add(Field.varray(k.typeName() + "_v", k));
            }
        }
        fields.add(Field.scalar("f", Kind.F64, null));
        fields.add(Field.buffer("empty", 0));
        Schema leaf = new Schema("leaf", 1, 1, List.of(Field.scalar("x", Kind.F64, null),
                Field.variable("s", Kind.STR), Field.enumeration("e", Map.of(0L, "A", 4294967295L, "MAX"))));
        Schema mid = new Schema("mid", 2, 2, List.of(Field.list("leaves", leaf), Field.struct("pair", leaf, 2),
                Field.section("mid/extra", new Schema("mid/extra", 3, 3, List.of(Field.struct("l", leaf, 0))))));
        fields.add(Field.struct("mid", mid, 0));
        fields.add(Field.section("wide/opt", new Schema("wide/opt", 1, 1, List.of(Field.variable("b", Kind.BYTES)))));
        WIDE = new Schema("wide", 5, 1, fields);
    }

    /** The format under test. */
    protected abstract WireFormat format();

    private byte[] write(List<StreamRecord> records, WriteOptions options) {
        return SampleStreams.write(format(), records, options);
    }

    private byte[] write(List<StreamRecord> records) {
        return write(records, WriteOptions.defaults());
    }

    private List<StreamRecord> read(byte[] bytes) {
        return SampleStreams.read(format(), bytes, ReadOptions.defaults());
    }

    @Test
    public void randomStatesRoundTripExactly() {
        for (Schema schema : List.of(EveryRecord.EVERY_KIND, WIDE, EveryRecord.SMALL)) {
            Properties.qt().forAll(Arbitraries.states(schema)).checkAssert(tree -> roundTrips(schema, tree));
        }
    }

    @Test
    public void randomStatesRoundTripWithCrc() {
        Properties.qt().forAll(Arbitraries.states(WIDE)).checkAssert(tree -> {
            List<StreamRecord> records = EveryRecord.oneSection(WIDE, tree);
            byte[] bytes = write(records, WriteOptions.defaults().withCrc32c(true));
            SampleStreams.assertSameRecords(records, read(bytes));
        });
    }

    @Test
    public void anyUnicodeTextRoundTrips() {
        // Code points from the whole range except the surrogates, which UTF-8 cannot carry alone.
        Gen<String> text = lists().of(integers().between(0, 0x10FFFF - 0x800)).ofSizeBetween(0, 24).map(cps -> {
            StringBuilder sb = new StringBuilder();
            for (int cp : cps) {
                sb.appendCodePoint(cp >= 0xD800 ? cp + 0x800 : cp);
            }
            return sb.toString();
        });
        Properties.qt().forAll(text, text).checkAssert((label, idstr) -> {
            StructValue tree = EveryRecord.small(0, label);
            List<StreamRecord> records = List.of(StreamHeader.of(idstr, null),
                    new DeviceSection(0, idstr, 0, 2, true, EveryRecord.SMALL, new GenericState(EveryRecord.SMALL, tree)),
                    new EndOfState(), Description.of(label));
            byte[] bytes = write(records);
            SampleStreams.assertSameRecords(records, read(bytes));
            assertArrayEquals(bytes, write(read(bytes)));
        });
    }

    @Test
    public void ramAndCommandRecordsRoundTrip() {
        Gen<byte[]> data = lists().of(integers().between(-128, 127)).ofSizeBetween(0, 64).map(l -> {
            byte[] b = new byte[l.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (int) l.get(i);
            }
            return b;
        });
        Properties.qt().forAll(longs().all(), data, integers().between(0, 255), integers().all())
                .checkAssert((offset, bytes, fill, number) -> {
                    List<StreamRecord> records = List.of(StreamHeader.of(null, null),
                            new IterativeSection(IterativeSection.SectionType.START, number, "ram", number, number),
                            new RamRecord.Blocks(offset, List.of(new RamRecord.Block("b", offset))),
                            new RamRecord.Page("b", offset, true, RamRecord.Encoding.RAW, bytes),
                            new RamRecord.Page("b", offset, false, RamRecord.Encoding.XBZRLE, bytes),
                            new RamRecord.Page("b", offset, false, RamRecord.Encoding.ZERO, new byte[] {(byte) (int) fill}),
                            new RamRecord.Eos(), new SectionEnd(number, offset % 2 == 0),
                            new Command(number, bytes), new EndOfState(), new Description(bytes));
                    byte[] out = write(records);
                    SampleStreams.assertSameRecords(records, read(out));
                    assertArrayEquals(out, write(read(out)));
                });
    }

    private void roundTrips(Schema schema, StructValue tree) {
        List<StreamRecord> records = EveryRecord.oneSection(schema, tree);
        byte[] bytes = write(records);
        List<StreamRecord> back = read(bytes);
        StructValue got = ((GenericState) ((DeviceSection) back.get(1)).state()).tree();
        assertEquals(tree, got);
        assertSameF64Bits(got, tree);
        assertArrayEquals(bytes, write(back));
        // ... and the same through a reader fed one byte at a time.
        SampleStreams.assertSameRecords(back, SampleStreams.read(format(),
                ByteSource.of(SampleStreams.oneByteAtATime(bytes)), ReadOptions.defaults()));
    }

    /** Tree equality already compares f64 by raw bits; this says so where it matters, member by member. */
    private static void assertSameF64Bits(StructValue a, StructValue b) {
        a.members().forEach((k, v) -> {
            if (v instanceof StateTree.F64Value f) {
                assertEquals(Double.doubleToRawLongBits(f.value()),
                        Double.doubleToRawLongBits(((StateTree.F64Value) b.get(k)).value()), k);
            }
        });
    }
}
