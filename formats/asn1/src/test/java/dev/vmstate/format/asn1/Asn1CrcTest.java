package dev.vmstate.format.asn1;

import static dev.vmstate.format.asn1.Fixtures.BER;
import static dev.vmstate.format.asn1.Fixtures.DER;
import static dev.vmstate.format.asn1.Fixtures.read;
import static dev.vmstate.format.asn1.Fixtures.unhex;
import static dev.vmstate.format.asn1.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.spi.SectionCrc;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.EveryKind;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.testkit.StreamMutations;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class Asn1CrcTest {
    private static final WriteOptions CRC = WriteOptions.defaults().withCrc32c(true);

    @Test
    void eachDeviceSectionCarriesTheCrcOfItsBodyEncoding() {
        List<StreamRecord> records = EveryRecord.stream(true);
        for (WireFormat f : List.of(DER, BER)) {
            byte[] bytes = write(f, records, CRC);
            assertThat(Fixtures.hex(bytes)).contains("010663726333326" + "3"); // the envelope's feature "crc32c"
            long crc = SectionCrc.of(new EveryKind());
            // footer TRUE, then crc32c [0] as a positive INTEGER (a 0x00 first, the top bit being set), then the schema id
            assertThat(Fixtures.hex(bytes)).contains("0101ff" + String.format("800500%08x", crc) + "020100");
            Fixtures.assertSameRecords(read(f, bytes), records);
            assertThat(write(f, read(f, bytes), CRC)).isEqualTo(bytes);
            assertThat(Fixtures.hex(write(f, records))).doesNotContain(String.format("800500%08x", crc));
        }
    }

    @Test
    void aChangedValueFailsNamingTheSection() {
        byte[] bytes = write(DER, EveryRecord.stream(true), CRC);
        // the second device record: [2], section id 1, "com1"
        int second = StreamMutations.indexOf(bytes, unhex("020101 0c04636f6d31"),
                StreamMutations.indexOf(bytes, unhex("a2"))) - 3;
        assertThat(bytes[second]).isEqualTo((byte) 0xA2);
        byte[] changed = bytes.clone();
        int u8 = StreamMutations.indexOf(bytes, unhex("02 02 00 c8"), second);
        changed[u8 + 3] = (byte) 201; // still a valid uint8
        MalformedStreamException e = catchThrowableOfType(MalformedStreamException.class, () -> read(DER, changed));
        assertThat(e.section()).isEqualTo("com1/1");
        assertThat(e.getOriginalMessage()).matches(
                "section com1/1 fails its CRC32C check: stream says 0x[0-9A-F]{8}, state gives 0x[0-9A-F]{8}");
        assertThat(e.offset()).isEqualTo(second);
        assertThat(e.format()).isEqualTo("asn1-der");
    }

    @Test
    void theFeatureRequiresTheCrc() {
        byte[] bytes = write(DER, EveryRecord.stream(true), CRC);
        int body = SampleStreams.bodyStart(bytes);
        List<Tlv> values = Tlv.parseAll(bytes, body);
        Tlv first = values.stream().filter(v -> v.id() == 0xA2).findFirst().orElseThrow();
        Tlv crc = first.children().get(5);
        assertThat(crc.id()).isEqualTo(0x80);
        byte[] dropped = DerRulesTest.concat(Arrays.copyOf(bytes, body),
                Tlv.writeAll(values, Tlv.Style.DER, t -> t == crc ? new byte[0] : null));
        MalformedStreamException e = catchThrowableOfType(MalformedStreamException.class, () -> read(DER, dropped));
        assertThat(e.getOriginalMessage()).isEqualTo(
                "missing crc32c ([0] UInt32) in a device record of a stream with feature crc32c");
        assertThat(e.section()).isEqualTo("com1/0");
        assertThat(e.offset()).isEqualTo(first.offset());
    }

    @Test
    void aCrcWithoutTheFeatureIsCheckedAnyway() {
        byte[] bytes = write(DER, EveryRecord.stream(true), CRC);
        // The envelope without its feature: feature count 0, the 7 bytes of "crc32c" gone.
        byte[] plain = write(DER, EveryRecord.stream(true));
        int body = SampleStreams.bodyStart(bytes);
        byte[] noFeature = DerRulesTest.concat(Arrays.copyOf(plain, SampleStreams.bodyStart(plain)),
                Arrays.copyOfRange(bytes, body, bytes.length));
        Fixtures.assertSameRecords(read(DER, noFeature), EveryRecord.stream(true));
        int u8 = StreamMutations.indexOf(noFeature, unhex("02 02 00 c8"));
        noFeature[u8 + 3] = (byte) 201;
        MalformedStreamException e = catchThrowableOfType(MalformedStreamException.class, () -> read(DER, noFeature));
        assertThat(e.getOriginalMessage()).startsWith("section com1/0 fails its CRC32C check");
    }
}
