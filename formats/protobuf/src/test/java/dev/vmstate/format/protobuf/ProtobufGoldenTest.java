package dev.vmstate.format.protobuf;

import static dev.vmstate.testkit.EveryRecord.EVERY_KIND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmstate.error.VmstateException;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.EveryKind;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.testkit.StreamMutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The golden stream {@code golden/everykind-v3.protobuf} and its annotated hex
 * {@code everykind-v3.protobuf.hex.txt}, the worked example of docs/formats/protobuf.md section 7:
 * the same records as the golden files of {@code json} and {@code cbor}. Regenerate both with
 * {@code -Dgolden.update=true}, then review the diff.
 */
class ProtobufGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/everykind-v3.protobuf");
    static final Path HEX = Path.of("src/test/resources/golden/everykind-v3.protobuf.hex.txt");

    static List<StreamRecord> records() {
        return List.of(new StreamHeader(3, "sample-pc", new byte[0], EveryRecord.deviceTree()),
                new DeviceSection(0, "com1", 0, 3, true, EVERY_KIND, new EveryKind()),
                new IterativeSection(IterativeSection.SectionType.START, 1, "ram", 0, 4),
                new RamRecord.Blocks(8192, List.of(new RamRecord.Block("pc.ram", 8192))),
                new RamRecord.Page("pc.ram", 0, false, RamRecord.Encoding.ZERO, new byte[] {0}),
                new RamRecord.Page("pc.ram", 4096, true, RamRecord.Encoding.XBZRLE, new byte[] {0, 4, 1, 2, 3, 4}),
                new RamRecord.Eos(),
                new SectionEnd(1, true),
                new EndOfState(),
                Description.generate());
    }

    static byte[] written() {
        return Fixtures.write(records(), WriteOptions.defaults().withCrc32c(true)
                .withSchemaFingerprint(Envelope.fingerprint(List.of(EVERY_KIND))));
    }

    static String annotated(byte[] stream) {
        return ProtobufAnnotator.annotate(stream, "everykind-v3.protobuf: " + stream.length
                + " bytes, written by ProtobufGoldenTest (regenerate with -Dgolden.update=true)");
    }

    @Test
    void writerOutputMatchesTheGoldenFile() throws IOException {
        byte[] actual = written();
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.write(GOLDEN, actual);
            Files.writeString(HEX, annotated(actual), StandardCharsets.UTF_8);
        }
        byte[] golden = Files.readAllBytes(GOLDEN);
        // On a mismatch, compare the annotated forms first: the diff then names the field that changed.
        assertThat(annotated(actual)).isEqualTo(annotated(golden));
        assertThat(actual).isEqualTo(golden);
        assertThat(Files.readString(HEX, StandardCharsets.UTF_8)).isEqualTo(annotated(golden));
    }

    @Test
    void editsOfTheGoldenFileFailWhereTheSpecSays() throws IOException {
        byte[] golden = Files.readAllBytes(GOLDEN);
        int u8 = StreamMutations.indexOf(golden, ProtobufMalformedInputTest.U8_200);
        assertThat(u8).isEqualTo(0x424);
        // u8 = 200 (30 C8 01) becomes 300 (30 AC 02): a valid varint, out of range.
        byte[] u8300 = StreamMutations.replace(golden, ProtobufMalformedInputTest.U8_200,
                ProtobufMalformedInputTest.U8_300);
        VmstateException e = catchThrowableOfType(VmstateException.class, () -> Fixtures.read(u8300));
        assertThat(e.getMessage()).isEqualTo("invalid value 300 for uint8, expected 0..255\n"
                + " at [protobuf] section com1/0 u8 (byte offset #1060)");
        // ... or 201 (30 C9 01): a valid uint8, so the state loads and its CRC32C no longer matches.
        byte[] crc = golden.clone();
        crc[u8 + 1] = (byte) 0xC9;
        e = catchThrowableOfType(VmstateException.class, () -> Fixtures.read(crc));
        assertThat(deviceRecord(golden)).isEqualTo(1019);
        assertThat(e.getMessage()).isEqualTo("section com1/0 fails its CRC32C check: stream says 0x9499EB3A, "
                + "state gives 0x02C653B6\n at [protobuf] section com1/0 (byte offset #1019)");
    }

    /** Where the golden file's device record starts: after the header and schema records. */
    static long deviceRecord(byte[] golden) {
        List<byte[]> messages = ProtobufWireTest.messages(golden);
        long at = SampleStreams.bodyStart(golden);
        for (int i = 0; i < 2; i++) {
            at += messages.get(i).length + ProtoOut.varintSize(messages.get(i).length);
        }
        return at;
    }

    @Test
    void theGoldenFileReadsBackToTheSameRecords() throws IOException {
        byte[] golden = Files.readAllBytes(GOLDEN);
        Fixtures.assertSameRecords(Fixtures.read(golden), records());
        assertThat(Fixtures.write(Fixtures.read(golden), WriteOptions.defaults().withCrc32c(true)
                .withSchemaFingerprint(Envelope.fingerprint(List.of(EVERY_KIND))))).isEqualTo(golden);
        ProtobufWireTest.everyRecordIsProtobufJavasOwnSerialization(golden);
    }
}
