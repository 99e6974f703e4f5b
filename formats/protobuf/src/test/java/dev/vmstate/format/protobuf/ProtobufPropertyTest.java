package dev.vmstate.format.protobuf;

import static dev.vmstate.format.protobuf.Fixtures.read;
import static dev.vmstate.format.protobuf.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
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
import dev.vmstate.testkit.Arbitraries;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.Properties;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class ProtobufPropertyTest {
    /** Every integer kind as scalar, fixed and variable array, nested three deep with a list and sections. */
    static final Schema WIDE;

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

    @Test
    void randomStatesRoundTripExactly() {
        for (Schema schema : List.of(EveryRecord.EVERY_KIND, WIDE, EveryRecord.SMALL)) {
            Properties.qt().forAll(Arbitraries.states(schema)).checkAssert(tree -> roundTrips(schema, tree));
        }
    }

    @Test
    void randomStatesRoundTripWithCrc() {
        Properties.qt().forAll(Arbitraries.states(WIDE)).checkAssert(tree -> {
            List<StreamRecord> records = EveryRecord.oneSection(WIDE, tree);
            byte[] bytes = write(records, WriteOptions.defaults().withCrc32c(true));
            Fixtures.assertSameRecords(read(bytes), records);
        });
    }

    @Test
    void anyUnicodeTextRoundTrips() {
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
            Fixtures.assertSameRecords(read(bytes), records);
            assertThat(write(read(bytes))).isEqualTo(bytes);
        });
    }

    @Test
    void ramAndCommandRecordsRoundTrip() {
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
                    Fixtures.assertSameRecords(read(out), records);
                    assertThat(write(read(out))).isEqualTo(out);
                });
    }

    @Test
    void anyBytesAfterAHeaderReadOrFailCleanly() {
        // Mostly bytes below 0xA0: short lengths and the tags of records and states, so the garbage often
        // parses a while, as records and nested messages, before it breaks.
        Gen<byte[]> garbage = lists().of(integers().between(0, 0x9F)).ofSizeBetween(0, 48).map(l -> {
            byte[] b = new byte[l.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (int) l.get(i);
            }
            return b;
        });
        Properties.qt().forAll(garbage).checkAssert(body -> {
            for (byte[] bytes : List.of(TestProto.withEnvelope(body), TestProto.stream(TestProto.header(), body))) {
                try {
                    read(bytes);
                } catch (dev.vmstate.error.VmstateException e) {
                    assertThat(e.offset()).isBetween(0L, (long) bytes.length);
                    assertThat(e.format()).isEqualTo("protobuf");
                }
            }
        });
    }

    private static void roundTrips(Schema schema, StructValue tree) {
        List<StreamRecord> records = EveryRecord.oneSection(schema, tree);
        byte[] bytes = write(records);
        List<StreamRecord> back = read(bytes);
        StructValue got = ((GenericState) ((DeviceSection) back.get(1)).state()).tree();
        assertThat(got).isEqualTo(tree);
        assertSameF64Bits(got, tree);
        assertThat(write(back)).isEqualTo(bytes);
        // ... and the same through a reader fed one byte at a time.
        Fixtures.assertSameRecords(read(dev.vmstate.binary.ByteSource.of(dev.vmstate.testkit.SampleStreams.oneByteAtATime(bytes)),
                dev.vmstate.spi.ReadOptions.defaults()), back);
    }

    /** Tree equality already compares f64 by raw bits; this says so where it matters, member by member. */
    private static void assertSameF64Bits(StructValue a, StructValue b) {
        Map<String, StateTree> am = new LinkedHashMap<>(a.members());
        am.forEach((k, v) -> {
            if (v instanceof StateTree.F64Value f) {
                assertThat(Double.doubleToRawLongBits(f.value()))
                        .isEqualTo(Double.doubleToRawLongBits(((StateTree.F64Value) b.get(k)).value()));
            }
        });
    }
}
