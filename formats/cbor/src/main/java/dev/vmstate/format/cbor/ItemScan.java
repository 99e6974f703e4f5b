package dev.vmstate.format.cbor;

import dev.vmstate.spi.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A matcher for the fixed key layout of a framed item ({@link ItemFramer} has checked it is
 * well-formed), used by the reader's fast path for the items a stream has most of: schema and
 * device items. It never fails: any difference from the layout the writer produces makes it answer
 * false, and the reader then reads the item the general way, through jackson's parser, which
 * names the problem exactly. So the fast path changes no message, only what a valid item costs.
 *
 * <p>Not thread-safe; one per reader.
 */
final class ItemScan {

    private byte[] buf;
    private int end;
    /** The next byte to match. */
    int pos;
    /** The last integer {@link #integer} matched. */
    long value;
    /** The last string {@link #string} matched. */
    String string;

    /** Starts on the first {@code end} bytes of {@code buf}, at byte {@code pos}. */
    void reset(byte[] buf, int end, int pos) {
        this.buf = buf;
        this.end = end;
        this.pos = pos;
    }

    int initialByte() {
        return pos < end ? buf[pos] & 0xFF : -1;
    }

    /** Whether {@code encoded} comes next; moves past it if so. */
    boolean match(byte[] encoded) {
        int n = encoded.length;
        if (pos + n > end) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (buf[pos + i] != encoded[i]) {
                return false;
            }
        }
        pos += n;
        return true;
    }

    /** Whether an integer in {@code [min, max]} comes next; moves past it and sets {@link #value} if so. */
    boolean integer(long min, long max) {
        int ib = initialByte();
        int major = ib >>> 5;
        if (ib < 0 || major > 1) {
            return false;
        }
        int ai = ib & 0x1F;
        int p = pos + 1;
        long a;
        if (ai < 24) {
            a = ai;
        } else {
            int n = 1 << (ai - 24);
            a = 0;
            for (int i = 0; i < n; i++) {
                a = a << 8 | (buf[p++] & 0xFF);
            }
        }
        long v = major == 1 ? -1 - a : a;
        if (a < 0 || v < min || v > max) {
            return false;
        }
        value = v;
        pos = p;
        return true;
    }

    /** Whether a text string comes next; moves past it and sets {@link #string} if so. */
    boolean string() {
        int ib = initialByte();
        if (ib < 0 || ib >>> 5 != 3) {
            return false;
        }
        int ai = ib & 0x1F;
        int p = pos + 1;
        long n;
        if (ai < 24) {
            n = ai;
        } else {
            int k = 1 << (ai - 24);
            n = 0;
            for (int i = 0; i < k; i++) {
                n = n << 8 | (buf[p++] & 0xFF);
            }
        }
        boolean ascii = true;
        for (int i = p; i < p + n && ascii; i++) {
            ascii = buf[i] >= 0;
        }
        // the framer has checked the UTF-8
        string = new String(buf, p, (int) n, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        pos = p + (int) n;
        return true;
    }

    /** A byte string of exactly a fingerprint's length, copied (moving past it); null for anything else. */
    byte[] fingerprint() {
        int n = Envelope.FINGERPRINT_LENGTH;
        if (pos + 2 + n > end || (buf[pos] & 0xFF) != 0x58 || (buf[pos + 1] & 0xFF) != n) {
            return null;
        }
        byte[] f = Arrays.copyOfRange(buf, pos + 2, pos + 2 + n);
        pos += 2 + n;
        return f;
    }

    /** Whether null comes next; moves past it if so. */
    boolean nul() {
        if (initialByte() == CborConstants.NULL) {
            pos++;
            return true;
        }
        return false;
    }

    /** A byte string, copied (moving past it); null for anything else. */
    byte[] bytes() {
        int ib = initialByte();
        if (ib < 0 || ib >>> 5 != 2) {
            return null;
        }
        int ai = ib & 0x1F;
        int p = pos + 1;
        long n;
        if (ai < 24) {
            n = ai;
        } else {
            int k = 1 << (ai - 24);
            n = 0;
            for (int i = 0; i < k; i++) {
                n = n << 8 | (buf[p++] & 0xFF);
            }
        }
        byte[] b = Arrays.copyOfRange(buf, p, p + (int) n); // the framer has checked it is all there
        pos = p + (int) n;
        return b;
    }

    /** 1 for true, 0 for false (moving past it), -1 for anything else. */
    int bool() {
        int ib = initialByte();
        if (ib == CborConstants.TRUE || ib == CborConstants.FALSE) {
            pos++;
            return ib == CborConstants.TRUE ? 1 : 0;
        }
        return -1;
    }
}
