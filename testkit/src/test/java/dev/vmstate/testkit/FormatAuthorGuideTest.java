package dev.vmstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/guides/format-author.md shows the test format's code verbatim: every "// example:" region, de-indented. */
class FormatAuthorGuideTest {
    private static final Path GUIDE = Path.of("../docs/guides/format-author.md");
    private static final Path SOURCES = Path.of("src/test/java/dev/vmstate/testkit");
    private static final Pattern REGION = Pattern.compile("(?ms)^[ \\t]*// example:(\\w+)\\n(.*?)^[ \\t]*// end:\\1\\n");

    private static Map<String, String> regions(String... files) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : files) {
            Matcher m = REGION.matcher(Files.readString(SOURCES.resolve(f)));
            while (m.find()) {
                // stripIndent counts a blank last line as zero indentation: strip the lines, not the final newline.
                String body = m.group(2);
                out.put(m.group(1), body.substring(0, body.length() - 1).stripIndent() + "\n");
            }
        }
        return out;
    }

    @Test
    void guideShowsTheCompiledExamples() throws IOException {
        String guide = Files.readString(GUIDE);
        Map<String, String> regions = regions("TestFormat.java", "TestFormatWriter.java", "TestFormatReader.java",
                "TestFormatConformanceTest.java", "RoundTripAllFormatsTest.java");
        assertThat(regions.keySet()).containsExactlyInAnyOrderElementsOf(
                List.of("format", "write", "frame", "section", "conformance", "allformats"));
        regions.forEach((name, code) -> assertThat(guide).as("example:%s in %s", name, GUIDE).contains(code));
    }
}
