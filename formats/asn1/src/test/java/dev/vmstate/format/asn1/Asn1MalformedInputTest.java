package dev.vmstate.format.asn1;

import static dev.vmstate.format.asn1.Fixtures.BER;
import static dev.vmstate.format.asn1.Fixtures.DER;
import static dev.vmstate.format.asn1.Fixtures.read;
import static dev.vmstate.format.asn1.Fixtures.unhex;
import static dev.vmstate.format.asn1.Fixtures.withEnvelope;
import static dev.vmstate.format.asn1.Fixtures.write;
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
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.WireFormat;
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
import dev.vmstate.testkit.StreamMutations;
import dev.vmstate.visitor.Kind;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Truncations, bit flips, hostile lengths and broken structure: every one a {@link VmstateException}, none an OutOfMemoryError. */
class Asn1MalformedInputTest {
    static final List<WireFormat> BOTH = List.of(DER, BER);

    static List<StreamRecord> smallStream() {
        return List.of(new StreamHeader(3, "sample-pc", new byte[] {1}, EveryRecord.deviceTree()),
                new DeviceSection(0, "com1", 0, 3, true, EveryRecord.EVERY_KIND, new EveryKind()),
                new IterativeSection(IterativeSection.SectionType.START, 1, "ram", 0, 4),
                new RamRecord.Blocks(4096, List.of(new RamRecord.Block("pc.ram", 4096))),
                new RamRecord.Page("pc.ram", 0, false, RamRecord.Encoding.XBZRLE, new byte[] {1, 2, 3}),
                new RamRecord.Eos(), new SectionEnd(1, true),
                new EndOfState(), Description.of("{}"));
    }

    static VmstateException readFails(WireFormat f, byte[] bytes, ReadOptions options) {
        VmstateException e = catchThrowableOfType(VmstateException.class, () -> read(f, ByteSource.of(bytes), options));
        assertThat(e).as("reading %d bytes must fail", bytes.length).isNotNull();
        assertThat(e.format()).isEqualTo(f.name());
        return e;
    }

    static VmstateException readFails(WireFormat f, byte[] bytes) {
        return readFails(f, bytes, ReadOptions.defaults());
    }

    /** Where the record after the end record starts: a cut there leaves a whole stream without its description. */
    static int endOfStateEnd(WireFormat f, byte[] stream) {
        try (StreamReader r = f.openReader(ByteSource.of(stream), ReadOptions.defaults())) {
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
        for (WireFormat f : BOTH) {
            byte[] whole = write(f, smallStream());
            int endRecord = endOfStateEnd(f, whole);
            for (int len = 0; len < whole.length; len++) {
                byte[] cut = Arrays.copyOf(whole, len);
                if (len == endRecord) {
                    // Cut right after the end record: a whole stream without its optional description.
                    assertThat(read(f, cut)).hasSize(smallStream().size() - 1);
                    continue;
                }
                VmstateException e = readFails(f, cut, ReadOptions.defaults());
                assertThat(e).isInstanceOf(MalformedStreamException.class);
                assertThat(e.offset()).as("offset of truncation at %d: %s", len, e.getMessage()).isBetween(0L,
                        (long) len);
            }
        }
    }

    @Test
    void truncationThroughASlowPipeFailsToo() {
        for (WireFormat f : BOTH) {
            byte[] whole = write(f, smallStream());
            for (int len = 0; len < endOfStateEnd(f, whole); len += 37) {
                byte[] cut = Arrays.copyOf(whole, len);
                VmstateException e = catchThrowableOfType(VmstateException.class,
                        () -> read(f, ByteSource.of(SampleStreams.oneByteAtATime(cut)), ReadOptions.defaults()));
                assertThat(e).as("truncated to %d", len).isInstanceOf(MalformedStreamException.class);
                assertThat(e.offset()).isBetween(0L, (long) cut.length);
            }
        }
    }

    @Test
    void randomByteChangesReadOrFailCleanly() {
        // Octets that change what follows: long and indefinite lengths, constructed forms, end-of-contents.
        int[] specials = {0x80, 0x81, 0x84, 0x88, 0x89, 0xFF, 0x00, 0x7F, 0x30, 0x24, 0x2C, 0xA0, 0x1F, 0x62, 0x63};
        for (WireFormat f : BOTH) {
            byte[] whole = write(f, smallStream());
            Random rnd = new Random(5);
            int failures = 0;
            for (int i = 0; i < 3000; i++) {
                byte[] b = whole.clone();
                int at = SampleStreams.bodyStart(whole) + rnd.nextInt(b.length - SampleStreams.bodyStart(whole));
                b[at] = i % 2 == 0 ? (byte) (b[at] ^ (1 << rnd.nextInt(8))) : (byte) specials[rnd.nextInt(specials.length)];
                try {
                    read(f, b);
                } catch (VmstateException e) {
                    failures++;
                    assertThat(e.offset()).as("change at %d: %s", at, e.getMessage()).isBetween(0L, (long) b.length);
                }
            }
            assertThat(failures).isGreaterThan(1200);
        }
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
    void aRecordClaimingFourGibibytesFailsBeforeAnyAllocation() {
        for (WireFormat f : BOTH) {
            int body = SampleStreams.bodyStart(withEnvelope(f, new byte[0]));
            byte[] bytes = withEnvelope(f, unhex("a2 84 ff ff ff ff 02 01 00"));
            VmstateException[] e = new VmstateException[1];
            long allocated = allocatedBy(() -> e[0] = readFails(f, bytes));
            assertThat(e[0]).isInstanceOf(LimitExceededException.class);
            assertThat(e[0].getOriginalMessage()).isEqualTo("section size (4294967301) exceeds the maximum allowed "
                    + "(268435456, from ReadLimits.maxSectionSize())");
            assertThat(e[0].offset()).isEqualTo(body);
            assertThat(allocated).as("heap allocated for a record claiming 4 GiB").isLessThan(8L << 20);
            // eight length octets, all ones: saturated, not wrapped
            e[0] = readFails(f, withEnvelope(f, unhex("a2 88 ff ff ff ff ff ff ff ff")));
            assertThat(e[0].getOriginalMessage()).startsWith("section size (9223372036854775807) exceeds");
            assertThat(readFails(f, withEnvelope(f, unhex("a2 89 00"))).getOriginalMessage()).isEqualTo(
                    "length in 9 octets after identifier 0xA2; this reader takes at most 8");
            assertThat(readFails(f, withEnvelope(f, unhex("a2 ff 00"))).getOriginalMessage()).isEqualTo(
                    "length octet 0xFF after identifier 0xA2 is reserved (X.690 8.1.3.5)");
        }
    }

    @Test
    void withTheLimitsRaisedAHostileLengthStillAllocatesOnlyWhatArrives() {
        ReadLimits open = ReadLimits.builder().maxBytesLength(Integer.MAX_VALUE).maxStringLength(Integer.MAX_VALUE)
                .maxListLength(Integer.MAX_VALUE).maxSectionSize(Long.MAX_VALUE).build();
        ReadOptions o = ReadOptions.defaults().withLimits(open);
        for (WireFormat f : BOTH) {
            byte[] oneGib = withEnvelope(f, unhex("a8 84 40 00 00 00 02 01 01"));
            VmstateException[] e = new VmstateException[1];
            long allocated = allocatedBy(() -> e[0] = readFails(f, oneGib, o));
            assertThat(e[0]).isInstanceOf(MalformedStreamException.class);
            assertThat(e[0].getOriginalMessage()).isEqualTo("unexpected end of input inside a record");
            assertThat(allocated).isLessThan(8L << 20);
            e[0] = readFails(f, withEnvelope(f, unhex("a8 84 7f ff ff f0")), o);
            assertThat(e[0]).isInstanceOf(LimitExceededException.class);
            assertThat(e[0].getOriginalMessage()).isEqualTo("record size (2147483638) exceeds the maximum allowed "
                    + "(2147483631, fixed by the asn1 formats: one record is one Java array)");
        }
    }

    @Test
    void aLengthInsideARecordCannotPassTheRecordsEnd() {
        byte[] whole = write(DER, smallStream());
        // The page's XBZRLE data (82 03 01 02 03) claiming 16 MiB + 1 octets: past the end of the page record
        byte[] page = StreamMutations.replace(whole, unhex("82 03 01 02 03"), unhex("82 84 01 00 00 01 02 03"));
        int at = StreamMutations.indexOf(page, unhex("82 84 01 00 00 01"));
        // the record's own length is now 3 short: the length octets grew by 3, so fix the record's length too
        int record = StreamMutations.indexOf(whole, unhex("a5 13"));
        page[record + 1] = 0x16;
        VmstateException e = readFails(DER, page);
        assertThat(e.getOriginalMessage()).isEqualTo("length 16777217 after identifier 0x82 runs past the end of its "
                + "container, which has 2 byte(s) left");
        assertThat(e.offset()).isEqualTo(at);
        // An INTEGER claiming 127 octets in a 3-byte space: the same
        byte[] integer = StreamMutations.replace(whole, unhex("a7 06 02 01 01"), unhex("a7 06 02 7f 01"));
        e = readFails(DER, integer);
        assertThat(e.getOriginalMessage()).isEqualTo("length 127 after identifier 0x02 runs past the end of its "
                + "container, which has 4 byte(s) left");
    }

    @Test
    void deepNestingFailsAtTheLimitWithoutRecursion() {
        // BER: indefinite lengths nested 100 000 deep inside a record; the framer counts them
        byte[] deep = new byte[200_002];
        for (int i = 0; i < deep.length; i += 2) {
            deep[i] = (byte) (i == 0 ? 0xA2 : 0x30);
            deep[i + 1] = (byte) 0x80;
        }
        VmstateException e = readFails(BER, withEnvelope(BER, deep));
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.getOriginalMessage()).isEqualTo("ASN.1 nesting depth (more than 264) exceeds the maximum allowed "
                + "(264, from ReadLimits.maxDepth() x 4 + 8)");
        assertThat(e.offset()).isEqualTo(SampleStreams.bodyStart(withEnvelope(BER, deep)) + 2 * 264);
        // DER: a schema value whose Plain lists nest 300 deep, definite lengths all the way
        byte[] lists = new byte[0];
        for (int i = 0; i < 300; i++) {
            lists = DerRulesTest.concat(header(0xA0, lists.length), lists);
        }
        byte[] schema = DerRulesTest.concat(unhex("02 01 00"), lists);
        byte[] stream = DerRulesTest.concat(write(DER, List.of(StreamHeader.of(null, null))), header(0xA1, schema.length),
                schema);
        e = readFails(DER, stream);
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.getOriginalMessage()).startsWith("ASN.1 nesting depth (more than 264)");
    }

    /** An identifier and a DER length. */
    static byte[] header(int id, int n) {
        int k = Asn1Out.lengthOctets(n);
        byte[] h = new byte[1 + k];
        h[0] = (byte) id;
        if (k == 1) {
            h[1] = (byte) n;
        } else {
            h[1] = (byte) (0x80 | (k - 1));
            for (int i = 0; i < k - 1; i++) {
                h[2 + i] = (byte) (n >>> (8 * (k - 2 - i)));
            }
        }
        return h;
    }

    @Test
    void brokenStructureIsNamed() {
        int body = SampleStreams.bodyStart(withEnvelope(BER, new byte[0]));
        // an end-of-contents with a length
        VmstateException e = readFails(BER, withEnvelope(BER, unhex("a7 80 02 01 01 01 01 ff 00 01")));
        assertThat(e.getOriginalMessage()).isEqualTo("end-of-contents octets 0x00 0x01, expected 0x00 0x00 (X.690 8.1.5)");
        assertThat(e.offset()).isEqualTo(body + 8);
        // an indefinite length on a primitive value
        e = readFails(BER, withEnvelope(BER, unhex("86 80 00 00")));
        assertThat(e.getOriginalMessage()).isEqualTo("indefinite length (0x80) after the primitive identifier 0x86: "
                + "only a constructed value may have one (X.690 8.1.3.2)");
        // a record the module does not have
        e = readFails(DER, withEnvelope(DER, unhex("ab 00")));
        assertThat(e.getOriginalMessage()).isEqualTo("found [CONTEXT 11] constructed (0xAB) where a record starts, "
                + "expected one of the Record alternatives [0]..[10]");
        e = readFails(DER, withEnvelope(DER, unhex("1f 01 00")));
        assertThat(e.getOriginalMessage()).isEqualTo("identifier 0x1F uses the high-tag-number form, which no type of "
                + "the vmstate module has (X.690 8.1.2.4)");
        // a value of another type than the module has there: the header's stream version as a BOOLEAN
        e = readFails(DER, withEnvelope(DER, unhex("a0 05 01 01 ff 04 00")));
        assertThat(e.getOriginalMessage()).isEqualTo("found BOOLEAN (0x01), expected the stream version");
        // a NULL record with content
        e = readFails(DER, withEnvelope(DER, unhex("89 01 00")));
        assertThat(e.getOriginalMessage()).isEqualTo("NULL with 1 content octets, expected 0 (X.690 8.8.2)");
        // no end record
        e = readFails(DER, write(DER, List.of(StreamHeader.of(null, null))));
        assertThat(e.getOriginalMessage()).isEqualTo("the stream ends without an end record ([9] NULL)");
    }

    @Test
    void aStateMustHaveOneValuePerMember() {
        Schema two = new Schema("two", 1, 1, List.of(Field.scalar("a", Kind.U8, null), Field.scalar("b", Kind.U8, null)));
        byte[] whole = write(DER, EveryRecord.oneSection(two, new dev.vmstate.tree.StateTree.StructValue("two",
                java.util.Map.of("a", new dev.vmstate.tree.StateTree.IntValue(Kind.U8, 1),
                        "b", new dev.vmstate.tree.StateTree.IntValue(Kind.U8, 2)))));
        int state = StreamMutations.indexOf(whole, unhex("30 06 02 01 01 02 01 02"));
        // one value short: the record and the struct one value shorter
        byte[] shorter = StreamMutations.replace(whole, unhex("30 06 02 01 01 02 01 02"), unhex("30 03 02 01 01"));
        shorter[StreamMutations.indexOf(shorter, unhex("a2"), SampleStreams.bodyStart(shorter)) + 1] -= 3;
        VmstateException e = readFails(DER, shorter);
        assertThat(e.getOriginalMessage()).isEqualTo("struct ends after 1 value(s), expected 2, one per member of its "
                + "schema");
        assertThat(e.offset()).isEqualTo(state + 5);
        // one value too many
        byte[] longer = StreamMutations.replace(whole, unhex("30 06 02 01 01 02 01 02"),
                unhex("30 09 02 01 01 02 01 02 02 01 03"));
        longer[StreamMutations.indexOf(longer, unhex("a2"), SampleStreams.bodyStart(longer)) + 1] += 3;
        e = readFails(DER, longer);
        assertThat(e.getOriginalMessage()).isEqualTo("struct goes on after its schema's 2 member(s)");
        assertThat(e.offset()).isEqualTo(state + 8);
    }

    @Test
    void theRecordAndStreamLimitsHold() {
        byte[] whole = write(DER, smallStream());
        VmstateException e = readFails(DER, whole, ReadOptions.defaults().withLimits(
                ReadLimits.builder().maxSectionSize(200).build()));
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.getOriginalMessage()).matches("section size \\(\\d+\\) exceeds the maximum allowed \\(200, from "
                + "ReadLimits.maxSectionSize\\(\\)\\)");
        e = readFails(DER, whole, ReadOptions.defaults().withLimits(ReadLimits.builder().maxStreamSize(500).build()));
        assertThat(e.getOriginalMessage()).matches("stream size \\(\\d+\\) exceeds the maximum allowed \\(500, from "
                + "ReadLimits.maxStreamSize\\(\\)\\)");
        assertThat(e.offset()).isLessThanOrEqualTo(500);
        e = readFails(DER, whole, ReadOptions.defaults().withLimits(ReadLimits.builder().maxSectionCount(1).build()));
        assertThat(e.getOriginalMessage()).isEqualTo("section count (2) exceeds the maximum allowed (1, from "
                + "ReadLimits.maxSectionCount())");
        e = readFails(DER, whole, ReadOptions.defaults().withLimits(ReadLimits.builder().maxStringLength(8).build()));
        assertThat(e.getOriginalMessage()).isEqualTo("string length (9) exceeds the maximum allowed (8, from "
                + "ReadLimits.maxStringLength())");
        e = readFails(DER, whole, ReadOptions.defaults().withLimits(ReadLimits.builder().maxBytesLength(2).build()));
        // the schema value's buffer[4] fails first: SchemaLimits bounds a buffer by maxBytesLength
        assertThat(e.getOriginalMessage()).isEqualTo("bytes length (4) exceeds the maximum allowed (2, from "
                + "ReadLimits.maxBytesLength())");
        assertThat(e.path()).isEqualTo("fixed");
        // Structs nested three deep: the state reader counts them
        Schema c = new Schema("c", 1, 1, List.of(Field.scalar("x", Kind.U8, null)));
        Schema b = new Schema("b", 1, 1, List.of(Field.struct("c", c, 0)));
        Schema a = new Schema("a", 1, 1, List.of(Field.struct("b", b, 0)));
        Schema top = new Schema("top", 1, 1, List.of(Field.struct("a", a, 0)));
        byte[] deep = write(DER, EveryRecord.oneSection(top, null));
        e = readFails(DER, deep, ReadOptions.defaults().withLimits(ReadLimits.builder().maxDepth(2).build()));
        assertThat(e.getOriginalMessage()).isEqualTo("nesting depth (3) exceeds the maximum allowed (2, from "
                + "ReadLimits.maxDepth())");
        assertThat(e.path()).isEqualTo("a.b.c");
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
        byte[] head = withEnvelope(DER, unhex("a8 84 10 00 00 10")); // 256 MiB + 16
        VmstateException e = catchThrowableOfType(VmstateException.class,
                () -> read(DER, ByteSource.of(endless(head, 300L << 20, (byte) 0)), ReadOptions.defaults()));
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.offset()).isEqualTo(head.length - 6);
    }
}
