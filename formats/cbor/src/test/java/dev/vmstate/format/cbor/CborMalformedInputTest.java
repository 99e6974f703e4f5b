package dev.vmstate.format.cbor;

import dev.vmstate.testkit.EveryKind;
import static dev.vmstate.format.cbor.Fixtures.read;
import static dev.vmstate.format.cbor.Fixtures.write;
import static dev.vmstate.testkit.StreamMutations.indexOf;
import static dev.vmstate.testkit.StreamMutations.replace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.LimitExceededException;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.visitor.Kind;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Truncations, bit flips and hostile lengths: every one a {@link VmstateException}, none an OutOfMemoryError. */
class CborMalformedInputTest {
    /**
     * {@code u8 = 200} in EveryKind's compact state, 0x18 0xC8, with the {@code u16 = 60000} after it
     * (0x19 0xEA 0x60), which makes the bytes unique in the stream; the value starts at the match.
     */
    static final byte[] U8_200 = {0x18, (byte) 0xC8, 0x19, (byte) 0xEA, 0x60};

    /** {@link #U8_200} with the u8 changed to 300 (0x19 0x01 0x2C): well-formed, out of range for the field. */
    static final byte[] U8_300 = {0x19, 0x01, 0x2C, 0x19, (byte) 0xEA, 0x60};

    static List<StreamRecord> smallStream() {
        return List.of(new StreamHeader(3, "sample-pc", new byte[] {1}, EveryRecord.deviceTree()),
                new DeviceSection(0, "com1", 0, 3, true, EveryRecord.EVERY_KIND, new EveryKind()),
                new IterativeSection(IterativeSection.SectionType.START, 1, "ram", 0, 4),
                new RamRecord.Blocks(4096, List.of(new RamRecord.Block("pc.ram", 4096))),
                new RamRecord.Page("pc.ram", 0, false, RamRecord.Encoding.XBZRLE, new byte[] {1, 2, 3}),
                new RamRecord.Eos(), new SectionEnd(1, true),
                new EndOfState(), Description.of("{}"));
    }

    /** The envelope of a default stream, then {@code body}. */
    static byte[] withEnvelope(byte[] body) {
        return SampleStreams.withEnvelope("cbor", body);
    }

    static VmstateException readFails(byte[] bytes, ReadOptions options) {
        VmstateException e = catchThrowableOfType(VmstateException.class, () -> read(ByteSource.of(bytes), options));
        assertThat(e).as("reading %d bytes must fail", bytes.length).isNotNull();
        assertThat(e.format()).isEqualTo("cbor");
        return e;
    }

    /** Where the item after the end record starts: a cut there leaves a whole stream without its description. */
    static int endOfStateEnd(byte[] stream) {
        try (dev.vmstate.spi.StreamReader r = Fixtures.FORMAT.openReader(ByteSource.of(stream), ReadOptions.defaults())) {
            StreamRecord rec;
            while ((rec = r.next()) != null) {
                if (rec instanceof EndOfState) {
                    return (int) r.position();
                }
            }
        }
        throw new AssertionError("no end record");
    }

    @Test
    void everyTruncationFailsWithAnOffsetInside() {
        byte[] whole = write(smallStream());
        int endItem = endOfStateEnd(whole);
        for (int len = 0; len < whole.length; len++) {
            byte[] cut = Arrays.copyOf(whole, len);
            if (len == endItem) {
                // Cut right after the end record: a whole stream without its optional description.
                assertThat(read(cut)).hasSize(smallStream().size() - 1);
                continue;
            }
            VmstateException e = readFails(cut, ReadOptions.defaults());
            assertThat(e).isInstanceOf(MalformedStreamException.class);
            assertThat(e.offset()).as("offset of truncation at %d: %s", len, e.getMessage()).isBetween(0L, (long) len);
        }
    }

    @Test
    void truncationThroughASlowPipeFailsToo() {
        byte[] whole = write(smallStream());
        for (int len = 0; len < endOfStateEnd(whole); len += 37) {
            byte[] cut = Arrays.copyOf(whole, len);
            VmstateException e = catchThrowableOfType(VmstateException.class,
                    () -> read(ByteSource.of(dev.vmstate.testkit.SampleStreams.oneByteAtATime(cut)), ReadOptions.defaults()));
            assertThat(e).as("truncated to %d", len).isInstanceOf(MalformedStreamException.class);
            assertThat(e.offset()).isBetween(0L, (long) cut.length);
        }
    }

    @Test
    void randomByteFlipsReadOrFailCleanly() {
        byte[] whole = write(smallStream());
        Random rnd = new Random(4);
        // Initial bytes that change what follows: long arguments, indefinite lengths, tags, floats, break.
        int[] specials = {0x1B, 0x3B, 0x5A, 0x5B, 0x5F, 0x7A, 0x7F, 0x9A, 0x9B, 0x9F, 0xBA, 0xBB, 0xBF, 0xC2, 0xF7,
            0xF9, 0xFA, 0xFB, 0xFF, 0x00, 0x18, 0xA0, 0x80, 0x40, 0x60};
        int failures = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] b = whole.clone();
            int at = rnd.nextInt(b.length);
            b[at] = i % 2 == 0 ? (byte) (b[at] ^ (1 << rnd.nextInt(8))) : (byte) specials[rnd.nextInt(specials.length)];
            try {
                read(b);
            } catch (VmstateException e) {
                failures++;
                assertThat(e.offset()).as("flip at %d: %s", at, e.getMessage()).isBetween(-1L, (long) b.length);
            }
        }
        assertThat(failures).isGreaterThan(1500);
    }

    // ---------------------------------------------------------------- hostile lengths

    /** Bytes this thread allocated while {@code r} ran, or -1 when the JVM cannot tell. */
    static long allocatedBy(Runnable r) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t)
                || !t.isThreadAllocatedMemorySupported()) {
            r.run();
            return -1;
        }
        t.setThreadAllocatedMemoryEnabled(true);
        long id = Thread.currentThread().getId();
        long before = t.getThreadAllocatedBytes(id);
        r.run();
        return t.getThreadAllocatedBytes(id) - before;
    }

    @Test
    void aFiveByteHeadClaimingFourGibibytesFailsBeforeAnyAllocation() {
        int body = SampleStreams.bodyStart(withEnvelope(new byte[0]));
        for (int major : new int[] {0x5A, 0x7A, 0x9A, 0xBA}) {
            byte[] bytes = withEnvelope(new byte[] {(byte) major, -1, -1, -1, -1});
            VmstateException[] e = new VmstateException[1];
            long allocated = allocatedBy(() -> e[0] = readFails(bytes, ReadOptions.defaults()));
            assertThat(e[0]).isInstanceOf(LimitExceededException.class);
            assertThat(e[0].offset()).isEqualTo(body);
            assertThat(allocated).as("heap allocated for a 0x%02X FFFFFFFF head", major).isLessThan(8L << 20);
        }
        assertThat(readFails(withEnvelope(new byte[] {0x5A, -1, -1, -1, -1}), ReadOptions.defaults()).getOriginalMessage())
                .isEqualTo("bytes length (4294967295) exceeds the maximum allowed (16777216, from "
                        + "ReadLimits.maxBytesLength())");
        assertThat(readFails(withEnvelope(new byte[] {0x7A, -1, -1, -1, -1}), ReadOptions.defaults()).getOriginalMessage())
                .isEqualTo("string length (4294967295) exceeds the maximum allowed (65536, from "
                        + "ReadLimits.maxStringLength())");
        assertThat(readFails(withEnvelope(new byte[] {(byte) 0xBB, -1, -1, -1, -1, -1, -1, -1, -1}),
                ReadOptions.defaults()).getOriginalMessage())
                .isEqualTo("list length (18446744073709551615) exceeds the maximum allowed (1048576, from "
                        + "ReadLimits.maxListLength())");
    }

    @Test
    void withTheLimitsRaisedAHostileLengthStillAllocatesOnlyWhatArrives() {
        ReadLimits open = ReadLimits.builder().maxBytesLength(Integer.MAX_VALUE).maxStringLength(Integer.MAX_VALUE)
                .maxListLength(Integer.MAX_VALUE).maxSectionSize(Long.MAX_VALUE).build();
        ReadOptions o = ReadOptions.defaults().withLimits(open);
        byte[] oneGib = withEnvelope(new byte[] {0x5A, 0x40, 0, 0, 0, 1, 2, 3});
        VmstateException[] e = new VmstateException[1];
        long allocated = allocatedBy(() -> e[0] = readFails(oneGib, o));
        assertThat(e[0]).isInstanceOf(MalformedStreamException.class);
        assertThat(e[0].getOriginalMessage()).isEqualTo("unexpected end of input inside a byte string of 1073741824 bytes");
        assertThat(allocated).isLessThan(8L << 20);
        e[0] = readFails(withEnvelope(new byte[] {0x5A, 0x7F, -1, -1, -16}), o);
        assertThat(e[0]).isInstanceOf(LimitExceededException.class);
        assertThat(e[0].getOriginalMessage()).isEqualTo("item size (2147483637) exceeds the maximum allowed (2147483631, "
                + "fixed by the cbor format: one item is one Java array)");
        // An array claiming 2^31 - 1 items, each needing at least a byte: fails on the bytes, allocates nothing for them.
        allocated = allocatedBy(() -> e[0] = readFails(withEnvelope(new byte[] {(byte) 0x9A, 0x7F, -1, -1, -1, 1}), o));
        assertThat(e[0].getOriginalMessage()).isEqualTo("unexpected end of input inside an array of 2147483647 items");
        assertThat(allocated).isLessThan(8L << 20);
    }

    @Test
    void hostileLengthsInsideRealRecordsNameTheirOffset() {
        byte[] whole = write(smallStream());
        // The varray vlans = [10, 20] (0x82 0x0A 0x14, after regs' last entry 0x03) claiming 2^32 - 1 entries.
        byte[] vlansAt = {0x1A, -1, -1, -1, -1, 0x03, (byte) 0x82, 0x0A, 0x14};
        byte[] vlans = replace(whole, vlansAt, new byte[] {0x1A, -1, -1, -1, -1, 0x03, (byte) 0x9A, -1, -1, -1, -1, 0x0A,
            0x14});
        VmstateException e = readFails(vlans, ReadOptions.defaults());
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.offset()).isEqualTo(indexOf(whole, vlansAt) + 6);
        // The page's XBZRLE data h'010203' claiming 16 MiB + 1.
        byte[] page = replace(whole, new byte[] {0x43, 1, 2, 3}, new byte[] {0x5A, 1, 0, 0, 1, 1, 2, 3});
        e = readFails(page, ReadOptions.defaults());
        assertThat(e.getOriginalMessage()).isEqualTo("bytes length (16777217) exceeds the maximum allowed (16777216, "
                + "from ReadLimits.maxBytesLength())");
        assertThat(e.offset()).isEqualTo(indexOf(whole, new byte[] {0x43, 1, 2, 3}));
    }

    @Test
    void deepNestingFailsAtTheLimitWithoutRecursion() {
        byte[] deep = new byte[200_000];
        Arrays.fill(deep, (byte) 0x81);
        VmstateException e = readFails(withEnvelope(deep), ReadOptions.defaults());
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.getOriginalMessage()).isEqualTo("CBOR nesting depth (more than 264) exceeds the maximum allowed "
                + "(264, from ReadLimits.maxDepth() x 4 + 8)");
        assertThat(e.offset()).isEqualTo(SampleStreams.bodyStart(withEnvelope(deep)) + 264);
    }

    @Test
    void theItemAndStreamLimitsHold() {
        byte[] whole = write(smallStream());
        VmstateException e = readFails(whole, ReadOptions.defaults().withLimits(
                ReadLimits.builder().maxSectionSize(1000).build()));
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.getOriginalMessage()).matches("section size \\(\\d+\\) exceeds the maximum allowed \\(1000, from "
                + "ReadLimits.maxSectionSize\\(\\)\\)");
        long deviceStart;
        try (dev.vmstate.spi.StreamReader r = Fixtures.FORMAT.openReader(ByteSource.of(whole), ReadOptions.defaults())) {
            r.next();
            deviceStart = r.position();
        }
        assertThat(e.offset()).as("the record that is too large").isEqualTo(deviceStart);
        e = readFails(whole, ReadOptions.defaults().withLimits(ReadLimits.builder().maxStreamSize(500).build()));
        assertThat(e.getOriginalMessage()).matches("stream size \\(\\d+\\) exceeds the maximum allowed \\(500, from "
                + "ReadLimits.maxStreamSize\\(\\)\\)");
        assertThat(e.offset()).isLessThanOrEqualTo(500);
        e = readFails(whole, ReadOptions.defaults().withLimits(ReadLimits.builder().maxSectionCount(1).build()));
        assertThat(e.getOriginalMessage()).isEqualTo("section count (2) exceeds the maximum allowed (1, from "
                + "ReadLimits.maxSectionCount())");
        // Structs nested three deep: the framer's CBOR nesting (4 x 2 + 8) lets them through, the state reader does not.
        Schema c = new Schema("c", 1, 1, List.of(Field.scalar("x", Kind.U8, null)));
        Schema b = new Schema("b", 1, 1, List.of(Field.struct("c", c, 0)));
        Schema a = new Schema("a", 1, 1, List.of(Field.struct("b", b, 0)));
        Schema top = new Schema("top", 1, 1, List.of(Field.struct("a", a, 0)));
        byte[] deep = write(EveryRecord.oneSection(top, null));
        e = readFails(deep, ReadOptions.defaults().withLimits(ReadLimits.builder().maxDepth(2).build()));
        assertThat(e.getOriginalMessage()).isEqualTo("nesting depth (3) exceeds the maximum allowed (2, from "
                + "ReadLimits.maxDepth())");
        assertThat(e.path()).isEqualTo("a.b.c");
        // #4: SchemaLimits checks the schema once, at its schema item, which belongs to no one section.
        assertThat(e.section()).isNull();
    }

    /** An input stream of {@code head}, then {@code n} bytes of {@code fill} made as read, so nothing is held. */
    static InputStream endless(byte[] head, long n, byte fill) {
        return new InputStream() {
            long pos;

            @Override
            public int read() {
                if (pos < head.length) {
                    return head[(int) pos++] & 0xFF;
                }
                return pos++ < head.length + n ? fill & 0xFF : -1;
            }
        };
    }

    @Test
    void aLongByteStringFromAPipeIsCheckedAgainstTheLimitBeforeItIsRead() {
        byte[] head = withEnvelope(new byte[] {0x5A, 0x01, 0x00, 0x00, 0x01}); // 16 MiB + 1
        VmstateException e = catchThrowableOfType(VmstateException.class,
                () -> read(ByteSource.of(endless(head, 20L << 20, (byte) 0)), ReadOptions.defaults()));
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.offset()).isEqualTo(head.length - 5);
    }
}
