package dev.vmstate.format.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.testkit.QemuStreamFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The annotated hex dumps of docs/formats/legacy.md (§7.1) show real bytes: every line of every
 * {@code ```hexdump NAME} block must equal the bytes at its offset in {@code NAME}, one of the real
 * QEMU streams in {@code ../shared/qemu-streams}. A line is {@code OFFSET  BYTES  NOTE} (8 lowercase
 * hex digits, two spaces, 1 to 16 lowercase hex bytes separated by single spaces, at least two
 * spaces, a note), or {@code ...} (an elision, optionally followed by a comment).
 */
class LegacyDocHexDumpTest {
    private static final Path DOC = Path.of("docs", "formats", "legacy.md");
    private static final Pattern FENCE_OPEN = Pattern.compile("^```hexdump(?: (.*))?$");
    private static final Pattern LINE =
            Pattern.compile("^([0-9a-f]{8})  ((?:[0-9a-f]{2} ){0,15}[0-9a-f]{2}) {2,}(\\S.*)$");
    private static final Pattern ELISION = Pattern.compile("^\\.\\.\\.(?: +\\S.*)?$");

    /** One dump line: where it is in the doc, the file offset it claims and the bytes it shows. */
    private record DumpLine(int docLine, long offset, byte[] bytes) {
    }

    /** One {@code ```hexdump NAME} block. */
    private record Block(int docLine, String file, List<DumpLine> lines) {
    }

    @Test
    void everyHexDumpLineShowsTheStreamsBytes() throws IOException {
        List<Block> blocks = parse(Files.readAllLines(findDoc(), StandardCharsets.UTF_8));
        assertThat(blocks).as("```hexdump blocks in %s", DOC).hasSizeGreaterThanOrEqualTo(5);
        assertThat(blocks.stream().mapToInt(b -> b.lines().size()).sum()).as("hex dump lines in %s", DOC)
                .isGreaterThanOrEqualTo(50);

        Path streams = QemuStreamFixtures.dir();
        Map<String, byte[]> files = new HashMap<>();
        List<String> wrong = new ArrayList<>();
        for (Block block : blocks) {
            Path file = streams.resolve(block.file());
            assertThat(file).as("stream named by the hexdump block at %s:%d", DOC, block.docLine()).isRegularFile();
            byte[] data = files.computeIfAbsent(block.file(), k -> read(file));
            for (DumpLine l : block.lines()) {
                long end = l.offset() + l.bytes().length;
                if (end > data.length) {
                    wrong.add(String.format("%s:%d: offset 0x%08x + %d bytes is past the end of %s (%d bytes)", DOC,
                            l.docLine(), l.offset(), l.bytes().length, block.file(), data.length));
                    continue;
                }
                byte[] actual = Arrays.copyOfRange(data, (int) l.offset(), (int) end);
                if (!Arrays.equals(actual, l.bytes())) {
                    wrong.add(String.format("%s:%d: at 0x%08x the doc shows %s, %s has %s", DOC, l.docLine(),
                            l.offset(), HexFormat.ofDelimiter(" ").formatHex(l.bytes()), block.file(),
                            HexFormat.ofDelimiter(" ").formatHex(actual)));
                }
            }
        }
        assertThat(wrong).as("hex dump lines that differ from the stream").isEmpty();
    }

    @Test
    void aMalformedLineIsRejected() {
        List<String> doc = List.of("text", "```hexdump x.mig", "00000000  51 45 56 4d  magic",
                "0000004  00 00 00 03  version (7 offset digits)", "```");
        assertThatThrownBy(() -> parse(doc))
                .isInstanceOf(AssertionError.class).hasMessageContaining(":4:");
        assertThat(parse(List.of("```hexdump x.mig", "00000010  0a 0b  two bytes", "...  elided", "```")))
                .singleElement().satisfies(b -> {
                    assertThat(b.file()).isEqualTo("x.mig");
                    assertThat(b.lines()).singleElement().satisfies(l -> {
                        assertThat(l.offset()).isEqualTo(0x10);
                        assertThat(l.bytes()).containsExactly(0x0a, 0x0b);
                    });
                });
    }

    /** The hexdump blocks of {@code doc}; a line of a wrong shape, or an unclosed block, fails. */
    private static List<Block> parse(List<String> doc) {
        List<Block> blocks = new ArrayList<>();
        Block open = null;
        long last = -1;
        for (int i = 0; i < doc.size(); i++) {
            String line = doc.get(i);
            int n = i + 1;
            if (open == null) {
                Matcher m = FENCE_OPEN.matcher(line);
                if (m.matches()) {
                    String file = m.group(1) == null ? "" : m.group(1).trim();
                    if (file.isEmpty() || file.contains("/") || file.contains("\\")) {
                        throw new AssertionError(DOC + ":" + n + ": a hexdump block names a stream file: `"
                                + line + "`");
                    }
                    open = new Block(n, file, new ArrayList<>());
                    last = -1;
                }
                continue;
            }
            if (line.equals("```")) {
                if (open.lines().isEmpty()) {
                    throw new AssertionError(DOC + ":" + open.docLine() + ": an empty hexdump block");
                }
                blocks.add(open);
                open = null;
                continue;
            }
            if (ELISION.matcher(line).matches()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError(DOC + ":" + n + ": not `OFFSET  BYTES  NOTE` (8 lowercase hex digits, two"
                        + " spaces, 1-16 lowercase hex bytes, two or more spaces, a note) nor `...`: `" + line + "`");
            }
            long offset = Long.parseLong(m.group(1), 16);
            if (offset <= last) {
                throw new AssertionError(DOC + ":" + n + ": offset 0x" + m.group(1)
                        + " does not come after the previous line's bytes");
            }
            byte[] bytes = HexFormat.ofDelimiter(" ").parseHex(m.group(2));
            last = offset + bytes.length - 1;
            open.lines().add(new DumpLine(n, offset, bytes));
        }
        if (open != null) {
            throw new AssertionError(DOC + ":" + open.docLine() + ": hexdump block not closed");
        }
        return blocks;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** docs/formats/legacy.md, found by walking up from the working directory. */
    private static Path findDoc() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path doc = p.resolve(DOC);
            if (Files.isRegularFile(doc)) {
                return doc;
            }
        }
        throw new AssertionError(DOC + " not found above " + Path.of("").toAbsolutePath());
    }
}
