package dev.vmstate.testkit;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.stream.StreamRecord;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One read of a possibly damaged stream, as the conformance suite judges it: the records that
 * came out or what was thrown (anything, {@link OutOfMemoryError} included), and how many bytes
 * of heap the reading thread allocated meanwhile. The heap figure is what turns "allocates from
 * a declared length" into a failure even when the allocation happens to fit under {@code -Xmx}.
 *
 * <p>Immutable; {@link #of} must run on the thread whose allocations it should count.
 */
final class ReadAttempt {
    private static final com.sun.management.ThreadMXBean THREADS = threads();

    final List<StreamRecord> records;
    final Throwable failure;
    /** Bytes allocated by the reading thread, or -1 when this JVM cannot tell. */
    final long allocated;

    private ReadAttempt(List<StreamRecord> records, Throwable failure, long allocated) {
        this.records = records;
        this.failure = failure;
        this.allocated = allocated;
    }

    private static com.sun.management.ThreadMXBean threads() {
        try {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                    && t.isThreadAllocatedMemorySupported()) {
                t.setThreadAllocatedMemoryEnabled(true);
                return t;
            }
        } catch (RuntimeException | LinkageError e) {
            // No allocation counter on this JVM: the heap check is skipped, the others still run.
        }
        return null;
    }

    private static long allocatedSoFar() {
        return THREADS == null ? -1 : THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** Reads the first {@code length} bytes of {@code stream} with {@code options}, after {@link WireFormat#prepare}. */
    static ReadAttempt of(WireFormat format, byte[] stream, int length, ReadOptions options) {
        // A reader returning records without consuming input would fill the heap; stop it early.
        int maxRecords = 16 * length + 1024;
        long before = allocatedSoFar();
        try {
            ReadOptions prepared = format.prepare(SampleStreams.channel(stream, length), options);
            List<StreamRecord> records = SampleStreams.read(format, ByteSource.of(ByteBuffer.wrap(stream, 0, length)),
                    prepared, maxRecords);
            return new ReadAttempt(records, null, delta(before));
        } catch (Throwable t) {
            // OutOfMemoryError and StackOverflowError included: judging them is the point.
            return new ReadAttempt(null, t, delta(before));
        }
    }

    private static long delta(long before) {
        return before < 0 ? -1 : allocatedSoFar() - before;
    }
}
