package dev.vmstate.format.protobuf;

import static dev.vmstate.format.protobuf.Fixtures.read;
import static dev.vmstate.format.protobuf.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.format.protobuf.internal.Record;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.SectionCrc;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.testkit.EveryKind;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.testkit.StreamMutations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtobufCrcTest {
    private static final WriteOptions CRC = WriteOptions.defaults().withCrc32c(true);

    /** {@code v} as the hex of its varint. */
    static String varint(long v) {
        StringBuilder sb = new StringBuilder();
        while ((v & ~0x7FL) != 0) {
            sb.append(String.format("%02x", (v & 0x7F) | 0x80));
            v >>>= 7;
        }
        return sb.append(String.format("%02x", v)).toString();
    }

    /** Where each record of {@code stream} starts, schema records not counted: the reader's position before it. */
    static long[] recordStarts(byte[] stream) {
        long[] at = new long[64];
        int n = 0;
        try (StreamReader r = Fixtures.FORMAT.openReader(ByteSource.of(stream), ReadOptions.defaults())) {
            at[n] = r.envelope() == null ? 0 : r.position();
            while (r.next() != null) {
                at[++n] = r.position();
            }
        }
        return Arrays.copyOf(at, n);
    }

    /** {@code stream} with the message of record {@code index} (counting schema records) replaced. */
    static byte[] withRecord(byte[] stream, int index, Record replacement) throws IOException {
        List<byte[]> messages = ProtobufWireTest.messages(stream);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(stream, 0, SampleStreams.bodyStart(stream));
        for (int i = 0; i < messages.size(); i++) {
            if (i == index) {
                replacement.writeDelimitedTo(out);
            } else {
                Record.parseFrom(messages.get(i)).writeDelimitedTo(out);
            }
        }
        return out.toByteArray();
    }

    @Test
    void eachDeviceSectionCarriesTheCrcOfItsBodyEncoding() {
        List<dev.vmstate.stream.StreamRecord> records = EveryRecord.stream(true);
        byte[] bytes = write(records, CRC);
        assertThat(Fixtures.hex(bytes)).contains("01066372633332" + "63"); // the envelope's feature "crc32c"
        long crc = SectionCrc.of(new EveryKind());
        // footer: true (28 01), crc32c: field 6, varint (30 ...), then the state (42: schema id 0 is left out)
        assertThat(Fixtures.hex(bytes)).contains("2801" + "30" + varint(crc) + "42");
        Fixtures.assertSameRecords(read(bytes), records);
        assertThat(write(read(bytes), CRC)).isEqualTo(bytes);
        assertThat(Fixtures.hex(write(records))).doesNotContain("2801" + "30" + varint(crc));
    }

    @Test
    void aChangedValueFailsNamingTheSection() {
        byte[] bytes = write(EveryRecord.stream(true), CRC);
        long second = recordStarts(bytes)[6]; // header, 3 RAM records, section_end, com1/0, then com1/1
        byte[] changed = bytes.clone();
        int u8 = (int) second + StreamMutations.indexOf(
                Arrays.copyOfRange(bytes, (int) second, bytes.length), ProtobufMalformedInputTest.U8_200);
        changed[u8 + 1] = (byte) 0xC9; // u8: 201, still a valid uint8
        MalformedStreamException e = catchThrowableOfType(MalformedStreamException.class, () -> read(changed));
        assertThat(e.section()).isEqualTo("com1/1");
        assertThat(e.getOriginalMessage()).matches(
                "section com1/1 fails its CRC32C check: stream says 0x[0-9A-F]{8}, state gives 0x[0-9A-F]{8}");
        assertThat(e.offset()).isEqualTo(second);
        assertThat(e.format()).isEqualTo("protobuf");
    }

    @Test
    void theFeatureRequiresTheField() throws IOException {
        byte[] bytes = write(EveryRecord.stream(true), CRC);
        // record 6 of the body is the first device record (after its schema record): drop its crc32c
        Record device = Record.parseFrom(ProtobufWireTest.messages(bytes).get(6));
        assertThat(device.getDevice().hasCrc32C()).isTrue();
        byte[] dropped = withRecord(bytes, 6, device.toBuilder().setDevice(device.getDevice().toBuilder().clearCrc32C())
                .build());
        long at = recordStarts(bytes)[5] + ProtobufWireTest.messages(bytes).get(5).length + 2;
        MalformedStreamException e = catchThrowableOfType(MalformedStreamException.class, () -> read(dropped));
        assertThat(e.getOriginalMessage()).isEqualTo(
                "missing field 6 (crc32c) in a device record of a stream with feature crc32c");
        assertThat(e.section()).isEqualTo("com1/0");
        assertThat(e.offset()).isEqualTo(at);
    }

    @Test
    void aCrcWithoutTheFeatureIsCheckedAnyway() {
        byte[] bytes = write(EveryRecord.stream(true), CRC);
        // The envelope without its feature: feature count 0, the 7 bytes of "crc32c" gone.
        byte[] plain = write(EveryRecord.stream(true));
        int body = SampleStreams.bodyStart(bytes);
        byte[] noFeature = new byte[bytes.length - 7];
        System.arraycopy(plain, 0, noFeature, 0, SampleStreams.bodyStart(plain));
        System.arraycopy(bytes, body, noFeature, SampleStreams.bodyStart(plain), bytes.length - body);
        Fixtures.assertSameRecords(read(noFeature), EveryRecord.stream(true));
        int u8 = StreamMutations.indexOf(noFeature, ProtobufMalformedInputTest.U8_200);
        noFeature[u8 + 1] = (byte) 0xC9;
        MalformedStreamException e = catchThrowableOfType(MalformedStreamException.class, () -> read(noFeature));
        assertThat(e.getOriginalMessage()).startsWith("section com1/0 fails its CRC32C check");
    }
}
