package dev.vmstate.format.cbor;

import dev.vmstate.testkit.EveryKind;
import dev.vmstate.spi.RecordOrder;
import static dev.vmstate.format.cbor.Fixtures.FORMAT;
import static dev.vmstate.format.cbor.Fixtures.assertSameRecords;
import static dev.vmstate.format.cbor.Fixtures.read;
import static dev.vmstate.format.cbor.Fixtures.write;
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
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.StreamRecord;
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

class CborRoundTripTest {

    @Test
    void fullStreamRoundTripsAndRewritesByteIdentical() {
        for (boolean raw : new boolean[] {true, false}) {
            for (WriteOptions o : List.of(WriteOptions.defaults(), WriteOptions.defaults().withCrc32c(true))) {
                List<StreamRecord> records = EveryRecord.stream(raw);
                byte[] first = write(records, o);
                List<StreamRecord> back = read(first);
                assertSameRecords(back, records);
                assertThat(((DeviceSection) back.get(5)).state()).isInstanceOf(GenericState.class);
                byte[] second = write(back, o);
                assertThat(second).isEqualTo(first);
            }
        }
    }

    @Test
    void theStreamIsTheEnvelopeThenOneItemPerRecord() {
        List<StreamRecord> records = EveryRecord.stream(true);
        byte[] bytes = write(records);
        Envelope e = Envelope.read(ByteSource.of(bytes));
        assertThat(e.formatId()).isEqualTo("cbor");
        int body = SampleStreams.bodyStart(bytes);
        assertThat(body).isEqualTo(e.toBytes().length);
        // Every record starts a map whose first key is "record" and whose first value names the kind.
        try (StreamReader r = FORMAT.openReader(ByteSource.of(bytes), ReadOptions.defaults())) {
            long at = body;
            for (StreamRecord rec : records) {
                StreamRecord got = r.next();
                assertThat(got.getClass()).isEqualTo(rec.getClass());
                int ib = bytes[(int) at] & 0xFF;
                assertThat(ib >>> 5).as("major type of record at %d", at).isEqualTo(5);
                assertThat(ib & 0x1F).as("a definite-length map").isLessThan(24);
                String kind = RecordOrder.kindOf(rec);
                if (rec instanceof DeviceSection && bytes[(int) at + 8] == 0x66 && bytes[(int) at + 9] == 's') {
                    // #4: a schema item ({"record": "schema", ...}) comes before the first device item using it
                    kind = "schema";
                }
                byte[] head = Arrays.copyOfRange(bytes, (int) at + 1, (int) at + 8 + 1 + kind.length());
                assertThat(Fixtures.hex(head)).isEqualTo("667265636f7264" + String.format("%02x", 0x60 + kind.length())
                        + Fixtures.hex(kind.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                at = r.position();
            }
            assertThat(r.next()).isNull();
            assertThat(r.position()).isEqualTo(bytes.length);
        }
    }

    @Test
    void everyInputShapeGivesTheSameRecords() {
        List<StreamRecord> records = EveryRecord.stream(true);
        byte[] bytes = write(records);
        ReadOptions o = ReadOptions.defaults();
        assertSameRecords(read(ByteSource.of(dev.vmstate.testkit.SampleStreams.oneByteAtATime(bytes)), o), records);
        assertSameRecords(read(ByteSource.of(ByteBuffer.wrap(bytes)), o), records);
        assertSameRecords(read(ByteSource.of(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip()), o), records);
        assertSameRecords(read(ByteSource.of(Channels.newChannel(new ByteArrayInputStream(bytes)), 512), o), records);
    }

    @Test
    void positionIsTheEndOfTheLastItemRead() {
        byte[] bytes = write(EveryRecord.stream(false));
        try (StreamReader r = FORMAT.openReader(ByteSource.of(bytes), ReadOptions.defaults())) {
            assertThat(r.position()).isZero();
            assertThat(r.envelope().formatId()).isEqualTo("cbor");
            assertThat(r.position()).isEqualTo(SampleStreams.bodyStart(bytes));
            long last = r.position();
            while (r.next() != null) {
                assertThat(r.position()).isGreaterThan(last).isLessThanOrEqualTo(bytes.length);
                last = r.position();
            }
            assertThat(r.position()).isEqualTo(bytes.length);
        }
    }

    @Test
    void offsetsCountFromTheStartOfTheSource() {
        byte[] body = write(CborMalformedInputTest.smallStream());
        int u8 = StreamMutations.indexOf(body, CborMalformedInputTest.U8_200);
        // u8 = 300, as 0x19 0x01 0x2C: well-formed CBOR, out of range for the field.
        byte[] changed = StreamMutations.replace(body, CborMalformedInputTest.U8_200,
                CborMalformedInputTest.U8_300);
        byte[] prefixed = new byte[changed.length + 4];
        System.arraycopy(changed, 0, prefixed, 4, changed.length);
        ByteSource src = ByteSource.of(prefixed);
        src.skip(4);
        VmstateException direct = catchThrowableOfType(VmstateException.class, () -> read(changed));
        VmstateException shifted = catchThrowableOfType(VmstateException.class, () -> read(src, ReadOptions.defaults()));
        assertThat(direct.getOriginalMessage()).isEqualTo("invalid value 300 for uint8, expected 0..255");
        assertThat(direct.offset()).isEqualTo(u8);
        assertThat(shifted.offset()).isEqualTo(direct.offset() + 4);
    }

    @Test
    void sectionsLoadIntoTheTargetsTheCallerChooses() {
        List<StreamRecord> records = EveryRecord.stream(true);
        List<StreamRecord> back = read(ByteSource.of(write(records)), ReadOptions.defaults().withTargets(
                (idstr, instance, version, schema) -> idstr.equals("com1") ? new EveryKind() : null));
        assertSameRecords(back, records);
        assertThat(((DeviceSection) back.get(5)).state()).isInstanceOf(EveryKind.class);
        EveryKind second = (EveryKind) ((DeviceSection) back.get(6)).state();
        assertThat(second.pendingNeeded).isFalse();
        assertThat(Double.doubleToRawLongBits(second.f64)).isEqualTo(0x7FF0_0000_0000_0001L);
        assertThat(((DeviceSection) back.get(7)).state()).isInstanceOf(GenericState.class);
    }

    @Test
    void specialValuesAreExactAndEncodedAsTheSpecSays() {
        double[] values = {-0.0, 0.0, Double.NaN, Double.longBitsToDouble(0x7FF0_0000_0000_0001L),
            Double.longBitsToDouble(0xFFF8_0000_0000_1234L), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, Double.MAX_VALUE, 0.1, -1e-300, 123456789.125, 1.0};
        long[] u64s = {0, 23, 24, Long.MAX_VALUE, Long.MIN_VALUE, -1L, 0x8000_0000_0000_0001L};
        for (int i = 0; i < values.length; i++) {
            double d = values[i];
            long u64 = u64s[i % u64s.length];
            StructValue tree = withF64AndU64(TreeOutVisitor.toTree("everykind", new EveryKind()), d, u64);
            byte[] bytes = write(EveryRecord.oneSection(EVERY_KIND, tree));
            StructValue back = ((GenericState) ((DeviceSection) read(bytes).get(1)).state()).tree();
            assertThat(Double.doubleToRawLongBits(((F64Value) back.get("f64")).value()))
                    .as("bits of %s", d).isEqualTo(Double.doubleToRawLongBits(d));
            assertThat(back).isEqualTo(tree);
            // u64 in major type 0, shortest form; at or above 2^63, 0x1B and 8 bytes, never tag 2. Then f64
            // (the next member of the compact state): 0xFB and the 8 raw bytes, never shorter, never canonicalised.
            String u64Hex = u64 < 0 || u64 > 0xFFFF_FFFFL ? String.format("1b%016x", u64)
                    : u64 < 24 ? String.format("%02x", u64) : String.format("18%02x", u64);
            assertThat(Fixtures.hex(bytes)).contains(u64Hex + "fb" + String.format("%016x",
                    Double.doubleToRawLongBits(d)));
        }
    }

    static StructValue withF64AndU64(StructValue t, double f64, long u64) {
        Map<String, StateTree> m = new LinkedHashMap<>(t.members());
        m.put("f64", new F64Value(f64));
        m.put("u64", new StateTree.IntValue(Kind.U64, u64));
        return new StructValue(t.type(), m);
    }

    @Test
    void longTextAndKeysKeepDefiniteLengths() {
        String longName = "k".repeat(5000);
        Schema s = new Schema("long", 1, 1, List.of(Field.variable(longName, Kind.STR),
                Field.variable("text", Kind.STR)));
        String text = "\u20ac\uD83D\uDE00x".repeat(3000);
        Map<String, StateTree> m = new LinkedHashMap<>();
        m.put(longName, new StrValue("é".repeat(4500)));
        m.put("text", new StrValue(text));
        StructValue tree = new StructValue("long", m);
        byte[] bytes = write(EveryRecord.oneSection(s, tree));
        String hex = Fixtures.hex(bytes);
        // 0x7F would open an indefinite-length (chunked) text string, as jackson writes long strings by default.
        assertThat(hex).contains("791388" + "6b".repeat(16)); // the key: 5000 bytes
        assertThat(hex).contains("792328" + "c3a9".repeat(8)); // its value: 4500 x 2 = 9000 bytes
        assertThat(hex).contains("795dc0" + "e282ac"); // the text: 3000 x (3 + 4 + 1) = 24000 bytes
        StructValue back = ((GenericState) ((DeviceSection) read(bytes).get(1)).state()).tree();
        assertThat(back).isEqualTo(tree);
        assertThat(write(read(bytes))).isEqualTo(bytes);
    }

    @Test
    void descriptionBytesTravelExactlyEvenWhenNotUtf8() {
        List<StreamRecord> records = new ArrayList<>(EveryRecord.stream(true));
        records.set(records.size() - 1, new Description(new byte[] {'{', (byte) 0xFF, (byte) 0xC3, '}'}));
        byte[] bytes = write(records);
        assertSameRecords(read(bytes), records);
        assertThat(Fixtures.hex(bytes)).endsWith("646a736f6e44" + "7bffc37d");
    }

    @Test
    void envelopeCarriesFingerprintAndFeatures() {
        byte[] fp = Envelope.fingerprint(List.of(EVERY_KIND, EveryRecord.SMALL));
        byte[] bytes = write(EveryRecord.stream(true),
                WriteOptions.defaults().withSchemaFingerprint(fp).withCrc32c(true));
        try (CborStreamReader r = new CborStreamReader(ByteSource.of(bytes), ReadOptions.defaults())) {
            Envelope e = r.envelope();
            assertThat(e.formatId()).isEqualTo("cbor");
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

    @Test
    void sniffsItsOwnStreamsOnly() {
        byte[] head = write(EveryRecord.stream(true));
        assertThat(FORMAT.sniff(head, Math.min(64, head.length))).isTrue();
        assertThat(FORMAT.sniff(head, 12)).isTrue();
        assertThat(FORMAT.sniff(head, 11)).isFalse();
        assertThat(FORMAT.sniff(new Envelope("json", new byte[32], List.of()).toBytes(), 53)).isFalse();
        assertThat(FORMAT.sniff(new byte[] {'Q', 'E', 'V', 'M', 0, 0, 0, 3}, 8)).isFalse();
        assertThat(FORMAT.sniff(new byte[0], 0)).isFalse();
        assertThat(FORMAT.sniff(Arrays.copyOf(head, 4), 64)).isFalse();
        assertThat(FORMAT.sniff(null, 10)).isFalse();
        assertThat(FORMAT.sniff(head, -1)).isFalse();
    }

    @Test
    void isFoundOnTheClassPathWithItsCapabilities() {
        Formats formats = Formats.builtIn();
        assertThat(formats.find("cbor")).isPresent();
        assertThat(formats.get("cbor").capabilities()).isEqualTo(new FormatCapabilities(true, false, true, true));
        byte[] head = write(EveryRecord.stream(true));
        assertThat(formats.detect(head, 64).name()).isEqualTo("cbor");
    }

    @Test
    void aGenericStateKeepsTheSectionVersionsAsWritten() {
        // #4: a visitor loads a present section at the schema's version; the reader puts the written one back.
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
        byte[] bytes = write(EveryRecord.oneSection(top, tree));
        StructValue back = ((GenericState) ((DeviceSection) read(bytes).get(1)).state()).tree();
        assertThat(back).isEqualTo(new GenericState(top, tree).tree());
        assertThat(((StateTree.SectionValue) back.get("top/sub")).version()).isEqualTo(1);
        assertThat(write(read(bytes))).isEqualTo(bytes);
    }
}
