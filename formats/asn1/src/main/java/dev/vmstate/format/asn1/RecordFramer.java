package dev.vmstate.format.asn1;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;
import java.util.Arrays;

/**
 * Cuts the next top-level value (one record) out of a {@link ByteSource} into a reused array (#5),
 * so the record is decoded from memory by {@link Asn1In} and not octet by octet through the source.
 *
 * <p>A definite length (all of DER, and BER's definite form) is read from the header, checked
 * against {@code maxSectionSize} and {@code maxStreamSize} <em>before</em> anything else, and its
 * content then copied in bulk. The array grows as bytes arrive, by at most {@value #CHUNK} bytes
 * beyond what has arrived, never from the declared length, so a 6-byte header claiming 2 GiB costs
 * only the check. An indefinite length (BER only) is followed header by header to its
 * end-of-contents octets, copying each definite-length part in bulk; its nesting is bounded by
 * {@code 4 × maxDepth + 8}. Nothing past the record is read, so {@link ByteSource#position()} is
 * the record's end.
 *
 * <p>Not thread-safe.
 */
final class RecordFramer {
    /** Bytes copied per read: the array never grows by more than what has arrived plus this. */
    private static final int CHUNK = 64 * 1024;
    private static final int MAX_RECORD = Integer.MAX_VALUE - 16;

    private final ByteSource src;
    private final ReadLimits limits;
    private final boolean der;
    private final int maxNesting;
    private byte[] buf = new byte[8 * 1024];
    private int length;
    private long start = -1;

    RecordFramer(ByteSource src, ReadLimits limits, boolean der) {
        this.src = src;
        this.limits = limits;
        this.der = der;
        this.maxNesting = (int) Math.min(Integer.MAX_VALUE, 4L * limits.maxDepth() + 8);
    }

    /** The bytes of the last record, from index 0 to {@link #length()}; valid until the next {@link #next()}. */
    byte[] buffer() {
        return buf;
    }

    int length() {
        return length;
    }

    /** Absolute offset of the last record's first byte. */
    long start() {
        return start;
    }

    /** Reads the next record; false, reading nothing, when the input ends before its first byte. */
    boolean next() {
        if (src.atEnd()) {
            return false;
        }
        start = src.position();
        length = 0;
        int id = u8("a record", start);
        if ((id & 0x1F) == 0x1F) {
            throw Asn1Errors.highTagNumber(id).atOffset(start);
        }
        long n = length(id, start, "a record");
        if (n >= 0) {
            checkSize(plus(length, n), plus(src.position(), n));
            copy(n, start, -1);
        } else {
            indefinite();
        }
        return true;
    }

    /** {@code a + n}, saturated: a declared length may be anything up to 2^63 - 1. */
    private static long plus(long a, long n) {
        return n > Long.MAX_VALUE - a ? Long.MAX_VALUE : a + n;
    }

    private void checkSize(long recordSize, long streamSize) {
        try {
            limits.checkSectionSize(recordSize);
            limits.checkStreamSize(streamSize);
        } catch (VmstateException e) {
            throw e.atOffset(start);
        }
        if (recordSize > MAX_RECORD) {
            throw Asn1Errors.recordTooLarge(recordSize).atOffset(start);
        }
    }

    /**
     * The content of an indefinite-length record: value after value until its end-of-contents
     * octets. Inside an open indefinite-length value at least two more octets always follow (an
     * identifier and a length octet, or the end-of-contents), so each definite value's content is
     * read together with the two octets after it: one bulk read per value, and never a byte past
     * the record.
     */
    private void indefinite() {
        int depth = 1;
        long at = src.position();
        copy(2, at, -2);
        while (true) {
            int id = buf[length - 2] & 0xFF;
            int l0 = buf[length - 1] & 0xFF;
            if (id == 0) {
                if (l0 != 0) {
                    throw Asn1Errors.badEndOfContents(l0).atOffset(at);
                }
                if (--depth == 0) {
                    break;
                }
                at = src.position();
                copy(2, at, -2);
                continue;
            }
            if ((id & 0x1F) == 0x1F) {
                throw Asn1Errors.highTagNumber(id).atOffset(at);
            }
            long n = lengthFrom(id, l0, at, "a value of indefinite length");
            if (n < 0) {
                if (++depth > maxNesting) {
                    throw Asn1Errors.tooDeep(maxNesting).atOffset(at);
                }
                at = src.position();
                copy(2, at, -2);
                continue;
            }
            checkSize(plus(length, plus(n, 2)), plus(src.position(), plus(n, 2)));
            long next = src.position() + n;
            copy(n + 2, at, id);
            at = next;
        }
        checkSize(length, src.position());
    }

    /** The length after identifier {@code id}: -1 for the indefinite form. */
    private long length(int id, long at, String what) {
        return lengthFrom(id, u8(what, at), at, what);
    }

    private long lengthFrom(int id, int l0, long at, String what) {
        if (l0 < 0x80) {
            return l0;
        }
        if (l0 == 0x80) {
            if (der) {
                throw Asn1Errors.indefiniteInDer(id).atOffset(at);
            }
            if ((id & Asn1Constants.CONSTRUCTED) == 0) {
                throw Asn1Errors.indefinitePrimitive(id).atOffset(at);
            }
            return -1;
        }
        if (l0 == 0xFF) {
            throw Asn1Errors.reservedLength(id).atOffset(at);
        }
        int k = l0 & 0x7F;
        if (k > 8) {
            throw Asn1Errors.lengthTooLong(id, k).atOffset(at);
        }
        long v = 0;
        int first = -1;
        for (int i = 0; i < k; i++) {
            int o = u8(what, at);
            if (i == 0) {
                first = o;
            }
            // past 2^55 the length is beyond any limit: keep it saturated instead of letting it wrap
            v = v >= 1L << 55 ? Long.MAX_VALUE : v << 8 | o;
        }
        if (der && (first == 0 || v < 0x80)) {
            throw Asn1Errors.nonMinimalLength(id, v, k).atOffset(at);
        }
        return v;
    }

    /** One octet, appended to the record; the end of input here is a truncated {@code what} at {@code at}. */
    private int u8(String what, long at) {
        if (src.peekU8() < 0) {
            throw Asn1Errors.truncated(what).atOffset(at);
        }
        int o = src.readU8();
        if (length == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[length++] = (byte) o;
        return o;
    }

    /**
     * Appends {@code n} bytes of content, in bulk; the array grows only as they arrive. {@code id}
     * is the identifier of the value they belong to, -1 for the record itself, -2 for the octets
     * after a value: the message is built only on failure.
     */
    private void copy(long n, long at, int id) {
        while (n > 0) {
            int chunk = (int) Math.min(n, Math.max(CHUNK, buf.length - length));
            if (length + chunk > buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(MAX_RECORD, Math.max((long) buf.length * 2, length + chunk)));
            }
            try {
                src.readFully(buf, length, chunk);
            } catch (MalformedStreamException e) {
                throw Asn1Errors.truncated(id == -1 ? "a record" : id == -2 ? "a value of indefinite length"
                        : Asn1Errors.describe(id)).atOffset(at);
            }
            length += chunk;
            n -= chunk;
        }
    }
}
