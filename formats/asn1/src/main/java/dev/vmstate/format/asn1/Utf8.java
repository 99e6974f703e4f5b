package dev.vmstate.format.asn1;

/**
 * The two UTF-8 questions the format asks: are these bytes well-formed UTF-8 (RFC 3629, which
 * rules out overlong forms, encoded surrogates and code points above U+10FFFF), and does a Java
 * string hold an unpaired surrogate, which UTF-8 cannot carry. Neither allocates.
 *
 * <p>Stateless and thread-safe.
 */
final class Utf8 {
    private Utf8() {
    }

    /** Index of the first byte of {@code b[from, from + len)} that breaks UTF-8, or -1 when all of it is well-formed. */
    static int firstInvalid(byte[] b, int from, int len) {
        int i = from;
        int end = from + len;
        while (i < end) {
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
    static int unpairedSurrogate(String s) {
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
