package dev.vmstate.testkit;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.StreamWriteException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.FormatCapabilities;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.SampleStreams.Sample;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;

/**
 * The contract every wire format inherits (#3): extend this class, return the format, and the
 * properties below run as the subclass's tests.
 *
 * <pre>{@code
 * class MyFormatConformanceTest extends FormatConformanceSuite {
 *     @Override
 *     protected WireFormat format() {
 *         return new MyFormat();
 *     }
 * }
 * }</pre>
 *
 * <p>The properties, each its own test, gated by {@link FormatCapabilities} as QEMU gates its
 * tests by {@code VCAP_*} (a gated-out property is reported as skipped):
 * <ol>
 *   <li>random schemas and states: write → read gives the same records and equal states;</li>
 *   <li>write → read → write is byte-identical ({@code deterministic} formats);</li>
 *   <li>every truncation fails with a {@link VmstateException} whose offset is within the bytes
 *       given (every offset of the first 64 KiB; in a longer stream each record boundary ±1 and
 *       1000 random offsets), unless what was read ends at an {@link EndOfState};</li>
 *   <li>random bit flips decode or fail with a {@link VmstateException}: no other exception, no
 *       hang, no {@link OutOfMemoryError};</li>
 *   <li>hostile lengths (0xFFFFFFFF, ...) written over anything that could be a length decode or
 *       fail with a {@link VmstateException}, without allocating from the declared value;</li>
 *   <li>a {@code byte[]}, direct and heap buffers, a channel and an input stream that delivers one
 *       byte at a time give the same records;</li>
 *   <li>a section no registry knows (a {@link dev.vmstate.tree.GenericState}) survives a round
 *       trip with no schema supplied, and a second one after being written again;</li>
 *   <li>{@link WireFormat#sniff} recognises the format's own streams and nothing else; an
 *       {@code envelope} format starts with {@link Envelope#MAGIC} naming itself;</li>
 *   <li>the writer rejects records out of order with a {@link StreamWriteException}.</li>
 * </ol>
 *
 * <p>Properties over random samples run through QuickTheories ({@link Properties#qt()}), so a
 * failure is shrunk and prints its seed. The damaged-input properties run plain loops over
 * streams drawn from a {@link Random} seeded by {@code vmstate.seed} (or {@link #DEFAULT_SEED});
 * their failures name the seed and the mutation. Damaged reads run in batches of {@value #BATCH},
 * each of which must finish within {@link #hangTimeout()}; each read may allocate at most
 * {@link #allocationBudget(int)} bytes.
 *
 * <p>A test class; JUnit makes one instance per test. Not thread-safe.
 *
 * @since 0.1
 */
public abstract class FormatConformanceSuite {
    /** The seed of the damaged-input loops when {@code vmstate.seed} is not set. */
    public static final long DEFAULT_SEED = 0x5EED_0003L;
    /** Bit flips per run with the default tries, spread over the sample streams. */
    static final int FLIPS_PER_TRY = 3;
    /** Windows of each width whose hostile copies are read, per stream. */
    static final int HOSTILE_WINDOWS = 50;
    /** Damaged reads per {@link #hangTimeout()}. */
    static final int BATCH = 256;
    /** Random 64-byte heads {@link WireFormat#sniff} must refuse. */
    static final int RANDOM_HEADS = 1000;
    /** QEMU's savevm header: "QEVM" and stream version 3, the stream no envelope format may claim. */
    static final byte[] QEMU_HEADER = {0x51, 0x45, 0x56, 0x4D, 0x00, 0x00, 0x00, 0x03};

    private WireFormat format;

    /** The format under test: a new instance or a shared one (formats are stateless). */
    protected abstract WireFormat format();

    /**
     * How the suite reads back a stream it wrote with sections of {@code schemasWritten} (each
     * named after the last {@code /} component of its section's id string): the defaults, plus,
     * for a format that is not {@link FormatCapabilities#selfDescribing() self-describing}, a
     * {@link dev.vmstate.spi.SchemaSource} answering from those schemas
     * ({@link SampleStreams#schemaSource}). The unknown-sections property passes an empty list.
     * Override to add limits or a schema source of your own; keep the targets generic.
     */
    protected ReadOptions readOptions(List<Schema> schemasWritten) {
        ReadOptions o = ReadOptions.defaults();
        return fmt().capabilities().selfDescribing() ? o : o.withSchemas(SampleStreams.schemaSource(schemasWritten));
    }

    /** Examples per random property; {@link Properties#tries()} unless overridden. The loops scale with it. */
    protected int tries() {
        return Properties.tries();
    }

    /**
     * The longest a batch of {@value #BATCH} damaged reads may take: a reader that hangs on one
     * fails when its batch runs out of time, naming the input it hung on.
     */
    protected Duration hangTimeout() {
        return Duration.ofSeconds(60);
    }

    /**
     * The most heap one read of a damaged stream of {@code streamLength} bytes may allocate: 8 MiB
     * plus 64 bytes per input byte. A reader that allocates what a length declares rather than
     * what the input holds goes over it even when the allocation fits under {@code -Xmx}.
     */
    protected long allocationBudget(int streamLength) {
        return 8L * 1024 * 1024 + 64L * streamLength;
    }

    private WireFormat fmt() {
        if (format == null) {
            format = format();
        }
        return format;
    }

    private String tag() {
        return "[" + fmt().name() + "] ";
    }

    private QuickTheory qt() {
        return Properties.qt().withExamples(Math.max(1, tries()));
    }

    /** The seed of the damaged-input loops: {@code vmstate.seed}, or {@link #DEFAULT_SEED}; override to pin it. */
    protected long seed() {
        String s = System.getProperty("vmstate.seed");
        return s == null || s.isBlank() ? DEFAULT_SEED : Long.parseLong(s.trim());
    }

    private static String replay(long seed) {
        return "seed " + seed + " (replay with -Dvmstate.seed=" + seed + ")";
    }

    private int streams() {
        return Math.max(2, tries() / 10);
    }

    private byte[] write(List<StreamRecord> records, WriteOptions options) {
        return SampleStreams.write(fmt(), records, options);
    }

    private List<StreamRecord> read(byte[] bytes, ReadOptions options) {
        return SampleStreams.read(fmt(), bytes, options);
    }

    private void expectSame(String what, List<StreamRecord> expected, List<StreamRecord> actual) {
        List<String> diff = SampleStreams.differences(expected, actual);
        if (!diff.isEmpty() && SampleStreams.differences(carried(expected), actual).isEmpty()) {
            diff = List.of(); // a schema-less format may drop the tree it has nowhere to put
        }
        if (!diff.isEmpty()) {
            StringBuilder sb = new StringBuilder(tag()).append(what).append(" changed the stream:");
            diff.stream().limit(20).forEach(d -> sb.append("\n  ").append(d));
            throw new AssertionError(sb.toString());
        }
    }

    /**
     * What a format can carry of {@code records}: a schema-less format (legacy) may keep the device
     * tree in its description trailer only, so a stream written without one may read back without
     * the tree.
     */
    private List<StreamRecord> carried(List<StreamRecord> records) {
        if (fmt().capabilities().selfDescribing() || records.stream().anyMatch(r -> r instanceof Description)) {
            return records;
        }
        List<StreamRecord> out = new java.util.ArrayList<>(records);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) instanceof StreamHeader h && h.deviceTree() != null) {
                out.set(i, new StreamHeader(h.streamVersion(), h.machineType(), h.configurationExtra(), null));
            }
        }
        return out;
    }

    // ---- 1. round trip ---------------------------------------------------------------------

    /** Property 1: random schemas and states come back equal (with per-section CRCs too, for envelope formats). */
    @Test
    public void roundTripsArbitrarySchemasAndValues() {
        qt().forAll(SampleStreams.samples()).checkAssert(sample -> {
            byte[] bytes = write(sample.records(), WriteOptions.defaults());
            expectSame("write -> read", sample.records(), read(bytes, readOptions(sample.schemas())));
            if (fmt().capabilities().envelope()) {
                WriteOptions crc = WriteOptions.defaults().withCrc32c(true)
                        .withSchemaFingerprint(Envelope.fingerprint(sample.schemas()));
                byte[] checked = write(sample.records(), crc);
                expectSame("write (crc32c) -> read", sample.records(), read(checked, readOptions(sample.schemas())));
            }
        });
    }

    // ---- 2. determinism --------------------------------------------------------------------

    /** Property 2: the same records give the same bytes, and write → read → write is byte-identical. */
    @Test
    public void rewriteIsByteIdentical() {
        assumeTrue(fmt().capabilities().deterministic(), "not a deterministic format");
        qt().forAll(SampleStreams.samples()).checkAssert(sample -> {
            byte[] first = write(sample.records(), WriteOptions.defaults());
            expectBytes("writing the same records twice", first, write(sample.records(), WriteOptions.defaults()));
            List<StreamRecord> read = read(first, readOptions(sample.schemas()));
            expectBytes("write -> read -> write", first, write(read, WriteOptions.defaults()));
        });
    }

    private void expectBytes(String what, byte[] expected, byte[] actual) {
        int at = Arrays.mismatch(expected, actual);
        if (at >= 0) {
            throw new AssertionError(tag() + what + " gave other bytes: first difference at offset " + at + " of "
                    + expected.length + " / " + actual.length + " bytes\n  first:  " + hex(expected, at)
                    + "\n  second: " + hex(actual, at));
        }
    }

    private static String hex(byte[] b, int at) {
        StringBuilder sb = new StringBuilder();
        int from = Math.max(0, at - 8);
        for (int i = from; i < Math.min(b.length, at + 16); i++) {
            sb.append(i == at ? "[" : "").append(String.format("%02X", b[i] & 0xFF)).append(i == at ? "] " : " ");
        }
        return "@" + from + ": " + sb.toString().trim();
    }

    // ---- 3. truncation ---------------------------------------------------------------------

    /** Property 3: every truncation of random sample streams fails with a VmstateException inside the bytes given. */
    @Test
    public void everyTruncationFailsWithItsOffset() {
        long seed = seed();
        Random random = new Random(seed ^ 0x7E0C_A7E5L);
        for (int k = 0; k < streams(); k++) {
            truncations(SampleStreams.sample(Schemas.draw(random)), "sample stream #" + k, seed, random);
        }
    }

    /** Property 3 on a stream longer than 64 KiB: the first 64 KiB, each record boundary ±1, 1000 random cuts. */
    @Test
    public void everyTruncationOfALongStreamFailsWithItsOffset() {
        long seed = seed();
        Random random = new Random(seed ^ 0x1096_57E5L);
        truncations(SampleStreams.longSample(random), "long stream", seed, random);
    }

    private void truncations(Sample sample, String name, long seed, Random random) {
        byte[] bytes = write(sample.records(), WriteOptions.defaults());
        ReadOptions options = readOptions(sample.schemas());
        expectSame(name + ": write -> read", sample.records(), read(bytes, options));
        long[] boundaries = SampleStreams.recordBoundaries(fmt(), bytes, options);
        int[] cuts = StreamMutations.truncationPoints(bytes.length, boundaries, random);
        List<StreamRecord> complete = untilEndOfState(sample.records());
        batches(name + ", " + replay(seed), cuts.length, () -> ReadAttempt.of(fmt(), bytes, bytes.length, options),
                (i, current) -> {
                    int cut = cuts[i];
                    String what = name + " truncated to " + cut + " of " + bytes.length + " bytes, " + replay(seed);
                    current.set(what);
                    truncation(what, ReadAttempt.of(fmt(), bytes, cut, options), cut, complete);
                });
    }

    private void truncation(String what, ReadAttempt a, int cut, List<StreamRecord> complete) {
        VmstateException e = a.failure == null ? null : expectVmstateException(what, a.failure);
        checkAllocation(what, a, cut);
        if (e == null) {
            StreamRecord last = a.records.isEmpty() ? null : a.records.get(a.records.size() - 1);
            if (!(last instanceof EndOfState)) {
                throw new AssertionError(tag() + what + ": read without an error, but what was read ends with "
                        + (last == null ? "no record" : last.getClass().getSimpleName())
                        + ", not an EndOfState: a truncated stream must fail");
            }
            expectSame(what + ": write -> read", complete, a.records);
        } else if (e.offset() < 0 || e.offset() > cut) {
            throw new AssertionError(tag() + what + ": the error's offset " + e.offset() + " is outside [0, " + cut
                    + "], the bytes the reader was given: " + e.getMessage(), e);
        }
    }

    private static List<StreamRecord> untilEndOfState(List<StreamRecord> records) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i) instanceof EndOfState) {
                return records.subList(0, i + 1);
            }
        }
        return records;
    }

    // ---- 4 and 5. bit flips, hostile lengths -----------------------------------------------

    /** Property 4: random bit flips decode or fail with a VmstateException, never another throwable, a hang or OOM. */
    @Test
    public void bitFlipsDecodeOrFailCleanly() {
        long seed = seed();
        Random random = new Random(seed ^ 0xF1195L);
        int perStream = Math.max(1, FLIPS_PER_TRY * tries() / streams());
        for (int k = 0; k < streams(); k++) {
            Sample sample = SampleStreams.sample(Schemas.draw(random), false);
            byte[] bytes = write(sample.records(), WriteOptions.defaults());
            mutants("sample stream #" + k, bytes, sample.schemas(), StreamMutations.flips(bytes, perStream, random), seed);
        }
    }

    /**
     * Property 5: every window that could be a length (be16, be32, be64, varint), overwritten with
     * 0xFFFFFFFF, 0x7FFFFFFF and other hostile values, decodes (it was not a length) or fails with
     * a VmstateException (a {@link dev.vmstate.error.LimitExceededException} or
     * {@link dev.vmstate.error.MalformedStreamException}), allocating no more than the input warrants.
     */
    @Test
    public void hostileLengthsFailWithoutAllocating() {
        long seed = seed();
        Random random = new Random(seed ^ 0x4057_11EL);
        for (int k = 0; k < streams(); k++) {
            Sample sample = SampleStreams.sample(Schemas.draw(random), false);
            byte[] bytes = write(sample.records(), WriteOptions.defaults());
            mutants("sample stream #" + k, bytes, sample.schemas(),
                    StreamMutations.hostileLengths(bytes, HOSTILE_WINDOWS, random), seed);
        }
    }

    private void mutants(String name, byte[] valid, List<Schema> schemas, List<StreamMutations.Mutation> mutations,
                         long seed) {
        ReadOptions options = readOptions(schemas);
        batches(name + ", " + replay(seed), mutations.size(), () -> ReadAttempt.of(fmt(), valid, valid.length, options),
                (i, current) -> {
                    StreamMutations.Mutation m = mutations.get(i);
                    String what = name + " with " + m.description() + ", " + replay(seed);
                    current.set(what);
                    byte[] bytes = m.bytes();
                    ReadAttempt a = ReadAttempt.of(fmt(), bytes, bytes.length, options);
                    VmstateException e = a.failure == null ? null : expectVmstateException(what, a.failure);
                    checkAllocation(what, a, bytes.length);
                    if (e != null && (e.offset() < -1 || e.offset() > bytes.length)) {
                        throw new AssertionError(tag() + what + ": the error's offset " + e.offset()
                                + " is beyond the stream's " + bytes.length + " bytes: " + e.getMessage(), e);
                    }
                });
    }

    private VmstateException expectVmstateException(String what, Throwable t) {
        if (t instanceof VmstateException e) {
            return e;
        }
        if (t instanceof AssertionError a) {
            throw new AssertionError(tag() + what + ": " + a.getMessage(), a);
        }
        throw new AssertionError(tag() + what + ": threw " + t + " where a reader may only throw a VmstateException"
                + " (STYLE.md: no IndexOutOfBounds, NegativeArraySize, EOFException or OutOfMemoryError)", t);
    }

    private void checkAllocation(String what, ReadAttempt a, int length) {
        if (a.allocated > allocationBudget(length)) {
            throw new AssertionError(tag() + what + ": reading " + length + " bytes allocated " + a.allocated
                    + " bytes of heap, more than the budget of " + allocationBudget(length)
                    + ": is an array allocated from a declared length before the bytes arrive?", a.failure);
        }
    }

    /** One damaged read of a batch: the {@code index}-th, telling {@code current} what it reads. */
    private interface DamagedRead {
        void check(int index, AtomicReference<String> current);
    }

    /**
     * Runs {@code count} damaged reads in batches of {@value #BATCH}, each under
     * {@link #hangTimeout()} on a fresh thread that first runs {@code warmUp} (so one-time
     * initialisation is not billed to the first damaged read); a timeout names the read it hung on.
     */
    private void batches(String name, int count, Runnable warmUp, DamagedRead read) {
        for (int from = 0; from < count; from += BATCH) {
            int start = from;
            int end = Math.min(count, from + BATCH);
            AtomicReference<String> current = new AtomicReference<>(name);
            Supplier<String> message = () -> tag() + "no answer within " + hangTimeout().toSeconds()
                    + " s: the reader hangs on " + current.get();
            assertTimeoutPreemptively(hangTimeout(), () -> {
                warmUp.run();
                // After a timeout this thread is interrupted: stop rather than read on unobserved.
                for (int i = start; i < end && !Thread.currentThread().isInterrupted(); i++) {
                    read.check(i, current);
                }
            }, message);
        }
    }

    // ---- 6. input shapes -------------------------------------------------------------------

    /** Property 6: every way of handing the reader its bytes gives the same records. */
    @Test
    public void everyInputShapeGivesTheSameRecords() {
        qt().forAll(SampleStreams.samples()).checkAssert(sample -> {
            byte[] bytes = write(sample.records(), WriteOptions.defaults());
            ReadOptions o = SampleStreams.prepare(fmt(), bytes, readOptions(sample.schemas()));
            byte[] padded = new byte[bytes.length + 7];
            System.arraycopy(bytes, 0, padded, 3, bytes.length);
            shape("byte[]", sample, ByteSource.of(bytes), o);
            shape("direct ByteBuffer", sample, ByteSource.of(SampleStreams.direct(bytes)), o);
            shape("heap ByteBuffer at offset 3", sample, ByteSource.of(ByteBuffer.wrap(padded, 3, bytes.length)), o);
            shape("channel, 512-byte window", sample,
                    ByteSource.of(SampleStreams.channel(bytes), 512), o);
            shape("InputStream delivering 1 byte per read", sample,
                    ByteSource.of(SampleStreams.oneByteAtATime(bytes)), o);
        });
    }

    private void shape(String name, Sample sample, ByteSource in, ReadOptions options) {
        expectSame("write -> read from a " + name, sample.records(), SampleStreams.read(fmt(), in, options));
    }

    // ---- 7. unknown sections ---------------------------------------------------------------

    /**
     * Property 7: sections whose schemas no registry knows, read with no schema supplied (a
     * schema-less format finds them in its description trailer, which the sample asks for), come
     * back as equal generic states, and again after being written a second time.
     */
    @Test
    public void unknownSectionsSurvive() {
        qt().forAll(SampleStreams.samples()).checkAssert(s -> {
            Sample sample = s.withDescription();
            byte[] bytes = write(sample.records(), WriteOptions.defaults());
            List<StreamRecord> once = read(bytes, readOptions(List.of()));
            expectSame("write -> read with no schema supplied", sample.records(), once);
            List<StreamRecord> twice = read(write(once, WriteOptions.defaults()), readOptions(List.of()));
            expectSame("write -> read -> write -> read with no schema supplied", sample.records(), twice);
        });
    }

    // ---- 8. sniffing and the envelope ------------------------------------------------------

    /** Property 8: sniff says yes to the format's own streams, no to random bytes, and never throws. */
    @Test
    public void sniffRecognisesItsOwnStreamsOnly() {
        String name = fmt().name();
        if (name == null || !name.matches("[a-z0-9][a-z0-9.-]*")) {
            throw new AssertionError("format name \"" + name + "\" is not lower-case letters, digits, '-' and '.'");
        }
        long seed = seed();
        Random random = new Random(seed ^ 0x5A1FFL);
        for (int k = 0; k < streams(); k++) {
            byte[] bytes = write(SampleStreams.sample(Schemas.draw(random)).records(), WriteOptions.defaults());
            int n = Math.min(64, bytes.length);
            byte[] head = new byte[64];
            // Bytes past 'length' are junk: sniff must look only at the first 'length' bytes.
            Arrays.fill(head, (byte) 0xA5);
            System.arraycopy(bytes, 0, head, 0, n);
            if (!sniff(head, n, "its own stream")) {
                throw new AssertionError(tag() + "sniff does not recognise its own stream, starting " + hex(head, 0));
            }
            for (int len = 0; len < n; len++) {
                sniff(head, len, "the first " + len + " bytes of its own stream");
            }
        }
        for (int i = 0; i < RANDOM_HEADS; i++) {
            byte[] head = new byte[64];
            random.nextBytes(head);
            int len = i % 2 == 0 ? 64 : random.nextInt(65);
            if (sniff(head, len, "random bytes")) {
                throw new AssertionError(tag() + "sniff claims random bytes (" + len + " of them) starting " + hex(head, 0)
                        + ", " + replay(seed));
            }
        }
    }

    private boolean sniff(byte[] head, int length, String what) {
        try {
            return fmt().sniff(head, length);
        } catch (RuntimeException | Error e) {
            throw new AssertionError(tag() + "sniff threw " + e + " on " + what + "; it must answer false instead", e);
        }
    }

    /**
     * Property 8 for {@code envelope} formats: a binary stream starts with {@link Envelope#MAGIC}
     * and an envelope naming the format (listing {@code crc32c} when asked for it); a JSON text
     * stream (first byte '{') carries it as a member instead and is not checked here. Sniff refuses
     * QEMU's own header.
     */
    @Test
    public void envelopeStartsTheStream() {
        assumeTrue(fmt().capabilities().envelope(), "the format has no envelope");
        Random random = new Random(seed() ^ 0xE4E1L);
        Sample sample = SampleStreams.sample(Schemas.draw(random));
        for (boolean crc : new boolean[] {false, true}) {
            byte[] bytes = write(sample.records(), WriteOptions.defaults().withCrc32c(crc));
            if (bytes.length > 0 && bytes[0] == '{') {
                break;
            }
            if (!Envelope.startsWithMagic(bytes, bytes.length)) {
                throw new AssertionError(tag() + "stream does not start with the envelope magic \"VMST\": " + hex(bytes, 0));
            }
            Envelope e = Envelope.read(ByteSource.of(bytes));
            if (!e.formatId().equals(fmt().name())) {
                throw new AssertionError(tag() + "the envelope names format \"" + e.formatId() + "\", not \""
                        + fmt().name() + "\": Formats.detect could not name the plugin a reader needs");
            }
            if (crc != e.has(Envelope.FEATURE_CRC32C)) {
                throw new AssertionError(tag() + "written with crc32c " + (crc ? "on" : "off") + ", the envelope lists "
                        + e.features());
            }
        }
        byte[] qemu = Arrays.copyOf(QEMU_HEADER, 64);
        for (int len : new int[] {QEMU_HEADER.length, 64}) {
            if (sniff(qemu, len, "a QEMU savevm header")) {
                throw new AssertionError(tag() + "sniff claims a QEMU savevm stream (\"QEVM\" version 3)");
            }
        }
    }

    // ---- 9. writer contract ----------------------------------------------------------------

    /** The writer rejects a section before the header and after the end of state with a StreamWriteException. */
    @Test
    public void writerRejectsRecordsOutOfOrder() {
        Sample sample = SampleStreams.sample(Schemas.draw(new Random(seed())));
        StreamRecord header = sample.records().get(0);
        StreamRecord section = sample.records().get(1);
        expectWriteException("a device section before the header", List.of(section));
        expectWriteException("a device section after the end of state", List.of(header, new EndOfState(), section));
    }

    private void expectWriteException(String what, List<StreamRecord> records) {
        try {
            write(records, WriteOptions.defaults());
        } catch (StreamWriteException expected) {
            return;
        } catch (RuntimeException e) {
            throw new AssertionError(tag() + "writing " + what + " threw " + e + ", expected a StreamWriteException", e);
        }
        throw new AssertionError(tag() + "writing " + what + " succeeded, expected a StreamWriteException");
    }
}
