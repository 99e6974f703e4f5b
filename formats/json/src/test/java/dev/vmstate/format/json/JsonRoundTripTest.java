package dev.vmstate.format.json;

import dev.vmstate.testkit.EveryKind;
import dev.vmstate.spi.RecordOrder;
import static dev.vmstate.format.json.Fixtures.EVERY_KIND;
import static dev.vmstate.format.json.Fixtures.FORMAT;
import static dev.vmstate.format.json.Fixtures.assertSameRecords;
import static dev.vmstate.format.json.Fixtures.read;
import static dev.vmstate.format.json.Fixtures.text;
import static dev.vmstate.format.json.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.FormatCapabilities;
import dev.vmstate.spi.Formats;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.F64Value;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.TreeOutVisitor;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonRoundTripTest {

    @Test
    void fullStreamRoundTripsAndRewritesByteIdentical() {
        for (boolean raw : new boolean[] {true, false}) {
            List<StreamRecord> records = Fixtures.fullStream(raw);
            byte[] first = write(records);
            List<StreamRecord> back = read(first);
            assertSameRecords(back, records);
            assertThat(back.get(5)).isInstanceOf(DeviceSection.class);
            assertThat(((DeviceSection) back.get(5)).state()).isInstanceOf(GenericState.class);
            byte[] second = write(back);
            assertThat(text(second)).isEqualTo(text(first));
            assertThat(second).isEqualTo(first);
        }
    }

    @Test
    void layoutIsTheEnvelopeThenOneRecordPerLine() {
        List<StreamRecord> records = Fixtures.fullStream(true);
        String s = text(write(records));
        String[] lines = s.split("\n", -1);
        assertThat(lines[0]).isEqualTo("{\"vmstate\":{\"magic\":\"VMST\",\"envelope_version\":1,\"format\":\"json\","
                + "\"schema_fingerprint\":\"" + "0".repeat(64) + "\",\"features\":[]},\"records\":[");
        assertThat(lines).hasSize(records.size() + 2);
        for (int i = 1; i <= records.size(); i++) {
            assertThat(lines[i]).startsWith("{\"record\":\"" + RecordOrder.kindOf(records.get(i - 1)) + "\"");
            assertThat(lines[i]).endsWith(i < records.size() ? "}," : "}");
            if (i < records.size()) {
                assertThat(lines[i]).doesNotContain(" \"", "\": ", ", ");
            }
        }
        assertThat(lines[records.size() + 1]).isEqualTo("]}");
        assertThat(lines[records.size()]).isEqualTo("{\"record\":\"description\",\"json\":"
                + "\"{\\\"page_size\\\": 4096, \\\"devices\\\": []}\"}");
    }

    @Test
    void everyInputShapeGivesTheSameRecords() {
        List<StreamRecord> records = Fixtures.fullStream(true);
        byte[] bytes = write(records);
        ReadOptions o = ReadOptions.defaults();
        assertSameRecords(read(ByteSource.of(dev.vmstate.testkit.SampleStreams.oneByteAtATime(bytes)), o), records);
        assertSameRecords(read(ByteSource.of(ByteBuffer.wrap(bytes)), o), records);
        assertSameRecords(read(ByteSource.of(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip()), o), records);
        assertSameRecords(read(ByteSource.of(Channels.newChannel(new ByteArrayInputStream(bytes)), 512), o), records);
    }

    @Test
    void positionIsTheEndOfTheLastRecordRead() {
        byte[] bytes = write(Fixtures.fullStream(false));
        String s = text(bytes);
        try (StreamReader r = FORMAT.openReader(ByteSource.of(bytes), ReadOptions.defaults())) {
            assertThat(r.position()).isZero();
            r.next();
            int firstLineEnd = s.indexOf("},\n{\"record\":\"iterative\"");
            assertThat(r.position()).isEqualTo(firstLineEnd + 1);
            while (r.next() != null) {
                assertThat(r.position()).isBetween(0L, (long) bytes.length);
            }
            assertThat(r.position()).isEqualTo(bytes.length);
        }
    }

    @Test
    void offsetsCountFromTheStartOfTheSource() {
        String body = text(write(JsonMalformedInputTest.smallStream()));
        String bad = body.replace("\"u8\":200", "\"u8\":300");
        byte[] prefixed = Fixtures.bytes("QEVM" + bad);
        ByteSource src = ByteSource.of(prefixed);
        src.skip(4);
        dev.vmstate.error.VmstateException direct = org.assertj.core.api.Assertions.catchThrowableOfType(
                dev.vmstate.error.VmstateException.class, () -> read(Fixtures.bytes(bad)));
        dev.vmstate.error.VmstateException shifted = org.assertj.core.api.Assertions.catchThrowableOfType(
                dev.vmstate.error.VmstateException.class, () -> read(src, ReadOptions.defaults()));
        assertThat(shifted.offset()).isEqualTo(direct.offset() + 4);
    }

    @Test
    void sectionsLoadIntoTheTargetsTheCallerChooses() {
        List<StreamRecord> records = Fixtures.fullStream(true);
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
    void specialNumbersAreExactAndReadable() {
        double[] values = {-0.0, 0.0, Double.NaN, Double.longBitsToDouble(0x7FF0_0000_0000_0001L),
            Double.longBitsToDouble(0xFFF8_0000_0000_1234L), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, Double.MAX_VALUE, 0.1, -1e-300, 123456789.125};
        for (double d : values) {
            StructValue tree = withF64AndU64(TreeOutVisitor.toTree("everykind", new EveryKind()), d, -1L);
            List<StreamRecord> records = Fixtures.oneSection(EVERY_KIND, tree);
            byte[] bytes = write(records);
            StructValue back = ((GenericState) ((DeviceSection) read(bytes).get(1)).state()).tree();
            assertThat(Double.doubleToRawLongBits(((F64Value) back.get("f64")).value()))
                    .as("bits of %s", d).isEqualTo(Double.doubleToRawLongBits(d));
            assertThat(back).isEqualTo(tree);
            String s = text(bytes);
            assertThat(s).contains("\"u64\":18446744073709551615");
            assertThat(s).contains(Double.isFinite(d) ? "\"f64\":" + d
                    : String.format("\"f64\":\"0x%016X\"", Double.doubleToRawLongBits(d)));
        }
    }

    static StructValue withF64AndU64(StructValue t, double f64, long u64) {
        Map<String, StateTree> m = new LinkedHashMap<>(t.members());
        m.put("f64", new F64Value(f64));
        m.put("u64", new StateTree.IntValue(dev.vmstate.visitor.Kind.U64, u64));
        return new StructValue(t.type(), m);
    }

    @Test
    void envelopeCarriesFingerprintAndFeatures() {
        byte[] fp = Envelope.fingerprint(List.of(EVERY_KIND, Fixtures.SMALL));
        byte[] bytes = write(Fixtures.fullStream(true),
                WriteOptions.defaults().withSchemaFingerprint(fp).withCrc32c(true));
        try (JsonStreamReader r = new JsonStreamReader(ByteSource.of(bytes), ReadOptions.defaults())) {
            Envelope e = r.envelope();
            assertThat(e.formatId()).isEqualTo("json");
            assertThat(e.schemaFingerprint()).isEqualTo(fp);
            assertThat(e.features()).containsExactly(Envelope.FEATURE_CRC32C);
            List<StreamRecord> back = new ArrayList<>();
            StreamRecord rec;
            while ((rec = r.next()) != null) {
                back.add(rec);
            }
            assertSameRecords(back, Fixtures.fullStream(true));
        }
    }

    @Test
    void sniffsItsOwnStreamsOnly() {
        byte[] head = write(Fixtures.fullStream(true));
        assertThat(FORMAT.sniff(head, Math.min(64, head.length))).isTrue();
        assertThat(FORMAT.sniff(Fixtures.bytes(" \n\t{ \"vmstate\":"), 15)).isTrue();
        assertThat(FORMAT.sniff(Fixtures.bytes("{\"vmstat"), 8)).isFalse();
        assertThat(FORMAT.sniff(Fixtures.bytes("{\"records\":[]}"), 14)).isFalse();
        assertThat(FORMAT.sniff(new byte[] {'Q', 'E', 'V', 'M', 0, 0, 0, 3}, 8)).isFalse();
        assertThat(FORMAT.sniff(new byte[0], 0)).isFalse();
        assertThat(FORMAT.sniff(new byte[4], 64)).isFalse();
        assertThat(FORMAT.sniff(null, 10)).isFalse();
    }

    @Test
    void isFoundOnTheClassPathWithItsCapabilities() {
        Formats formats = Formats.builtIn();
        assertThat(formats.find("json")).isPresent();
        assertThat(formats.get("json").capabilities()).isEqualTo(new FormatCapabilities(true, true, true, true));
        byte[] head = write(Fixtures.fullStream(true));
        assertThat(formats.detect(head, 64).name()).isEqualTo("json");
    }
}
