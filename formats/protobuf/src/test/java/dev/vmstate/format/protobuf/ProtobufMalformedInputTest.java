package dev.vmstate.format.protobuf;

import static dev.vmstate.format.protobuf.Fixtures.read;
import static dev.vmstate.format.protobuf.Fixtures.write;
import static dev.vmstate.format.protobuf.TestProto.raw;
import static dev.vmstate.format.protobuf.TestProto.withEnvelope;
import static dev.vmstate.testkit.StreamMutations.indexOf;
import static dev.vmstate.testkit.StreamMutations.replace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.LimitExceededException;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.format.protobuf.internal.PlainEntry;
import dev.vmstate.format.protobuf.internal.PlainList;
import dev.vmstate.format.protobuf.internal.PlainMap;
import dev.vmstate.format.protobuf.internal.PlainValue;
import dev.vmstate.format.protobuf.internal.Record;
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
import dev.vmstate.testkit.EveryKind;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.visitor.Kind;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Truncations, bit flips and hostile lengths: every one a {@link VmstateException}, none an
 * {@code OutOfMemoryError} and none of protobuf-java's own exceptions.
 */
class ProtobufMalformedInputTest {
    /**
     * {@code u8 = 200} in EveryKind's state: field 6, varint (tag 0x30), C8 01; then {@code u16 =
     * 60000}, field 7 (tag 0x38), E0 D4 03, which makes the bytes unique in the stream. The field
     * starts at the match.
     */
    static final byte[] U8_200 = raw(0x30, 0xC8, 0x01, 0x38, 0xE0, 0xD4, 0x03);

    /** {@link #U8_200} with the u8 changed to 300 (AC 02): a valid varint, out of range for the field. */
    static final byte[] U8_300 = raw(0x30, 0xAC, 0x02, 0x38, 0xE0, 0xD4, 0x03);

    static List<StreamRecord> smallStream() {
        return List.of(new StreamHeader(3, "sample-pc", new byte[] {1}, EveryRecord.deviceTree()),
                new DeviceSection(0, "com1", 0, 3, true, EveryRecord.EVERY_KIND, new EveryKind()),
                new IterativeSection(IterativeSection.SectionType.START, 1, "ram", 0, 4),
                new RamRecord.Blocks(4096, List.of(new RamRecord.Block("pc.ram", 4096))),
                new RamRecord.Page("pc.ram", 0, false, RamRecord.Encoding.XBZRLE, new byte[] {1, 2, 3}),
                new RamRecord.Eos(), new SectionEnd(1, true),
                new EndOfState(), Description.of("{}"));
    }

    static VmstateException readFails(byte[] bytes, ReadOptions options) {
        VmstateException e = catchThrowableOfType(VmstateException.class, () -> read(ByteSource.of(bytes), options));
        assertThat(e).as("reading %d bytes must fail", bytes.length).isNotNull();
        assertThat(e.format()).isEqualTo("protobuf");
        assertThat(e).hasNoSuppressedExceptions();
        return e;
    }

    /** Where the record after the end record starts: a cut there leaves a whole stream without its description. */
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
        int endRecord = endOfStateEnd(whole);
        for (int len = 0; len < whole.length; len++) {
            byte[] cut = Arrays.copyOf(whole, len);
            if (len == endRecord) {
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
                    () -> read(ByteSource.of(SampleStreams.oneByteAtATime(cut)), ReadOptions.defaults()));
            assertThat(e).as("truncated to %d", len).isInstanceOf(MalformedStreamException.class);
            assertThat(e.offset()).isBetween(0L, (long) cut.length);
        }
    }

    @Test
    void randomByteChangesReadOrFailCleanly() {
        byte[] whole = write(smallStream());
        Random rnd = new Random(5);
        // Bytes that change what follows: continuation bits, tags of every wire type, zero tags, big lengths.
        int[] specials = {0x80, 0xFF, 0x7F, 0x00, 0x01, 0x02, 0x08, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x12, 0x1A,
            0x42, 0x49, 0x51, 0xF8};
        int failures = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] b = whole.clone();
            int at = rnd.nextInt(b.length);
            b[at] = i % 2 == 0 ? (byte) (b[at] ^ (1 << rnd.nextInt(8))) : (byte) specials[rnd.nextInt(specials.length)];
            try {
                read(b);
            } catch (VmstateException e) {
                failures++;
                assertThat(e.offset()).as("change at %d: %s", at, e.getMessage()).isBetween(-1L, (long) b.length);
                assertThat(e).isInstanceOfAny(MalformedStreamException.class, LimitExceededException.class,
                        dev.vmstate.error.VersionException.class, dev.vmstate.error.SchemaMismatchException.class);
            }
        }
        assertThat(failures).isGreaterThan(1000);
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
    void aRecordLengthClaimingFourGibibytesFailsBeforeAnyAllocation() {
        int body = SampleStreams.bodyStart(withEnvelope(new byte[0]));
        byte[] bytes = withEnvelope(raw(0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x1A, 0x00));
        VmstateException[] e = new VmstateException[1];
        long allocated = allocatedBy(() -> e[0] = readFails(bytes, ReadOptions.defaults()));
        assertThat(e[0]).isInstanceOf(LimitExceededException.class);
        assertThat(e[0].getOriginalMessage()).isEqualTo("section size (4294967295) exceeds the maximum allowed "
                + "(268435456, from ReadLimits.maxSectionSize())");
        assertThat(e[0].offset()).isEqualTo(body);
        assertThat(allocated).isLessThan(8L << 20);
        // 2^64 - 1, in ten bytes: shown unsigned
        e[0] = readFails(withEnvelope(raw(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)),
                ReadOptions.defaults());
        assertThat(e[0].getOriginalMessage()).isEqualTo("section size (18446744073709551615) exceeds the maximum "
                + "allowed (268435456, from ReadLimits.maxSectionSize())");
        // eleven bytes are no varint
        e[0] = readFails(withEnvelope(raw(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)),
                ReadOptions.defaults());
        assertThat(e[0]).isInstanceOf(MalformedStreamException.class);
        assertThat(e[0].getOriginalMessage()).isEqualTo("malformed varint (more than 10 bytes) for the length of a record");
        assertThat(e[0].offset()).isEqualTo(body);
    }

    @Test
    void withTheLimitsRaisedAHostileLengthStillAllocatesOnlyWhatArrives() {
        ReadLimits open = ReadLimits.builder().maxBytesLength(Integer.MAX_VALUE).maxStringLength(Integer.MAX_VALUE)
                .maxListLength(Integer.MAX_VALUE).maxSectionSize(Long.MAX_VALUE).build();
        ReadOptions o = ReadOptions.defaults().withLimits(open);
        byte[] oneGib = withEnvelope(raw(0x80, 0x80, 0x80, 0x80, 0x04, 0x1A, 0x00));
        VmstateException[] e = new VmstateException[1];
        long allocated = allocatedBy(() -> e[0] = readFails(oneGib, o));
        assertThat(e[0]).isInstanceOf(MalformedStreamException.class);
        assertThat(e[0].getOriginalMessage()).isEqualTo("unexpected end of input inside a record of 1073741824 bytes");
        assertThat(allocated).isLessThan(8L << 20);
        e[0] = readFails(withEnvelope(raw(0xF5, 0xFF, 0xFF, 0xFF, 0x07)), o);
        assertThat(e[0]).isInstanceOf(LimitExceededException.class);
        assertThat(e[0].getOriginalMessage()).isEqualTo("record size (2147483637) exceeds the maximum allowed "
                + "(2147483631, fixed by the protobuf format: one record is one Java array)");
    }

    @Test
    void hostileLengthsInsideRealRecordsNameTheirOffset() {
        byte[] whole = write(smallStream());
        // The varray vlans = [10, 20]: field 15, packed (7A 02 0A 14), claiming 2^32 - 1 bytes.
        byte[] vlansAt = raw(0x7A, 0x02, 0x0A, 0x14);
        byte[] vlans = replace(whole, vlansAt, raw(0x7A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x0A, 0x14));
        VmstateException e = readFails(vlans, ReadOptions.defaults());
        assertThat(e).isInstanceOf(MalformedStreamException.class);
        assertThat(e.getOriginalMessage()).matches("length 4294967295 of a packed array runs past the end of its "
                + "message \\(\\d+ bytes left\\)");
        assertThat(e.offset()).isEqualTo(indexOf(whole, vlansAt) + 1);
        assertThat(e.path()).isEqualTo("vlans");
        // An array with more entries than the limit: counted from its bytes, not taken from a claim.
        byte[] list = write(smallStream());
        e = readFails(list, ReadOptions.defaults().withLimits(ReadLimits.builder().maxListLength(1).build()));
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.getOriginalMessage()).isEqualTo("list length (3) exceeds the maximum allowed (1, from "
                + "ReadLimits.maxListLength())");
        assertThat(e.path()).isEqualTo("regs");
    }

    @Test
    void messagesNestedBeyondTheRecursionLimitFailAsALimit() {
        PlainValue v = PlainValue.newBuilder().setIntValue(1).build();
        for (int i = 0; i < 1000; i++) {
            v = PlainValue.newBuilder().setListValue(PlainList.newBuilder().addValues(v)).build();
        }
        PlainMap deep = PlainMap.newBuilder().addEntries(PlainEntry.newBuilder().setKey("machine").setValue(v)).build();
        byte[] bytes = TestProto.stream(Record.newBuilder().setHeader(
                dev.vmstate.format.protobuf.internal.Header.newBuilder().setDeviceTree(deep)));
        VmstateException e = readFails(bytes, ReadOptions.defaults());
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.getOriginalMessage()).isEqualTo("message nesting depth (more than 792) exceeds the maximum "
                + "allowed (792, from ReadLimits.maxDepth() x 12 + 24)");
        assertThat(e.getCause()).isInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void theRecordAndStreamLimitsHold() {
        byte[] whole = write(smallStream());
        VmstateException e = readFails(whole, ReadOptions.defaults().withLimits(
                ReadLimits.builder().maxSectionSize(500).build()));
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.getOriginalMessage()).matches("section size \\(\\d+\\) exceeds the maximum allowed \\(500, from "
                + "ReadLimits.maxSectionSize\\(\\)\\)");
        long schemaStart;
        try (dev.vmstate.spi.StreamReader r = Fixtures.FORMAT.openReader(ByteSource.of(whole), ReadOptions.defaults())) {
            r.next();
            schemaStart = r.position();
        }
        assertThat(e.offset()).as("the record that is too large: the schema record").isEqualTo(schemaStart);
        e = readFails(whole, ReadOptions.defaults().withLimits(ReadLimits.builder().maxStreamSize(500).build()));
        assertThat(e.getOriginalMessage()).matches("stream size \\(\\d+\\) exceeds the maximum allowed \\(500, from "
                + "ReadLimits.maxStreamSize\\(\\)\\)");
        assertThat(e.offset()).isLessThanOrEqualTo(500);
        e = readFails(whole, ReadOptions.defaults().withLimits(ReadLimits.builder().maxSectionCount(1).build()));
        assertThat(e.getOriginalMessage()).isEqualTo("section count (2) exceeds the maximum allowed (1, from "
                + "ReadLimits.maxSectionCount())");
        Schema c = new Schema("c", 1, 1, List.of(Field.scalar("x", Kind.U8, null)));
        Schema b = new Schema("b", 1, 1, List.of(Field.struct("c", c, 0)));
        Schema a = new Schema("a", 1, 1, List.of(Field.struct("b", b, 0)));
        Schema top = new Schema("top", 1, 1, List.of(Field.struct("a", a, 0)));
        byte[] deep = write(EveryRecord.oneSection(top, null));
        e = readFails(deep, ReadOptions.defaults().withLimits(ReadLimits.builder().maxDepth(2).build()));
        assertThat(e.getOriginalMessage()).isEqualTo("nesting depth (3) exceeds the maximum allowed (2, from "
                + "ReadLimits.maxDepth())");
        assertThat(e.path()).isEqualTo("a.b.c");
        // SchemaLimits checks the schema once, at its schema record, which belongs to no one section.
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
    void aLongRecordFromAPipeIsCheckedAgainstTheLimitBeforeItIsRead() {
        byte[] head = withEnvelope(raw(0x81, 0x80, 0x80, 0x80, 0x01)); // 256 MiB + 1
        VmstateException e = catchThrowableOfType(VmstateException.class,
                () -> read(ByteSource.of(endless(head, 300L << 20, (byte) 0)), ReadOptions.defaults()));
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.offset()).isEqualTo(head.length - 5);
    }
}
