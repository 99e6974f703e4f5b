package dev.vmstate.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The two UTF-8 questions the binary formats ask: are these bytes well-formed UTF-8 (RFC 3629,
 * which rules out overlong forms, encoded surrogates and code points above U+10FFFF), and does a
 * Java string hold an unpaired surrogate, which UTF-8 cannot carry. Neither allocates. Not API.
 *
 * <p>Stateless and thread-safe.
 */
public final class Utf8 {
    /** Eight bytes of a {@code byte[]} at any index, as one {@code long}. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The high bit of each of eight bytes: zero in all of them when all eight are ASCII. */
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {
    }

    /**
     * Where the first byte of {@code b[from, from + len)} that breaks UTF-8 is, counted from
     * {@code from}; -1 when all of it is well-formed.
     */
    public static int firstInvalid(byte[] b, int from, int len) {
        int i = from;
        int end = from + len;
        while (i < end) {
            // #4: schema text and names are mostly ASCII, and a JFR profile of cbor loading spent a
            // third of its time here going byte by byte: skip eight ASCII bytes at a time first
            while (end - i >= Long.BYTES && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
                i += Long.BYTES;
            }
            if (i == end) {
                break;
            }
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                if (c == 0xE0) {
                    lo = 0xA0; // overlong below U+0800
                } else if (c == 0xED) {
                    hi = 0x9F; // U+D800..U+DFFF, the surrogates
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                if (c == 0xF0) {
                    lo = 0x90; // overlong below U+10000
                } else if (c == 0xF4) {
                    hi = 0x8F; // above U+10FFFF
                }
            } else {
                return i - from;
            }
            if (i + need >= end) {
                return i - from; // fewer continuation bytes than the lead byte announces
            }
            int second = b[i + 1] & 0xFF;
            if (second < lo || second > hi) {
                return i + 1 - from;
            }
            for (int k = 2; k <= need; k++) {
                int cont = b[i + k] & 0xFF;
                if (cont < 0x80 || cont > 0xBF) {
                    return i + k - from;
                }
            }
            i += need + 1;
        }
        return -1;
    }

    /** Index of the first unpaired surrogate in {@code s}, or -1. */
    public static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
