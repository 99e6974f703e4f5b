package dev.vmstate.format.asn1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The spec page and what the build uses cannot drift: docs/formats/asn1.md shows the ASN.1 module
 * the build compiles, verbatim, and every annotated hex line it shows is a line of a golden file's
 * dump, which {@link Asn1GoldenTest} writes from the writer's output.
 */
class Asn1SpecTest {
    static final Path SPEC = Path.of("../../docs/formats/asn1.md");
    static final Path MODULE = Path.of("../../docs/formats/vmstate.asn");

    @Test
    void theSpecShowsTheModuleTheBuildCompiles() throws IOException {
        String spec = Files.readString(SPEC, StandardCharsets.UTF_8);
        String module = Files.readString(MODULE, StandardCharsets.UTF_8);
        assertThat(spec).contains("```asn1\n" + module + "```\n");
    }

    @Test
    void theSpecsHexLinesComeFromTheGoldenFiles() throws IOException {
        Set<String> golden = new HashSet<>();
        for (String f : List.of("everykind-v3.der.hex.txt", "everykind-v3.ber.hex.txt")) {
            golden.addAll(Files.readAllLines(Asn1GoldenTest.DIR.resolve(f), StandardCharsets.UTF_8));
        }
        int checked = 0;
        for (String line : Files.readAllLines(SPEC, StandardCharsets.UTF_8)) {
            if (line.matches("[0-9a-f]{6}  .*")) {
                assertThat(golden).as("a hex line of docs/formats/asn1.md").contains(line);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(60);
    }
}
