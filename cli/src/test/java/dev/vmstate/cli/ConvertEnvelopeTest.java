package dev.vmstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** #3: a conversion keeps what the source's envelope records. */
class ConvertEnvelopeTest {
    @Test
    void crc32cAndFingerprintSurviveAConversion(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("a.json");
        Path out = dir.resolve("b.json");
        assertThat(Cli.run("save", "--format", "json", "--crc32c", src.toString()).code()).isZero();
        assertThat(Cli.run("convert", src.toString(), out.toString(), "--to", "json").code()).isZero();
        String a = Files.readString(src);
        String b = Files.readString(out);
        assertThat(b).contains("\"features\":[\"crc32c\"]").contains("\"crc32c\":\"0x");
        String fingerprint = a.replaceAll("(?s).*\"schema_fingerprint\":\"([0-9a-f]+)\".*", "$1");
        assertThat(fingerprint).hasSize(64).isNotEqualTo("0".repeat(64));
        assertThat(b).contains("\"schema_fingerprint\":\"" + fingerprint + "\"");
        assertThat(b).isEqualTo(a);
    }
}
