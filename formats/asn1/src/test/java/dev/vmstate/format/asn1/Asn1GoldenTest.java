package dev.vmstate.format.asn1;

import static dev.vmstate.testkit.EveryRecord.EVERY_KIND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmstate.error.VmstateException;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.WireFormat;
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
import dev.vmstate.testkit.StreamMutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The golden streams {@code golden/everykind-v3.der} and {@code golden/everykind-v3.ber} and
 * their annotated hex ({@code .hex.txt}), the worked example of docs/formats/asn1.md section 7.
 * Regenerate them with {@code -Dgolden.update=true}, then review the diff.
 */
class Asn1GoldenTest {
    static final Path DIR = Path.of("src/test/resources/golden");

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

    static WriteOptions options() {
        return WriteOptions.defaults().withCrc32c(true).withSchemaFingerprint(Envelope.fingerprint(List.of(EVERY_KIND)));
    }

    static String name(WireFormat f) {
        return "everykind-v3." + (f == Fixtures.DER ? "der" : "ber");
    }

    static String annotated(WireFormat f, byte[] stream) {
        return Asn1Annotator.annotate(f, stream, name(f) + ": " + stream.length
                + " bytes, written by Asn1GoldenTest (regenerate with -Dgolden.update=true)");
    }

    static byte[] golden(WireFormat f) throws IOException {
        return Files.readAllBytes(DIR.resolve(name(f)));
    }

    private static void matchesTheGoldenFile(WireFormat f) throws IOException {
        byte[] actual = Fixtures.write(f, records(), options());
        Path bin = DIR.resolve(name(f));
        Path hex = DIR.resolve(name(f) + ".hex.txt");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(DIR);
            Files.write(bin, actual);
            Files.writeString(hex, annotated(f, actual), StandardCharsets.UTF_8);
        }
        byte[] golden = Files.readAllBytes(bin);
        // On a mismatch, compare the annotated forms first: the diff then names the value that changed.
        assertThat(annotated(f, actual)).isEqualTo(annotated(f, golden));
        assertThat(actual).isEqualTo(golden);
        assertThat(Files.readString(hex, StandardCharsets.UTF_8)).isEqualTo(annotated(f, golden));
    }

    @Test
    void derWriterOutputMatchesTheGoldenFile() throws IOException {
        matchesTheGoldenFile(Fixtures.DER);
    }

    @Test
    void berWriterOutputMatchesTheGoldenFile() throws IOException {
        matchesTheGoldenFile(Fixtures.BER);
    }

    @Test
    void editsOfTheGoldenFileFailWhereTheSpecSays() throws IOException {
        byte[] golden = golden(Fixtures.DER);
        // u8 = 200 (02 02 00 C8, then u16 = 60000) becomes 300 (02 02 01 2C): valid DER, out of range
        byte[] u8 = StreamMutations.replace(golden, Fixtures.unhex("02 02 00 c8 02 03 00 ea 60"),
                Fixtures.unhex("02 02 01 2c 02 03 00 ea 60"));
        VmstateException e = catchThrowableOfType(VmstateException.class, () -> Fixtures.read(Fixtures.DER, u8));
        assertThat(e.getMessage()).isEqualTo("invalid value 300 for uint8, expected 0..255\n"
                + " at [asn1-der] section com1/0 u8 (byte offset #1855)");
        // ... or 201 (02 02 00 C9): a valid uint8, so the state loads and its CRC32C no longer matches
        byte[] crc = StreamMutations.replace(golden, Fixtures.unhex("02 02 00 c8 02 03 00 ea 60"),
                Fixtures.unhex("02 02 00 c9 02 03 00 ea 60"));
        e = catchThrowableOfType(VmstateException.class, () -> Fixtures.read(Fixtures.DER, crc));
        assertThat(e.getMessage()).isEqualTo("section com1/0 fails its CRC32C check: stream says 0x9499EB3A, "
                + "state gives 0x02C653B6\n at [asn1-der] section com1/0 (byte offset #1799)");
        // ... or TRUE written as 01 01 01, fine in BER, not in DER
        byte[] flag = StreamMutations.replace(golden, Fixtures.unhex("30 81 be 01 01 ff"), Fixtures.unhex("30 81 be 01 01 01"));
        e = catchThrowableOfType(VmstateException.class, () -> Fixtures.read(Fixtures.DER, flag));
        assertThat(e.getMessage()).isEqualTo("BOOLEAN content octet 0x01: DER encodes TRUE as 0xFF and FALSE as 0x00 "
                + "(X.690 11.1)\n at [asn1-der] section com1/0 flag (byte offset #1833)");
    }

    @Test
    void theGoldenFilesReadBackToTheSameRecords() throws IOException {
        for (WireFormat f : List.of(Fixtures.DER, Fixtures.BER)) {
            byte[] golden = golden(f);
            Fixtures.assertSameRecords(Fixtures.read(f, golden), records());
            assertThat(Fixtures.write(f, Fixtures.read(f, golden), options())).isEqualTo(golden);
        }
    }
}
