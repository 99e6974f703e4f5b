package dev.vmstate.format.protobuf;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;
import java.util.Arrays;

/**
 * Cuts the next length-delimited record (varint N, then N bytes, as protobuf-java's
 * {@code parseDelimitedFrom} reads them) out of a {@link ByteSource} into a reusable buffer
 * (#5). N is checked against {@code ReadLimits.maxSectionSize()} and the stream against
 * {@code maxStreamSize()} before a byte of the record is read or allocated; the buffer grows as
 * bytes arrive, never from a declared length, so a varint claiming 4 GiB costs nothing but the
 * check. Only the current record is in memory.
 *
 * <p>Not thread-safe.
 */
final class RecordFramer {
    /** Bytes copied per read: the buffer never grows by more than what has arrived plus this. */
    private static final int CHUNK = 64 * 1024;
    static final int MAX_RECORD = Integer.MAX_VALUE - 16;

    /**
     * The buffer of the thread's last finished reader: a process reading stream after stream
     * reuses one array instead of allocating one per stream. Only buffers up to
     * {@value #KEEP_AT_MOST} bytes are kept.
     */
    private static final ThreadLocal<byte[]> SPARE = new ThreadLocal<>();
    private static final int KEEP_AT_MOST = 256 * 1024;

    private final ByteSource src;
    private final ReadLimits limits;
    private byte[] buf;
    private int length;
    private long start = -1;
    private long body = -1;

    RecordFramer(ByteSource src, ReadLimits limits) {
        this.src = src;
        this.limits = limits;
        byte[] spare = SPARE.get();
        // a second reader open on this thread gets its own array; set(null) is cheaper than remove()
        SPARE.set(null);
        this.buf = spare != null ? spare : new byte[8 * 1024];
    }

    /** Hands the buffer to the thread's next reader; this framer reads nothing more. */
    void release() {
        if (buf != null && buf.length <= KEEP_AT_MOST) {
            SPARE.set(buf);
        }
        buf = new byte[0];
        length = 0;
    }

    /** The bytes of the last record's message, from index 0 to {@link #length()}; valid until the next {@link #next()}. */
    byte[] buffer() {
        return buf;
    }

    int length() {
        return length;
    }

    /** Absolute offset of the last record's first byte: its length prefix. */
    long start() {
        return start;
    }

    /** Absolute offset of the last record's message, {@code buffer()[0]}. */
    long body() {
        return body;
    }

    /**
     * Reads the next record; returns false, reading nothing, when the input ends before its first
     * byte (the regular end of the stream).
     */
    boolean next() {
        if (src.atEnd()) {
            return false;
        }
        start = src.position();
        body = -1;
        length = 0;
        long n = lengthPrefix();
        body = src.position();
        try {
            // The record is what is too large: report its first byte.
            limits.checkSectionSize(n);
            if (n > MAX_RECORD) {
                throw ProtobufErrors.recordTooLarge(n);
            }
            limits.checkStreamSize(body + n);
        } catch (VmstateException e) {
            throw e.atOffset(start);
        }
        int size = (int) n;
        int have = 0;
        while (have < size) {
            int chunk = Math.min(size - have, CHUNK);
            if (buf.length < have + chunk) {
                buf = Arrays.copyOf(buf, (int) Math.min(MAX_RECORD, Math.max((long) buf.length * 2, have + chunk)));
            }
            try {
                src.readFully(buf, have, chunk);
            } catch (MalformedStreamException e) {
                throw ProtobufErrors.truncated("a record of " + size + " bytes").atOffset(start);
            }
            have += chunk;
        }
        length = size;
        return true;
    }

    /** The varint before a record, as unsigned; a protobuf varint has at most 10 bytes. */
    private long lengthPrefix() {
        long v = 0;
        for (int i = 0; i < 10; i++) {
            if (src.atEnd()) {
                throw ProtobufErrors.truncated("the length of a record").atOffset(start);
            }
            int b = src.readU8();
            v |= (long) (b & 0x7F) << (7 * i);
            if (b < 0x80) {
                return v;
            }
        }
        throw ProtobufErrors.malformedVarint("the length of a record").atOffset(start);
    }
}
