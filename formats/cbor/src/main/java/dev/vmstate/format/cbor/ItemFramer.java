package dev.vmstate.format.cbor;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.internal.Utf8;
import dev.vmstate.limits.ReadLimits;
import java.util.Arrays;

/**
 * Cuts the next top-level data item of the CBOR sequence (RFC 8742) out of a {@link ByteSource}
 * into a reusable buffer, checking it on the way, before jackson sees a byte of it (#4):
 *
 * <ul>
 *   <li>every declared length against {@link ReadLimits} <em>before</em> anything is read or
 *       allocated for it: byte strings against {@code maxBytesLength}, text strings against
 *       {@code maxStringLength}, arrays and maps against {@code maxListLength}, the item against
 *       {@code maxSectionSize}, the stream against {@code maxStreamSize};</li>
 *   <li>the nesting of arrays and maps against {@code 4 × maxDepth + 8};</li>
 *   <li>the format's subset of CBOR: definite lengths, preferred serialization of every argument,
 *       no tags, no simple values but false, true and null, floats only as float64 (0xFB), text
 *       keys, well-formed UTF-8.</li>
 * </ul>
 *
 * <p>The buffer grows as bytes arrive (never from a declared length), so a 5-byte head claiming
 * 4 GiB costs nothing but the check. The walk is iterative, so no input can overflow the stack.
 * Every failure carries the offset of the first byte of the offending item.
 *
 * <p>It reads its input in bulk, up to {@value #READ_AHEAD} bytes past what the current item
 * needs, and walks the item inside its own array: a call to the source per token cost more than
 * the rest of a load. The bytes read ahead stay in the buffer for the next item, so
 * {@link #position()}, not the source's, is where the stream stands. A read never waits for more
 * bytes than the current item needs.
 *
 * <p>Not thread-safe.
 */
final class ItemFramer {
    /** Bytes copied per read: the buffer never grows by more than what has arrived plus this. */
    private static final int CHUNK = 64 * 1024;
    /** Bytes read beyond the current need; small, because they are moved to the front for the next item. */
    private static final int READ_AHEAD = 512;
    private static final int MAX_ITEM = Integer.MAX_VALUE - 16;
    /** Major types 2..5 by name, for messages. */
    private static final String[] KINDS = {null, null, "byte string", "text string", "array", "map"};

    private final ByteSource src;
    private final ReadLimits limits;
    private final int maxNesting;
    private final long maxSectionSize;
    private final long maxStreamSize;
    /**
     * One buffer per thread kept between streams: a reader that reaches the end of its stream
     * hands its buffer back, and the next reader opened on the thread starts with it, instead of
     * allocating and zeroing a fresh one per stream. Buffers above {@value #KEEP_AT_MOST} bytes are
     * not kept.
     */
    private static final ThreadLocal<byte[]> SPARE = new ThreadLocal<>();
    private static final int KEEP_AT_MOST = 256 * 1024;

    private byte[] buf;
    /** Bytes of the current item so far: the walk's cursor. */
    private int length;
    /** Bytes in {@link #buf}: the item's, then what was read ahead. */
    private int filled;
    private long start = -1;

    // One entry per open array or map, innermost last: items still to come, where it starts, what it is.
    private long[] left = new long[8];
    private long[] openedAt = new long[8];
    private long[] declared = new long[8];
    private boolean[] isMap = new boolean[8];
    private int top;

    ItemFramer(ByteSource src, ReadLimits limits) {
        this.src = src;
        this.limits = limits;
        this.maxNesting = (int) Math.min(Integer.MAX_VALUE, 4L * limits.maxDepth() + 8);
        this.maxSectionSize = limits.maxSectionSize();
        this.maxStreamSize = limits.maxStreamSize();
        byte[] spare = SPARE.get();
        // a second reader open on this thread gets its own array; set(null) is cheaper than remove()
        SPARE.set(null);
        this.buf = spare != null ? spare : new byte[8 * 1024];
    }

    /**
     * Hands the buffer to the next reader of this thread. Only once the input is exhausted
     * ({@link #next()} returned false): nothing is read ahead then, and the framer is not used again.
     */
    void release() {
        if (buf.length <= KEEP_AT_MOST) {
            SPARE.set(buf);
        }
        buf = new byte[0];
        filled = 0;
        length = 0;
    }

    /** The bytes of the last item read, from index 0 to {@link #length()}; valid until the next {@link #next()}. */
    byte[] buffer() {
        return buf;
    }

    int length() {
        return length;
    }

    /** Absolute offset of the last item's first byte. */
    long start() {
        return start;
    }

    /** Absolute offset of the first byte after the last item: where the stream stands. */
    long position() {
        return src.position() - (filled - length);
    }

    /** Moves what was read ahead to the front of the buffer: the next item starts there. */
    private void dropItem() {
        int ahead = filled - length;
        if (ahead > 0 && length > 0) {
            System.arraycopy(buf, length, buf, 0, ahead);
        }
        filled = ahead;
        length = 0;
    }

    /** Whether no byte is left, read ahead or in the source. */
    private boolean atEnd() {
        return filled == length && src.atEnd();
    }

    /**
     * Makes {@code n} more bytes of the item available in the buffer; false when the input ends
     * first. Reads what the source has, up to {@value #READ_AHEAD} bytes past the need.
     */
    private boolean have(int n) {
        if (filled - length >= n) {
            return true;
        }
        ensure(n);
        while (filled - length < n) {
            int room = buf.length - filled;
            int want = Math.min(room, (length + n - filled) + READ_AHEAD);
            int got = src.readAvailable(buf, filled, want);
            if (got < 0) {
                return false;
            }
            filled += got;
        }
        return true;
    }

    /**
     * Reads the next item; returns false, reading nothing, when the input ends before its first
     * byte (the regular end of a CBOR sequence).
     */
    boolean next() {
        dropItem();
        if (atEnd()) {
            return false;
        }
        start = position();
        top = 0;
        boolean rootRead = false;
        while (true) {
            if (top > 0) {
                int t = top - 1;
                if (!isMap[t] && left[t] > 0) {
                    scalars(t);
                }
                if (left[t] == 0) {
                    top--;
                    continue;
                }
                boolean key = isMap[t] && (left[t] & 1) == 0;
                left[t]--;
                item(key);
            } else if (!rootRead) {
                rootRead = true;
                item(false);
            } else {
                break;
            }
        }
        try {
            limits.checkSectionSize(length);
            limits.checkStreamSize(start + length);
        } catch (VmstateException e) {
            throw e.atOffset(start);
        }
        return true;
    }

    /**
     * Steps over the run of scalars that comes next in array {@code t}, as far as the buffer
     * holds it: the bulk of a device state (small integers, booleans, floats), with one test per
     * item instead of the general walk. Stops, leaving the rest to {@link #item}, at anything else:
     * a string, a container, null-free oddities, any head that is not in preferred form (so that
     * {@link #item} reports it), or the end of what has arrived.
     */
    private void scalars(int t) {
        byte[] b = buf;
        int p = length;
        int end = filled;
        long n = left[t];
        while (n > 0 && p < end) {
            int ib = b[p] & 0xFF;
            int major = ib >>> 5;
            int size;
            if (major <= 1) {
                int ai = ib & 0x1F;
                if (ai < 24) {
                    size = 1;
                } else if (ai == 24) {
                    if (p + 1 >= end || (b[p + 1] & 0xFF) < 24) {
                        break;
                    }
                    size = 2;
                } else if (ai == 25) {
                    if (p + 2 >= end || b[p + 1] == 0) {
                        break;
                    }
                    size = 3;
                } else if (ai == 26) {
                    if (p + 4 >= end || (b[p + 1] == 0 && b[p + 2] == 0)) {
                        break;
                    }
                    size = 5;
                } else if (ai == 27) {
                    if (p + 8 >= end || (b[p + 1] == 0 && b[p + 2] == 0 && b[p + 3] == 0 && b[p + 4] == 0)) {
                        break;
                    }
                    size = 9;
                } else {
                    break;
                }
            } else if (ib == CborConstants.FALSE || ib == CborConstants.TRUE || ib == CborConstants.NULL) {
                size = 1;
            } else if (ib == CborConstants.FLOAT64) {
                if (p + 8 >= end) {
                    break;
                }
                size = 9;
            } else {
                break;
            }
            p += size;
            n--;
        }
        length = p;
        left[t] = n;
    }

    /** One data item: its head, and its payload or the opening of its container. */
    private void item(boolean key) {
        long at = start + length;
        int ib = initialByte(at);
        int major = ib >>> 5;
        int ai = ib & 0x1F;
        if (key && major != 3) {
            throw CborErrors.keyNotText(describe(ib)).atOffset(at);
        }
        if (major == 7) {
            simple(ib, at);
            return;
        }
        if (major == 6) {
            throw CborErrors.tag(ib).atOffset(at);
        }
        if (ai == 31) {
            throw (major >= 2 ? CborErrors.indefinite(KINDS[major], ib) : CborErrors.notWellFormed(ib)).atOffset(at);
        }
        if (ai >= 28) {
            throw CborErrors.notWellFormed(ib).atOffset(at);
        }
        long arg = argument(ib, at);
        try {
            switch (major) {
                case 2 -> {
                    limits.checkBytesLength(arg);
                    payload(arg, at, major);
                }
                case 3 -> {
                    limits.checkStringLength(arg);
                    int from = length;
                    payload(arg, at, major);
                    int bad = Utf8.firstInvalid(buf, from, (int) arg);
                    if (bad >= 0) {
                        throw CborErrors.badUtf8(buf[from + bad] & 0xFF, bad);
                    }
                }
                case 4 -> {
                    limits.checkListLength(arg);
                    open(arg, arg, at, false);
                }
                case 5 -> {
                    limits.checkListLength(arg);
                    open(2 * arg, arg, at, true);
                }
                default -> {
                    // major 0 and 1: the argument is the value
                }
            }
        } catch (VmstateException e) {
            throw e.atOffset(at);
        }
    }

    private int initialByte(long at) {
        if (!have(1)) {
            throw top > 0 ? CborErrors.truncated(container(top - 1)).atOffset(openedAt[top - 1])
                    : CborErrors.truncated("an item").atOffset(at);
        }
        return buf[length++] & 0xFF;
    }

    /** The argument of a head whose additional information is 0..27, checked for preferred serialization. */
    private long argument(int ib, long at) {
        int ai = ib & 0x1F;
        if (ai < 24) {
            return ai;
        }
        int n = 1 << (ai - 24);
        if (!have(n)) {
            throw CborErrors.truncated("the head of an item").atOffset(at);
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | (buf[length++] & 0xFF);
        }
        // RFC 8949 §4.1: the shortest head that holds the argument; major 7's float64 is not an argument.
        if ((ib >>> 5) != 7) {
            int preferred = Long.compareUnsigned(v, 24) < 0 ? 0 : Long.compareUnsigned(v, 0x100) < 0 ? 1
                    : Long.compareUnsigned(v, 0x1_0000) < 0 ? 2 : Long.compareUnsigned(v, 0x1_0000_0000L) < 0 ? 4 : 8;
            if (preferred != n) {
                throw CborErrors.notPreferred(ib, Long.toUnsignedString(v), n, preferred).atOffset(at);
            }
        }
        return v;
    }

    private void simple(int ib, long at) {
        switch (ib) {
            case CborConstants.FALSE, CborConstants.TRUE, CborConstants.NULL -> {
                // the three simple values the format uses
            }
            case CborConstants.FLOAT64 -> argument(ib, at);
            case 0xF7 -> throw CborErrors.simpleValue("undefined", ib).atOffset(at);
            case 0xF9 -> throw CborErrors.simpleValue("a half-precision float", ib).atOffset(at);
            case 0xFA -> throw CborErrors.simpleValue("a single-precision float", ib).atOffset(at);
            case 0xFF -> throw CborErrors.simpleValue("a break outside an indefinite-length item", ib).atOffset(at);
            default -> {
                if (ib >= 0xFC) {
                    throw CborErrors.notWellFormed(ib).atOffset(at);
                }
                throw CborErrors.simpleValue("a simple value", ib).atOffset(at);
            }
        }
    }

    private void open(long items, long count, long at, boolean map) {
        if (top + 1 > maxNesting) {
            throw CborErrors.tooDeep(maxNesting);
        }
        if (top == left.length) {
            int n = left.length * 2;
            left = Arrays.copyOf(left, n);
            openedAt = Arrays.copyOf(openedAt, n);
            declared = Arrays.copyOf(declared, n);
            isMap = Arrays.copyOf(isMap, n);
        }
        left[top] = items;
        openedAt[top] = at;
        declared[top] = count;
        isMap[top] = map;
        top++;
    }

    /** Copies {@code n} payload bytes, checked against the item and stream limits before any is read. */
    private void payload(long n, long at, int major) {
        long itemSize = length + n;
        if (n <= filled - length && itemSize <= maxSectionSize && start + itemSize <= maxStreamSize) {
            // already read ahead, and within every limit: the common case of a key or a short string
            length += (int) n;
            return;
        }
        try {
            // The record is what is too large: report its first byte, not the string's.
            limits.checkSectionSize(itemSize);
            if (itemSize > MAX_ITEM) {
                throw CborErrors.itemTooLarge(itemSize);
            }
            limits.checkStreamSize(start + length + n);
        } catch (VmstateException e) {
            throw e.atOffset(start);
        }
        long remaining = n;
        while (remaining > 0) {
            // in chunks, so the buffer grows with what arrives, never with what a length claims
            int chunk = (int) Math.min(remaining, CHUNK);
            if (!have(chunk)) {
                throw CborErrors.truncated("a " + KINDS[major] + " of " + n + " bytes").atOffset(at);
            }
            length += chunk;
            remaining -= chunk;
        }
    }

    /**
     * Room for {@code n} more bytes of the item (and some to read ahead): doubles, so the buffer
     * stays within twice what has arrived plus a chunk.
     */
    private void ensure(int n) {
        if (buf.length - length >= n + READ_AHEAD) {
            return;
        }
        long want = Math.max((long) buf.length * 2, (long) length + n + READ_AHEAD);
        if ((long) length + n > MAX_ITEM) {
            throw CborErrors.itemTooLarge((long) length + n).atOffset(start);
        }
        try {
            limits.checkSectionSize((long) length + n);
        } catch (VmstateException e) {
            throw e.atOffset(start);
        }
        buf = Arrays.copyOf(buf, (int) Math.min(want, MAX_ITEM));
    }

    private String container(int t) {
        return isMap[t] ? "a map of " + declared[t] + " pairs" : "an array of " + declared[t] + " items";
    }

    /** What an initial byte starts, for messages: "an unsigned integer", "a map", ... */
    static String describe(int ib) {
        return switch (ib >>> 5) {
            case 0 -> "an unsigned integer";
            case 1 -> "a negative integer";
            case 2 -> "a byte string";
            case 3 -> "a text string";
            case 4 -> "an array";
            case 5 -> "a map";
            case 6 -> "a tag";
            default -> switch (ib) {
                case CborConstants.FALSE -> "false";
                case CborConstants.TRUE -> "true";
                case CborConstants.NULL -> "null";
                case CborConstants.FLOAT64 -> "a float64";
                default -> String.format("the simple value or float 0x%02X", ib);
            };
        };
    }
}
