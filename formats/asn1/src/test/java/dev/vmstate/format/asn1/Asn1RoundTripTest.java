package dev.vmstate.format.asn1;

import static dev.vmstate.format.asn1.Fixtures.BER;
import static dev.vmstate.format.asn1.Fixtures.DER;
import static dev.vmstate.format.asn1.Fixtures.assertSameRecords;
import static dev.vmstate.format.asn1.Fixtures.read;
import static dev.vmstate.format.asn1.Fixtures.write;
import static dev.vmstate.testkit.EveryRecord.EVERY_KIND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.VmstateException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.FormatCapabilities;
import dev.vmstate.spi.Formats;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.EveryKind;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.testkit.StreamMutations;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.F64Value;
import dev.vmstate.tree.StateTree.StrValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.TreeOutVisitor;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Asn1RoundTripTest {
    static final List<WireFormat> BOTH = List.of(DER, BER);

    @Test
    void fullStreamRoundTripsAndRewritesByteIdentical() {
        for (WireFormat f : BOTH) {
            for (boolean raw : new boolean[] {true, false}) {
                for (WriteOptions o : List.of(WriteOptions.defaults(), WriteOptions.defaults().withCrc32c(true))) {
                    List<StreamRecord> records = EveryRecord.stream(raw);
                    byte[] first = write(f, records, o);
                    List<StreamRecord> back = read(f, first);
                    assertSameRecords(back, records);
                    assertThat(((DeviceSection) back.get(5)).state()).isInstanceOf(GenericState.class);
                    assertThat(write(f, back, o)).isEqualTo(first);
                }
            }
        }
    }

    @Test
    void berAndDerCarryTheSameValues() {
        List<StreamRecord> records = EveryRecord.stream(true);
        byte[] der = write(DER, records);
        byte[] ber = write(BER, records);
        // BER -> DER: the BER reader's records give the DER stream again, byte for byte
        assertThat(Fixtures.hex(write(DER, read(BER, ber)))).isEqualTo(Fixtures.hex(der));
        // DER -> BER: the same records, but a device's properties now in DER's order, as DER read them
        byte[] again = write(BER, read(DER, der));
        assertSameRecords(read(BER, again), records);
        assertThat(again.length).isEqualTo(ber.length);
    }

    /** Every record is one top-level value whose identifier names its Record alternative. */
    @Test
    void theStreamIsTheEnvelopeThenOneValuePerRecord() {
        Map<Class<?>, Integer> ids = Map.of(dev.vmstate.stream.StreamHeader.class, 0xA0, DeviceSection.class, 0xA2,
                dev.vmstate.stream.IterativeSection.class, 0xA3, dev.vmstate.stream.RamRecord.Blocks.class, 0xA4,
                dev.vmstate.stream.RamRecord.Page.class, 0xA5, dev.vmstate.stream.RamRecord.Eos.class, 0x86,
                dev.vmstate.stream.SectionEnd.class, 0xA7, dev.vmstate.stream.Command.class, 0xA8,
                dev.vmstate.stream.EndOfState.class, 0x89, Description.class, 0xAA);
        for (WireFormat f : BOTH) {
            List<StreamRecord> records = EveryRecord.stream(true);
            byte[] bytes = write(f, records);
            Envelope e = Envelope.read(ByteSource.of(bytes));
            assertThat(e.formatId()).isEqualTo(f.name());
            int body = SampleStreams.bodyStart(bytes);
            assertThat(body).isEqualTo(e.toBytes().length);
            List<Tlv> values = Tlv.parseAll(bytes, body);
            try (StreamReader r = f.openReader(ByteSource.of(bytes), ReadOptions.defaults())) {
                int v = 0;
                for (StreamRecord rec : records) {
                    StreamRecord got = r.next();
                    assertThat(got.getClass()).isEqualTo(rec.getClass());
                    if (rec instanceof DeviceSection && values.get(v).id() == 0xA1) {
                        v++; // #5: a schema value ([1]) comes before the first device value using it
                    }
                    Tlv t = values.get(v++);
                    assertThat(t.id()).as("identifier of %s", rec.getClass().getSimpleName())
                            .isEqualTo(ids.get(rec.getClass()));
                    assertThat(t.end()).as("end of the value of %s", rec.getClass().getSimpleName())
                            .isEqualTo(r.position());
                }
                assertThat(r.next()).isNull();
                assertThat(r.position()).isEqualTo(bytes.length);
                assertThat(v).isEqualTo(values.size());
            }
            assertThat(values).hasSize(records.size() + 2); // two schemas: everykind and small
        }
    }

    @Test
    void everyInputShapeGivesTheSameRecords() {
        for (WireFormat f : BOTH) {
            List<StreamRecord> records = EveryRecord.stream(true);
            byte[] bytes = write(f, records);
            ReadOptions o = ReadOptions.defaults();
            assertSameRecords(read(f, ByteSource.of(SampleStreams.oneByteAtATime(bytes)), o), records);
            assertSameRecords(read(f, ByteSource.of(ByteBuffer.wrap(bytes)), o), records);
            assertSameRecords(read(f, ByteSource.of(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip()), o),
                    records);
            assertSameRecords(read(f, ByteSource.of(Channels.newChannel(new ByteArrayInputStream(bytes)), 512), o),
                    records);
        }
    }

    @Test
    void positionIsTheEndOfTheLastRecordRead() {
        for (WireFormat f : BOTH) {
            byte[] bytes = write(f, EveryRecord.stream(false));
            try (StreamReader r = f.openReader(ByteSource.of(bytes), ReadOptions.defaults())) {
                assertThat(r.position()).isZero();
                assertThat(r.envelope().formatId()).isEqualTo(f.name());
                assertThat(r.position()).isEqualTo(SampleStreams.bodyStart(bytes));
                long last = r.position();
                while (r.next() != null) {
                    assertThat(r.position()).isGreaterThan(last).isLessThanOrEqualTo(bytes.length);
                    last = r.position();
                }
                assertThat(r.position()).isEqualTo(bytes.length);
            }
        }
    }

    @Test
    void offsetsCountFromTheStartOfTheSource() {
        byte[] body = write(DER, Asn1GoldenTest.records());
        // u8 = 200 (02 02 00 C8) becomes 300 (02 02 01 2C): valid DER, out of range for the field
        byte[] changed = StreamMutations.replace(body, Fixtures.unhex("02 02 00 c8 02 03 00 ea 60"),
                Fixtures.unhex("02 02 01 2c 02 03 00 ea 60"));
        int u8 = StreamMutations.indexOf(changed, Fixtures.unhex("02 02 01 2c"));
        byte[] prefixed = new byte[changed.length + 4];
        System.arraycopy(changed, 0, prefixed, 4, changed.length);
        ByteSource src = ByteSource.of(prefixed);
        src.skip(4);
        VmstateException direct = catchThrowableOfType(VmstateException.class, () -> read(DER, changed));
        VmstateException shifted = catchThrowableOfType(VmstateException.class,
                () -> read(DER, src, ReadOptions.defaults()));
        assertThat(direct.getOriginalMessage()).isEqualTo("invalid value 300 for uint8, expected 0..255");
        assertThat(direct.getMessage()).isEqualTo("invalid value 300 for uint8, expected 0..255\n at [asn1-der] "
                + "section com1/0 u8 (byte offset #" + u8 + ")");
        assertThat(direct.offset()).isEqualTo(u8);
        assertThat(shifted.offset()).isEqualTo(direct.offset() + 4);
    }

    @Test
    void sectionsLoadIntoTheTargetsTheCallerChooses() {
        for (WireFormat f : BOTH) {
            List<StreamRecord> records = EveryRecord.stream(true);
            List<StreamRecord> back = read(f, ByteSource.of(write(f, records)), ReadOptions.defaults().withTargets(
                    (idstr, instance, version, schema) -> idstr.equals("com1") ? new EveryKind() : null));
            assertSameRecords(back, records);
            assertThat(((DeviceSection) back.get(5)).state()).isInstanceOf(EveryKind.class);
            EveryKind second = (EveryKind) ((DeviceSection) back.get(6)).state();
            assertThat(second.pendingNeeded).isFalse();
            assertThat(Double.doubleToRawLongBits(second.f64)).isEqualTo(0x7FF0_0000_0000_0001L);
            assertThat(((DeviceSection) back.get(7)).state()).isInstanceOf(GenericState.class);
        }
    }

    @Test
    void specialValuesAreExactAndEncodedAsTheSpecSays() {
        double[] values = {-0.0, 0.0, Double.NaN, Double.longBitsToDouble(0x7FF0_0000_0000_0001L),
            Double.longBitsToDouble(0xFFF8_0000_0000_1234L), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, Double.MAX_VALUE, 0.1, -1e-300, 123456789.125, 1.0};
        long[] u64s = {0, 127, 128, Long.MAX_VALUE, Long.MIN_VALUE, -1L, 0x8000_0000_0000_0001L};
        for (int i = 0; i < values.length; i++) {
            double d = values[i];
            long u64 = u64s[i % u64s.length];
            StructValue tree = withF64AndU64(TreeOutVisitor.toTree("everykind", new EveryKind()), d, u64);
            for (WireFormat f : BOTH) {
                byte[] bytes = write(f, EveryRecord.oneSection(EVERY_KIND, tree));
                StructValue back = ((GenericState) ((DeviceSection) read(f, bytes).get(1)).state()).tree();
                assertThat(Double.doubleToRawLongBits(((F64Value) back.get("f64")).value()))
                        .as("bits of %s", d).isEqualTo(Double.doubleToRawLongBits(d));
                assertThat(back).isEqualTo(tree);
                // u64: INTEGER, minimal two's complement, at or above 2^63 nine octets with 00 first; then
                // f64: Float64 [APPLICATION 1], the 8 raw bytes, never canonicalised
                String u64Hex = new java.math.BigInteger(Long.toUnsignedString(u64)).toString(16);
                byte[] content = new java.math.BigInteger(Long.toUnsignedString(u64)).toByteArray();
                String expected = String.format("02%02x", content.length) + Fixtures.hex(content) + "4108"
                        + String.format("%016x", Double.doubleToRawLongBits(d));
                assertThat(Fixtures.hex(bytes)).as("u64 %s", u64Hex).contains(expected);
            }
        }
    }

    static StructValue withF64AndU64(StructValue t, double f64, long u64) {
        Map<String, StateTree> m = new LinkedHashMap<>(t.members());
        m.put("f64", new F64Value(f64));
        m.put("u64", new StateTree.IntValue(Kind.U64, u64));
        return new StructValue(t.type(), m);
    }

    @Test
    void longTextAndNamesUseLongFormLengths() {
        String longName = "k".repeat(5000);
        Schema s = new Schema("long", 1, 1, List.of(Field.variable(longName, Kind.STR),
                Field.variable("text", Kind.STR)));
        String text = "\u20ac\uD83D\uDE00x".repeat(3000);
        Map<String, StateTree> m = new LinkedHashMap<>();
        m.put(longName, new StrValue("é".repeat(4500)));
        m.put("text", new StrValue(text));
        StructValue tree = new StructValue("long", m);
        for (WireFormat f : BOTH) {
            byte[] bytes = write(f, EveryRecord.oneSection(s, tree));
            String hex = Fixtures.hex(bytes);
            assertThat(hex).contains("0c821388" + "6b".repeat(16)); // the name in the schema: 5000 bytes
            assertThat(hex).contains("0c822328" + "c3a9".repeat(8)); // its value: 4500 x 2 = 9000 bytes
            assertThat(hex).contains("0c825dc0" + "e282ac"); // the text: 3000 x (3 + 4 + 1) = 24000 bytes
            StructValue back = ((GenericState) ((DeviceSection) read(f, bytes).get(1)).state()).tree();
            assertThat(back).isEqualTo(tree);
            assertThat(write(f, read(f, bytes))).isEqualTo(bytes);
        }
    }

    @Test
    void descriptionBytesTravelExactlyEvenWhenNotUtf8() {
        List<StreamRecord> records = new ArrayList<>(EveryRecord.stream(true));
        records.set(records.size() - 1, new Description(new byte[] {'{', (byte) 0xFF, (byte) 0xC3, '}'}));
        byte[] bytes = write(DER, records);
        assertSameRecords(read(DER, bytes), records);
        assertThat(Fixtures.hex(bytes)).endsWith("aa06" + "0404" + "7bffc37d");
        assertThat(Fixtures.hex(write(BER, records))).endsWith("aa80" + "0404" + "7bffc37d" + "0000");
    }

    @Test
    void envelopeCarriesFingerprintAndFeatures() {
        byte[] fp = Envelope.fingerprint(List.of(EVERY_KIND, EveryRecord.SMALL));
        for (WireFormat f : BOTH) {
            byte[] bytes = write(f, EveryRecord.stream(true),
                    WriteOptions.defaults().withSchemaFingerprint(fp).withCrc32c(true));
            try (StreamReader r = f.openReader(ByteSource.of(bytes), ReadOptions.defaults())) {
                Envelope e = r.envelope();
                assertThat(e.formatId()).isEqualTo(f.name());
                assertThat(e.schemaFingerprint()).isEqualTo(fp);
                assertThat(e.features()).containsExactly(Envelope.FEATURE_CRC32C);
                List<StreamRecord> back = new ArrayList<>();
                StreamRecord rec;
                while ((rec = r.next()) != null) {
                    back.add(rec);
                }
                assertSameRecords(back, EveryRecord.stream(true));
                assertThat(r.envelope()).isEqualTo(e);
            }
        }
    }

    @Test
    void eachFormatReadsOnlyItsOwnStreams() {
        byte[] der = write(DER, EveryRecord.stream(true));
        byte[] ber = write(BER, EveryRecord.stream(true));
        VmstateException e = catchThrowableOfType(VmstateException.class, () -> read(BER, der));
        assertThat(e.getOriginalMessage()).isEqualTo("envelope names format \"asn1-der\", expected \"asn1-ber\"");
        assertThat(e.offset()).isEqualTo(7);
        e = catchThrowableOfType(VmstateException.class, () -> read(DER, ber));
        assertThat(e.getOriginalMessage()).isEqualTo("envelope names format \"asn1-ber\", expected \"asn1-der\"");
    }

    @Test
    void sniffsItsOwnStreamsOnly() {
        byte[] head = write(DER, EveryRecord.stream(true));
        byte[] ber = write(BER, EveryRecord.stream(true));
        assertThat(DER.sniff(head, Math.min(64, head.length))).isTrue();
        assertThat(BER.sniff(head, 64)).isFalse();
        assertThat(BER.sniff(ber, 64)).isTrue();
        assertThat(DER.sniff(ber, 64)).isFalse();
        assertThat(DER.sniff(head, 16)).isTrue();
        assertThat(DER.sniff(head, 15)).isFalse();
        assertThat(DER.sniff(new Envelope("cbor", new byte[32], List.of()).toBytes(), 53)).isFalse();
        assertThat(DER.sniff(new byte[] {'Q', 'E', 'V', 'M', 0, 0, 0, 3}, 8)).isFalse();
        assertThat(DER.sniff(new byte[0], 0)).isFalse();
        assertThat(DER.sniff(null, 10)).isFalse();
        assertThat(DER.sniff(head, -1)).isFalse();
    }

    @Test
    void bothAreFoundOnTheClassPathWithTheirCapabilities() {
        Formats formats = Formats.builtIn();
        for (WireFormat f : BOTH) {
            assertThat(formats.find(f.name())).isPresent();
            assertThat(formats.get(f.name()).capabilities()).isEqualTo(new FormatCapabilities(true, false, true, true));
            assertThat(formats.detect(write(f, EveryRecord.stream(true)), 64).name()).isEqualTo(f.name());
        }
    }

    @Test
    void aGenericStateKeepsTheSectionVersionsAsWritten() {
        Schema sub = new Schema("top/sub", 3, 1, List.of(Field.scalar("x", Kind.U8, null)));
        Schema item = new Schema("item", 1, 1, List.of(Field.scalar("y", Kind.U8, null), Field.section("item/opt", sub)));
        Schema top = new Schema("top", 1, 1, List.of(Field.scalar("a", Kind.U8, null), Field.list("items", item),
                Field.section("top/sub", sub)));
        StructValue x = new StructValue("top/sub", Map.of("x", new StateTree.IntValue(Kind.U8, 5)));
        StructValue tree = new StructValue("top", new LinkedHashMap<>(Map.of(
                "a", new StateTree.IntValue(Kind.U8, 1),
                "items", new StateTree.ListValue(Kind.LIST, List.of(
                        new StructValue("item", Map.of("y", new StateTree.IntValue(Kind.U8, 2),
                                "item/opt", new StateTree.SectionValue(2, x))),
                        new StructValue("item", Map.of("y", new StateTree.IntValue(Kind.U8, 3))))),
                "top/sub", new StateTree.SectionValue(1, x))));
        for (WireFormat f : BOTH) {
            byte[] bytes = write(f, EveryRecord.oneSection(top, tree));
            StructValue back = ((GenericState) ((DeviceSection) read(f, bytes).get(1)).state()).tree();
            assertThat(back).isEqualTo(new GenericState(top, tree).tree());
            assertThat(((StateTree.SectionValue) back.get("top/sub")).version()).isEqualTo(1);
            assertThat(write(f, read(f, bytes))).isEqualTo(bytes);
        }
    }
}
