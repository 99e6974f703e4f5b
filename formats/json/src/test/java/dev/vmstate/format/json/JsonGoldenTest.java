package dev.vmstate.format.json;

import dev.vmstate.testkit.EveryKind;
import static dev.vmstate.format.json.Fixtures.EVERY_KIND;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The golden stream {@code golden/everykind-v3.json}, the worked example of docs/formats/json.md
 * section 7. Regenerate with {@code -Dgolden.update=true}, then review the diff.
 */
class JsonGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/everykind-v3.json");

    static List<StreamRecord> records() {
        return List.of(new StreamHeader(3, "sample-pc", new byte[0], Fixtures.deviceTree()),
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

    @Test
    void writerOutputMatchesTheGoldenFile() throws IOException {
        byte[] actual = written();
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.write(GOLDEN, actual);
        }
        assertThat(new String(actual, StandardCharsets.UTF_8))
                .isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }

    @Test
    void editsOfTheGoldenFileFailWhereTheSpecSays() throws IOException {
        String s = Files.readString(GOLDEN, StandardCharsets.UTF_8);
        VmstateException e = catchThrowableOfType(VmstateException.class,
                () -> Fixtures.read(Fixtures.bytes(s.replace("\"u8\":200", "\"u8\":300"))));
        assertThat(e.getMessage()).isEqualTo("invalid value 300 for uint8, expected 0..255\n"
                + " at [json] section com1/0 u8 (byte offset #2249)");
        e = catchThrowableOfType(VmstateException.class,
                () -> Fixtures.read(Fixtures.bytes(s.replace("\"u8\":200", "\"u8\":201"))));
        assertThat(e.getMessage()).isEqualTo("section com1/0 fails its CRC32C check: stream says 0x9499EB3A, "
                + "state gives 0x02C653B6\n at [json] section com1/0 (byte offset #563)");
    }

    @Test
    void theGoldenFileReadsBackToTheSameRecords() throws IOException {
        Fixtures.assertSameRecords(Fixtures.read(Files.readAllBytes(GOLDEN)), records());
    }
}
