package dev.vmstate.format.cbor;

import dev.vmstate.testkit.EveryKind;
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
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.StreamMutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The golden stream {@code golden/everykind-v3.cbor} and its annotated hex
 * {@code everykind-v3.cbor.hex.txt}, the worked example of docs/formats/cbor.md section 7.
 * Regenerate both with {@code -Dgolden.update=true}, then review the diff.
 */
class CborGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/everykind-v3.cbor");
    static final Path HEX = Path.of("src/test/resources/golden/everykind-v3.cbor.hex.txt");

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
        return CborAnnotator.annotate(stream, "everykind-v3.cbor: " + stream.length
                + " bytes, written by CborGoldenTest (regenerate with -Dgolden.update=true)");
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
        // On a mismatch, compare the annotated forms first: the diff then names the item that changed.
        assertThat(annotated(actual)).isEqualTo(annotated(golden));
        assertThat(actual).isEqualTo(golden);
        assertThat(Files.readString(HEX, StandardCharsets.UTF_8)).isEqualTo(annotated(golden));
    }

    @Test
    void editsOfTheGoldenFileFailWhereTheSpecSays() throws IOException {
        byte[] golden = Files.readAllBytes(GOLDEN);
        // u8 = 200 (0x18 0xC8) becomes 300 (0x19 0x01 0x2C): well-formed, out of range.
        byte[] u8 = StreamMutations.replace(golden, CborMalformedInputTest.U8_200,
                CborMalformedInputTest.U8_300);
        VmstateException e = catchThrowableOfType(VmstateException.class, () -> Fixtures.read(u8));
        assertThat(e.getMessage()).isEqualTo("invalid value 300 for uint8, expected 0..255\n"
                + " at [cbor] section com1/0 u8 (byte offset #1550)");
        // ... or 201 (0x18 0xC9): a valid uint8, so the state loads and its CRC32C no longer matches.
        byte[] crc = golden.clone();
        crc[StreamMutations.indexOf(golden, CborMalformedInputTest.U8_200) + 1] = (byte) 201;
        e = catchThrowableOfType(VmstateException.class, () -> Fixtures.read(crc));
        assertThat(e.getMessage()).isEqualTo("section com1/0 fails its CRC32C check: stream says 0x9499EB3A, "
                + "state gives 0x02C653B6\n at [cbor] section com1/0 (byte offset #1436)");
    }

    @Test
    void theGoldenFileReadsBackToTheSameRecords() throws IOException {
        byte[] golden = Files.readAllBytes(GOLDEN);
        Fixtures.assertSameRecords(Fixtures.read(golden), records());
        assertThat(Fixtures.write(Fixtures.read(golden), WriteOptions.defaults().withCrc32c(true)
                .withSchemaFingerprint(Envelope.fingerprint(List.of(EVERY_KIND))))).isEqualTo(golden);
    }
}
