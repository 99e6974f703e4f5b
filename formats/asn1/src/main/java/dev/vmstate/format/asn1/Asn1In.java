package dev.vmstate.format.asn1;

import dev.vmstate.error.VmstateException;
import dev.vmstate.internal.Utf8;
import dev.vmstate.limits.ReadLimits;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over one framed record (#5): reads BER or DER values from a byte array, checking every
 * length against the container it sits in, so no input can make it index outside the record, and
 * applying the mode's rules as it goes (DER: definite lengths in the fewest octets, BOOLEAN 0x00 or
 * 0xFF, primitive strings; both: minimal INTEGERs, the tags of {@code vmstate.asn}). Every
 * failure carries the absolute offset of the first octet of the offending value.
 *
 * <p>A constructed value is entered with an <em>end token</em>: its content end when its length is
 * definite, or the bitwise complement of its container's limit when it is indefinite (BER), in
 * which case its content runs to the end-of-contents octets. {@link #more(int)} and
 * {@link #leave(int, String)} take the token, so callers never care which form they met.
 *
 * <p>Not thread-safe.
 */
final class Asn1In {
    /** The last 8 content octets of a 64-bit value in one read. */
    private static final VarHandle BE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    final boolean der;
    final ReadLimits limits;
    /** Nesting of constructed values a skip or a constructed string may go through. */
    final int maxNesting;
    byte[] b;
    int pos;
    /** Absolute offset of {@code b[0]}. */
    long base;

    /** The last header read: identifier, length (-1: indefinite), and where the value started. */
    int id;
    int len;
    int at;

    /** A string's bytes after {@link #string}: in {@link #b}, or for a constructed one in the scratch array. */
    byte[] sb;
    int soff;
    private byte[] scratch = new byte[256];

    Asn1In(boolean der, ReadLimits limits) {
        this.der = der;
        this.limits = limits;
        this.maxNesting = (int) Math.min(Integer.MAX_VALUE, 4L * limits.maxDepth() + 8);
    }

    void reset(byte[] bytes, int from, long baseOffset) {
        this.b = bytes;
        this.pos = from;
        this.base = baseOffset;
    }

    VmstateException at(VmstateException e, int p) {
        return e.atOffset(base + p);
    }

    static int limit(int end) {
        return end >= 0 ? end : ~end;
    }

    // ---------------------------------------------------------------- headers

    /** Reads the header at {@link #pos} of a value that must end by {@code limit}; leaves {@link #pos} at its content. */
    void header(int limit, String what) {
        int p = pos;
        at = p;
        if (p + 2 > limit) {
            throw at(p >= limit ? Asn1Errors.unexpected("the end of its container", what)
                    : Asn1Errors.truncated(what), p);
        }
        int i = b[p] & 0xFF;
        id = i;
        if ((i & 0x1F) == 0x1F) {
            throw at(Asn1Errors.highTagNumber(i), p);
        }
        int l = b[p + 1] & 0xFF;
        p += 2;
        if (l < 0x80) {
            if (l > limit - p) {
                throw at(Asn1Errors.lengthOverrun(i, l, limit - p), at);
            }
            len = l;
            pos = p;
            return;
        }
        if (l == 0x80) {
            if (der) {
                throw at(Asn1Errors.indefiniteInDer(i), at);
            }
            if ((i & Asn1Constants.CONSTRUCTED) == 0) {
                throw at(Asn1Errors.indefinitePrimitive(i), at);
            }
            len = -1;
            pos = p;
            return;
        }
        if (l == 0xFF) {
            throw at(Asn1Errors.reservedLength(i), at);
        }
        int n = l & 0x7F;
        if (n > 8) {
            throw at(Asn1Errors.lengthTooLong(i, n), at);
        }
        if (n > limit - p) {
            throw at(Asn1Errors.truncated(what), at);
        }
        long v = 0;
        for (int k = 0; k < n; k++) {
            v = v << 8 | (b[p + k] & 0xFF);
        }
        if (der && (b[p] == 0 || v < 0x80)) {
            throw at(Asn1Errors.nonMinimalLength(i, v, n), at);
        }
        p += n;
        if (v < 0 || v > limit - p) {
            throw at(Asn1Errors.lengthOverrun(i, v < 0 ? Long.MAX_VALUE : v, limit - p), at);
        }
        len = (int) v;
        pos = p;
    }

    /** The end token of the constructed value whose header was read last, inside a container of {@code limit}. */
    int enter(int limit) {
        return len >= 0 ? pos + len : ~limit;
    }

    /** Whether the constructed value of {@code end} has another element at {@link #pos}. */
    boolean more(int end) {
        if (end >= 0) {
            return pos < end;
        }
        int limit = ~end;
        if (pos + 1 < limit && b[pos] == 0 && b[pos + 1] == 0) {
            return false;
        }
        if (pos >= limit) {
            throw at(Asn1Errors.missingEndOfContents("a constructed value"), pos);
        }
        return true;
    }

    /** Ends the constructed value of {@code end}: nothing may be left of it. */
    void leave(int end, String what) {
        if (end >= 0) {
            if (pos != end) {
                throw at(Asn1Errors.unexpected(Asn1Errors.describe(b[pos] & 0xFF), "the end of " + what), pos);
            }
            return;
        }
        int limit = ~end;
        if (pos + 2 > limit) {
            throw at(Asn1Errors.missingEndOfContents(what), pos);
        }
        if (b[pos] != 0) {
            throw at(Asn1Errors.unexpected(Asn1Errors.describe(b[pos] & 0xFF),
                    "the end of " + what + " (end-of-contents octets)"), pos);
        }
        if (b[pos + 1] != 0) {
            throw at(Asn1Errors.badEndOfContents(b[pos + 1] & 0xFF), pos);
        }
        pos += 2;
    }

    /** The identifier at {@link #pos}, which {@link #more} said is there. */
    int peek() {
        return b[pos] & 0xFF;
    }

    /** Reads the header of a value that must have identifier {@code tag}. */
    void expect(int end, int tag, String what) {
        header(limit(end), what);
        if (id != tag) {
            throw at(Asn1Errors.unexpected(Asn1Errors.describe(id), what), at);
        }
    }

    /** Enters the constructed value with identifier {@code tag} at {@link #pos}; returns its end token. */
    int open(int end, int tag, String what) {
        int limit = limit(end);
        header(limit, what);
        if (id != tag) {
            throw at(Asn1Errors.unexpected(Asn1Errors.describe(id), what), at);
        }
        return enter(limit);
    }

    /** Skips the value at {@link #pos}, whatever it is. */
    void skip(int end, int depth) {
        int limit = limit(end);
        int p = pos;
        if (p + 2 <= limit) {
            int l = b[p + 1];
            // the common case, a short definite length: no header to parse
            if (l >= 0 && (b[p] & 0x1F) != 0x1F && b[p] != 0 && p + 2 + l <= limit) {
                pos = p + 2 + l;
                return;
            }
        }
        header(limit, "a value");
        if (len >= 0) {
            pos += len;
            return;
        }
        if (depth >= maxNesting) {
            throw at(Asn1Errors.tooDeep(maxNesting), at);
        }
        int inner = enter(limit);
        while (more(inner)) {
            skip(inner, depth + 1);
        }
        leave(inner, "a constructed value");
    }

    /** Counts the elements of the constructed value of {@code end} from {@link #pos}, reading nothing. */
    int count(int end) {
        int save = pos;
        int n = 0;
        while (more(end)) {
            skip(end, 0);
            n++;
        }
        pos = save;
        return n;
    }

    // ---------------------------------------------------------------- primitive values

    boolean bool(int end, String what) {
        expect(end, Asn1Constants.BOOLEAN, what);
        if (len != 1) {
            throw at(Asn1Errors.booleanLength(len), at);
        }
        int v = b[pos++] & 0xFF;
        if (der && v != 0 && v != 0xFF) {
            throw at(Asn1Errors.derBoolean(v), at);
        }
        return v != 0;
    }

    void nul(int end, int tag, String what) {
        expect(end, tag, what);
        if (len != 0) {
            throw at(Asn1Errors.nullLength(len), at);
        }
    }

    /** Whether the next element of {@code end} is a NULL (0x05 0x00), which it then consumes. */
    boolean nullNext(int end) {
        if (!more(end) || peek() != Asn1Constants.NULL) {
            return false;
        }
        nul(end, Asn1Constants.NULL, "NULL");
        return true;
    }

    /** Set by {@link #intContent}: the value is a 9-octet positive one, at or above 2^63, in the long's bits. */
    private boolean high;
    /** Set by {@link #intContent}: the value fits no long and is not such a 9-octet one. */
    private boolean huge;

    /** The content of the INTEGER-like value whose header was read last, minimal, as a long ({@link #high}, {@link #huge}). */
    long intContent(String type) {
        int n = len;
        int p = pos;
        if (n == 0) {
            throw at(Asn1Errors.emptyInteger(type), at);
        }
        if (n > 1) {
            int first = b[p];
            int second = b[p + 1];
            if ((first == 0 && second >= 0) || (first == -1 && second < 0)) {
                throw at(Asn1Errors.nonMinimalInteger(type, first & 0xFF, second & 0xFF), at);
            }
        }
        high = false;
        huge = false;
        pos = p + n;
        if (n <= 8) {
            long v = b[p];
            for (int k = 1; k < n; k++) {
                v = v << 8 | (b[p + k] & 0xFF);
            }
            return v;
        }
        if (n == 9 && b[p] == 0) {
            high = true;
            long v = 0;
            for (int k = 1; k < 9; k++) {
                v = v << 8 | (b[p + k] & 0xFF);
            }
            return v;
        }
        huge = true;
        return 0;
    }

    /** The INTEGER content read last as text, exact at any size: for messages. */
    private String intText() {
        if (len > 32) {
            return "(an INTEGER of " + len + " octets)";
        }
        return new BigInteger(Arrays.copyOfRange(b, pos - len, pos)).toString();
    }

    /** An INTEGER (or an implicit tag {@code tag} of one) in {@code min..max}, signed. */
    long integer(int end, int tag, String what, long min, long max) {
        // #5: the common case inline, a short definite length and a minimal value in range; anything
        // else, valid or not, takes the general path, which also words the errors
        int p = pos;
        int n;
        if (p + 3 <= (end >= 0 ? end : ~end) && (b[p] & 0xFF) == tag && (n = b[p + 1]) > 0 && n <= 8
                && p + 2 + n <= (end >= 0 ? end : ~end)) {
            long v = b[p + 2];
            if (n == 1) {
                if (v >= min && v <= max) {
                    pos = p + 3;
                    return v;
                }
            } else if (!((v == 0 && b[p + 3] >= 0) || (v == -1 && b[p + 3] < 0))) {
                for (int k = 3; k < 2 + n; k++) {
                    v = v << 8 | (b[p + k] & 0xFF);
                }
                if (v >= min && v <= max) {
                    pos = p + 2 + n;
                    return v;
                }
            }
        }
        return integerSlow(end, tag, what, min, max);
    }

    private long integerSlow(int end, int tag, String what, long min, long max) {
        expect(end, tag, what);
        long v = intContent("INTEGER");
        if (high || huge || v < min || v > max) {
            throw at(Asn1Errors.outOfRange(intText(), what, Long.toString(min), Long.toString(max)), at);
        }
        return v;
    }

    /** An INTEGER in 0..2^64-1, as the bits of a long. */
    long unsigned64(int end, String what) {
        int p = pos;
        int n;
        int limit = end >= 0 ? end : ~end;
        if (p + 3 <= limit && b[p] == Asn1Constants.INTEGER && (n = b[p + 1]) > 0 && n <= 9 && p + 2 + n <= limit) {
            long first = b[p + 2];
            if (n == 1) {
                if (first >= 0) {
                    pos = p + 3;
                    return first;
                }
            } else if (first == 0 ? b[p + 3] < 0 : first > 0 && n < 9) {
                // minimal and positive: a leading 0x00 only before a set top bit, 9 octets only with it
                long v;
                if (n >= 8) {
                    v = (long) BE64.get(b, p + n - 6);
                } else {
                    v = first;
                    for (int k = 3; k < 2 + n; k++) {
                        v = v << 8 | (b[p + k] & 0xFF);
                    }
                }
                pos = p + 2 + n;
                return v;
            }
        }
        return unsigned64Slow(end, what);
    }

    private long unsigned64Slow(int end, String what) {
        expect(end, Asn1Constants.INTEGER, what);
        long v = intContent("INTEGER");
        if (huge || (!high && v < 0)) {
            throw at(Asn1Errors.outOfRange(intText(), what, "0", "18446744073709551615"), at);
        }
        return v;
    }

    int int32(int end, String what) {
        return (int) integer(end, Asn1Constants.INTEGER, what, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    long int64(int end, String what) {
        return integer(end, Asn1Constants.INTEGER, what, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * A string-typed value whose primitive identifier is {@code tag}: returns its length, its bytes
     * at {@link #sb}[{@link #soff}...]. BER also takes the constructed form, whose OCTET STRING
     * segments are joined in a scratch array.
     */
    int string(int end, int tag, String what) {
        int limit = limit(end);
        header(limit, what);
        if (id == tag) {
            sb = b;
            soff = pos;
            pos += len;
            return len;
        }
        if (id != (tag | Asn1Constants.CONSTRUCTED)) {
            throw at(Asn1Errors.unexpected(Asn1Errors.describe(id), what), at);
        }
        if (der) {
            throw at(Asn1Errors.constructedString(typeName(tag), id), at);
        }
        int start = at;
        int n = segments(enter(limit), 0, 0);
        at = start;
        sb = scratch;
        soff = 0;
        return n;
    }

    /** Appends the segments of a constructed string to the scratch array from {@code have}; returns the new length. */
    private int segments(int end, int have, int depth) {
        if (depth >= maxNesting) {
            throw at(Asn1Errors.tooDeep(maxNesting), at);
        }
        while (more(end)) {
            header(limit(end), "an OCTET STRING segment");
            if (id == Asn1Constants.OCTET_STRING) {
                if (have + len > scratch.length) {
                    scratch = Arrays.copyOf(scratch, Math.max(scratch.length * 2, have + len));
                }
                System.arraycopy(b, pos, scratch, have, len);
                have += len;
                pos += len;
            } else if (id == (Asn1Constants.OCTET_STRING | Asn1Constants.CONSTRUCTED)) {
                have = segments(enter(limit(end)), have, depth + 1);
            } else {
                throw at(Asn1Errors.badSegment(Asn1Errors.describe(id)), at);
            }
        }
        leave(end, "a constructed string");
        return have;
    }

    private static String typeName(int tag) {
        return switch (tag) {
            case Asn1Constants.UTF8_STRING -> "UTF8String";
            case Asn1Constants.FLOAT64 -> "Float64";
            case Asn1Constants.OCTET_STRING -> "OCTET STRING";
            default -> String.format("string [0x%02X]", tag);
        };
    }

    /** A UTF8String (or an implicit tag of one), checked against {@code maxStringLength} and UTF-8's rules. */
    String text(int end, int tag, String what) {
        int n = string(end, tag, what);
        try {
            limits.checkStringLength(n);
        } catch (VmstateException e) {
            throw at(e, at);
        }
        byte[] s = sb;
        int from = soff;
        for (int i = from, stop = from + n; i < stop; i++) {
            if (s[i] < 0) {
                int bad = Utf8.firstInvalid(s, from, n);
                if (bad >= 0) {
                    throw at(Asn1Errors.badUtf8(s[from + bad] & 0xFF, bad), at);
                }
                return new String(s, from, n, StandardCharsets.UTF_8);
            }
        }
        return new String(s, from, n, StandardCharsets.ISO_8859_1); // ASCII: no decoder
    }

    /** An OCTET STRING (or an implicit tag of one), checked against {@code maxBytesLength}; into {@code dst} when it has the length. */
    byte[] bytes(int end, int tag, String what, byte[] dst) {
        int n = string(end, tag, what);
        try {
            limits.checkBytesLength(n);
        } catch (VmstateException e) {
            throw at(e, at);
        }
        byte[] out = dst != null && dst.length == n ? dst : new byte[n];
        System.arraycopy(sb, soff, out, 0, n);
        return out;
    }

    double f64(int end, String what) {
        int n = string(end, Asn1Constants.FLOAT64, what);
        if (n != 8) {
            throw at(Asn1Errors.float64Size(n), at);
        }
        byte[] s = sb;
        int p = soff;
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = bits << 8 | (s[p + i] & 0xFF);
        }
        return Double.longBitsToDouble(bits);
    }
}
