package dev.vmstate.format.json;

import dev.vmstate.testkit.EveryKind;
import static dev.vmstate.format.json.Fixtures.bytes;
import static dev.vmstate.format.json.Fixtures.read;
import static dev.vmstate.format.json.Fixtures.text;
import static dev.vmstate.format.json.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.LimitExceededException;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Truncations, bit flips and hostile values: every one a {@link VmstateException}, none an OutOfMemoryError. */
class JsonMalformedInputTest {

    static List<StreamRecord> smallStream() {
        return List.of(new StreamHeader(3, "sample-pc", new byte[] {1}, Fixtures.deviceTree()),
                new DeviceSection(0, "com1", 0, 3, true, Fixtures.EVERY_KIND, new EveryKind()),
                new dev.vmstate.stream.IterativeSection(dev.vmstate.stream.IterativeSection.SectionType.START, 1, "ram",
                        0, 4),
                new RamRecord.Blocks(4096, List.of(new RamRecord.Block("pc.ram", 4096))),
                new RamRecord.Page("pc.ram", 0, false, RamRecord.Encoding.XBZRLE, new byte[] {1, 2, 3}),
                new RamRecord.Eos(), new dev.vmstate.stream.SectionEnd(1, true),
                new EndOfState(), Description.of("{}"));
    }

    private static VmstateException readFails(byte[] bytes, ReadOptions options) {
        return catchThrowableOfType(VmstateException.class, () -> read(ByteSource.of(bytes), options));
    }

    @Test
    void everyTruncationFailsWithAnOffsetInside() {
        byte[] whole = write(smallStream());
        for (int len = 0; len < whole.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(whole, len);
            VmstateException e = readFails(cut, ReadOptions.defaults());
            assertThat(e).as("truncated to %d of %d bytes", len, whole.length).isNotNull();
            assertThat(e.offset()).as("offset of truncation at %d: %s", len, e.getMessage()).isBetween(0L, (long) len);
            assertThat(e.format()).isEqualTo("json");
        }
    }

    @Test
    void truncationThroughASlowPipeFailsToo() {
        byte[] whole = write(smallStream());
        for (int len = 0; len < whole.length; len += 97) {
            byte[] cut = java.util.Arrays.copyOf(whole, len);
            assertThatThrownBy(() -> read(ByteSource.of(dev.vmstate.testkit.SampleStreams.oneByteAtATime(cut)), ReadOptions.defaults()))
                    .isInstanceOf(VmstateException.class)
                    .satisfies(t -> assertThat(((VmstateException) t).offset()).isBetween(0L, (long) cut.length));
        }
    }

    @Test
    void randomByteFlipsReadOrFailCleanly() {
        byte[] whole = write(smallStream());
        Random rnd = new Random(3);
        byte[] specials = bytes("{}[]\",:0-9eE.tfn\\ ");
        int failures = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] b = whole.clone();
            int at = rnd.nextInt(b.length);
            b[at] = i % 2 == 0 ? (byte) (b[at] ^ (1 << rnd.nextInt(8))) : specials[rnd.nextInt(specials.length)];
            try {
                read(b);
            } catch (VmstateException e) {
                failures++;
                assertThat(e.offset()).as("flip at %d: %s", at, e.getMessage()).isBetween(-1L, (long) b.length);
            }
        }
        assertThat(failures).isGreaterThan(1000);
    }

    // ---------------------------------------------------------------- hostile values

    static InputStream hostile(String marker, String unit, long n, String tail) {
        return hostile(marker, "", unit, n, tail);
    }

    /**
     * The text of a valid stream up to and including {@code marker}, then {@code prefix}, then
     * {@code n} copies of {@code unit}, generated as read, then {@code tail}.
     */
    static InputStream hostile(String marker, String prefix, String unit, long n, String tail) {
        String s = text(write(smallStream()));
        int at = s.indexOf(marker);
        assertThat(at).as("marker %s", marker).isNotNegative();
        byte[] head = bytes(s.substring(0, at + marker.length()) + prefix);
        byte[] u = bytes(unit);
        byte[] t = bytes(tail);
        return new InputStream() {
            long pos;

            @Override
            public int read() {
                long total = head.length + n * u.length + t.length;
                if (pos >= total) {
                    return -1;
                }
                long p = pos++;
                if (p < head.length) {
                    return head[(int) p] & 0xFF;
                }
                p -= head.length;
                if (p < n * u.length) {
                    return u[(int) (p % u.length)] & 0xFF;
                }
                return t[(int) (p - n * u.length)] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int i = 0;
                for (; i < len; i++) {
                    int c = read();
                    if (c < 0) {
                        break;
                    }
                    b[off + i] = (byte) c;
                }
                return i == 0 && len > 0 ? -1 : i;
            }
        };
    }

    private static VmstateException readFails(InputStream in, ReadOptions options) {
        return catchThrowableOfType(VmstateException.class, () -> read(ByteSource.of(in), options));
    }

    @Test
    void aHexStringOfTwoGibibytesFailsOnTheLimit() {
        // 2^32 hex digits claim 2^31 bytes; jackson stops at 2 x maxBytesLength characters.
        VmstateException e = readFails(hostile("\"blob\":\"", "ab", 1L << 31, "\"}"), ReadOptions.defaults());
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.getOriginalMessage()).contains("exceeds the maximum allowed (33554432");
        assertThat(e.section()).isEqualTo("com1/0");
        // Below jackson's backstop, our own check names the setting.
        ReadOptions small = ReadOptions.defaults().withLimits(ReadLimits.builder().maxBytesLength(1000).build());
        e = readFails(hostile("\"blob\":\"", "ab", 1500, "\""), small);
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.getOriginalMessage())
                .isEqualTo("bytes length (1500) exceeds the maximum allowed (1000, from ReadLimits.maxBytesLength())");
        assertThat(e.path()).isEqualTo("blob");
    }

    @Test
    void aListOfTenMillionEntriesFailsAtTheLimit() {
        VmstateException e = readFails(hostile("\"vlans\":[", "0,", 10_000_000, "0]"), ReadOptions.defaults());
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.getOriginalMessage()).isEqualTo(
                "list length (more than 1048576) exceeds the maximum allowed (1048576, from ReadLimits.maxListLength())");
        assertThat(e.path()).isEqualTo("vlans");
        // A million structs of generic state take ~300 MiB; a smaller limit keeps the test fast.
        e = readFails(hostile("\"queues\":[", "{\"count\":1,\"addr\":2},", 10_000_000, "]"),
                ReadOptions.defaults().withLimits(ReadLimits.builder().maxListLength(10_000).build()));
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.path()).isEqualTo("queues");
        e = readFails(hostile("\"blocks\":[", "{\"name\":\"a\",\"used_length\":1},", 10_000_000, "]"),
                ReadOptions.defaults().withLimits(ReadLimits.builder().maxListLength(10).build()));
        assertThat(e).isInstanceOf(LimitExceededException.class);
    }

    @Test
    void deeplyNestedArraysFailEarly() {
        long n = 10_000_000;
        assertThat(readFails(hostile("\"flag\":", "[", n, ""), ReadOptions.defaults()))
                .isInstanceOf(MalformedStreamException.class)
                .hasMessageStartingWith("found an array, expected a bool (true or false)");
        VmstateException e = readFails(hostile("\"schema\":", "{\"x\":", "[", n, ""), ReadOptions.defaults());
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.getOriginalMessage()).isEqualTo("JSON nesting depth (more than 264) exceeds the maximum allowed "
                + "(264, from ReadLimits.maxDepth() x 4 + 8)");
        assertThat(readFails(hostile("\"device_tree\":", "{\"x\":", "[", n, ""), ReadOptions.defaults()))
                .isInstanceOf(LimitExceededException.class);
        assertThat(readFails(hostile("\"records\":[", "[", n, ""), ReadOptions.defaults()))
                .isInstanceOf(MalformedStreamException.class)
                .hasMessageStartingWith("found an array, expected a record (an object) or the end of the records");
        assertThat(readFails(hostile("\"features\":[", "[", n, ""), ReadOptions.defaults()))
                .isInstanceOf(MalformedStreamException.class);
    }

    @Test
    void hugeNumbersFail() {
        assertThat(readFails(hostile("\"u64\":", "9", 1_000_000, ","), ReadOptions.defaults()))
                .isInstanceOf(MalformedStreamException.class)
                .hasMessageStartingWith("number of more than 100 characters");
        String s = text(write(smallStream())).replace("\"u64\":18446744073709551615", "\"u64\":18446744073709551616");
        VmstateException e = readFails(bytes(s), ReadOptions.defaults());
        assertThat(e.getOriginalMessage()).isEqualTo(
                "invalid value 18446744073709551616 for uint64, expected 0..18446744073709551615");
        assertThat(e.offset()).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length
                - s.substring(s.indexOf("18446744073709551616")).getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void tightLimitsApplyToEveryValue() {
        byte[] b = write(smallStream());
        assertThat(readFails(b, opts(ReadLimits.builder().maxStringLength(5))))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageStartingWith("string length (6) exceeds the maximum allowed (5, from ReadLimits.maxStringLength())");
        VmstateException e = readFails(b, opts(ReadLimits.builder().maxDepth(0)));
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.getOriginalMessage()).startsWith("nesting depth (1) exceeds the maximum allowed (0");
        assertThat(e.path()).isEqualTo("inner");
        assertThat(readFails(b, opts(ReadLimits.builder().maxSectionCount(1))))
                .isInstanceOf(LimitExceededException.class).hasMessageStartingWith("section count (2)");
        assertThat(readFails(b, opts(ReadLimits.builder().maxSectionSize(200))))
                .isInstanceOf(LimitExceededException.class).hasMessageStartingWith("section size");
        assertThat(readFails(b, opts(ReadLimits.builder().maxStreamSize(1000))))
                .isInstanceOf(LimitExceededException.class).hasMessageStartingWith("stream size");
        assertThat(readFails(b, opts(ReadLimits.builder().maxListLength(1))))
                .isInstanceOf(LimitExceededException.class).hasMessageStartingWith("list length ("); // the schema's fixed array (SchemaLimits) or a list
    }

    private static ReadOptions opts(ReadLimits.Builder b) {
        return ReadOptions.defaults().withLimits(b.build());
    }
}
