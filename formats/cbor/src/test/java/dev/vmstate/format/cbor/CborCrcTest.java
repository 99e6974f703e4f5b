package dev.vmstate.format.cbor;

import dev.vmstate.testkit.EveryKind;
import static dev.vmstate.format.cbor.Fixtures.read;
import static dev.vmstate.format.cbor.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.spi.SectionCrc;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.testkit.StreamMutations;
import java.util.List;
import org.junit.jupiter.api.Test;

class CborCrcTest {
    private static final WriteOptions CRC = WriteOptions.defaults().withCrc32c(true);
    /** The start of the second device record: its map head, "record": "device", "section_id": 1, "idstr": "com1". */
    private static final byte[] SECOND_SECTION = TestCbor.seq(TestCbor.raw(0xA9), "record", "device", "section_id", 1);

    @Test
    void eachDeviceSectionCarriesTheCrcOfItsBodyEncoding() {
        List<StreamRecord> records = EveryRecord.stream(true);
        byte[] bytes = write(records, CRC);
        assertThat(Fixtures.hex(bytes)).contains("01066372633332" + "63"); // the envelope's feature "crc32c"
        long crc = SectionCrc.of(new EveryKind());
        // "footer": true, "crc32c": the CRC as an unsigned integer (0x1A and 4 bytes), then "schema".
        assertThat(Fixtures.hex(bytes)).contains("66666f6f746572f5" + "66637263333263" + String.format("1a%08x", crc)
                + "66736368656d61");
        Fixtures.assertSameRecords(read(bytes), records);
        assertThat(write(read(bytes), CRC)).isEqualTo(bytes);
        assertThat(Fixtures.hex(write(records))).doesNotContain("66637263333263");
    }

    @Test
    void aChangedValueFailsNamingTheSection() {
        byte[] bytes = write(EveryRecord.stream(true), CRC);
        int second = StreamMutations.indexOf(bytes, SECOND_SECTION);
        byte[] changed = bytes.clone();
        int u8 = second + StreamMutations.indexOf(java.util.Arrays.copyOfRange(bytes, second, bytes.length),
                CborMalformedInputTest.U8_200);
        changed[u8 + 1] = (byte) 201; // u8: 0x18 0xC9, still a valid uint8
        MalformedStreamException e = catchThrowableOfType(MalformedStreamException.class, () -> read(changed));
        assertThat(e.section()).isEqualTo("com1/1");
        assertThat(e.getOriginalMessage()).matches(
                "section com1/1 fails its CRC32C check: stream says 0x[0-9A-F]{8}, state gives 0x[0-9A-F]{8}");
        assertThat(e.offset()).isEqualTo(second);
        assertThat(e.format()).isEqualTo("cbor");
    }

    @Test
    void theFeatureRequiresTheKey() {
        byte[] bytes = write(EveryRecord.stream(true), CRC);
        // Drop the first section's "crc32c" pair and decrement its map's size (0xA9 -> 0xA8).
        long crc = SectionCrc.of(new EveryKind());
        byte[] pair = TestCbor.seq("crc32c", crc);
        int at = StreamMutations.indexOf(bytes, pair);
        byte[] dropped = StreamMutations.replace(bytes, pair, new byte[0]);
        int head = StreamMutations.indexOf(bytes, TestCbor.seq(TestCbor.raw(0xA9), "record", "device"));
        assertThat(head).isLessThan(at);
        dropped[head] = (byte) 0xA8;
        MalformedStreamException e = catchThrowableOfType(MalformedStreamException.class, () -> read(dropped));
        assertThat(e.getOriginalMessage()).isEqualTo(
                "missing key \"crc32c\" in a device record of a stream with feature crc32c");
        assertThat(e.section()).isEqualTo("com1/0");
        assertThat(e.offset()).isEqualTo(head);
    }

    @Test
    void aCrcWithoutTheFeatureIsCheckedAnyway() {
        byte[] bytes = write(EveryRecord.stream(true), CRC);
        // The envelope without its feature: feature count 0, the 7 bytes of "crc32c" gone, L 46 -> 39.
        byte[] plain = write(EveryRecord.stream(true));
        int body = SampleStreams.bodyStart(bytes);
        byte[] noFeature = new byte[bytes.length - 7];
        System.arraycopy(plain, 0, noFeature, 0, SampleStreams.bodyStart(plain));
        System.arraycopy(bytes, body, noFeature, SampleStreams.bodyStart(plain), bytes.length - body);
        Fixtures.assertSameRecords(read(noFeature), EveryRecord.stream(true));
        int u8 = StreamMutations.indexOf(noFeature, CborMalformedInputTest.U8_200);
        noFeature[u8 + 1] = (byte) 201;
        MalformedStreamException e = catchThrowableOfType(MalformedStreamException.class, () -> read(noFeature));
        assertThat(e.getOriginalMessage()).startsWith("section com1/0 fails its CRC32C check");
    }
}
