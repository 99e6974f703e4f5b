package dev.vmstate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Utf8#firstInvalid} skips ASCII eight bytes at a time: every run length around the word
 * size, at every alignment, with the breaking byte at every position, and agreement with the
 * byte-at-a-time algorithm it replaced.
 */
class Utf8Test {
    /** Lead bytes that never start UTF-8, and continuation bytes without a lead. */
    private static final int[] NEVER_FIRST = {0x80, 0xBF, 0xC0, 0xC1, 0xF5, 0xF8, 0xFE, 0xFF};

    /** {@code pattern}, unhexed, at {@code from} in an array padded with 0xFF on both sides. */
    private static byte[] padded(int from, byte[] pattern, int after) {
        byte[] b = new byte[from + pattern.length + after];
        Arrays.fill(b, (byte) 0xFF);
        System.arraycopy(pattern, 0, b, from, pattern.length);
        return b;
    }

    private static int check(String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        int expected = oldFirstInvalid(b, 0, b.length);
        // the same answer after ASCII prefixes that leave the sequence at every alignment
        for (int prefix = 0; prefix <= 17; prefix++) {
            for (int from = 0; from < 8; from++) {
                byte[] p = new byte[prefix + b.length];
                Arrays.fill(p, 0, prefix, (byte) 'a');
                System.arraycopy(b, 0, p, prefix, b.length);
                byte[] in = padded(from, p, 9);
                int r = Utf8.firstInvalid(in, from, p.length);
                assertThat(r).as("%s after %d ASCII bytes at offset %d", hex, prefix, from)
                        .isEqualTo(expected < 0 ? -1 : expected + prefix);
            }
        }
        return expected;
    }

    @Test
    void asciiRunsOfEveryLengthAtEveryOffsetWithABadByteAnywhere() {
        for (int len = 0; len <= 40; len++) {
            for (int from = 0; from < 16; from++) {
                byte[] run = new byte[len];
                for (int i = 0; i < len; i++) {
                    run[i] = (byte) (i * 37 % 128);
                }
                // 0xFF right before and after the range: neither may be read
                byte[] b = padded(from, run, 9);
                assertThat(Utf8.firstInvalid(b, from, len)).as("%d ASCII bytes at %d", len, from).isEqualTo(-1);
                for (int bad = 0; bad < len; bad++) {
                    for (int v : NEVER_FIRST) {
                        byte[] c = b.clone();
                        c[from + bad] = (byte) v;
                        assertThat(Utf8.firstInvalid(c, from, len))
                                .as("0x%02X at %d of %d ASCII bytes at %d", v, bad, len, from).isEqualTo(bad);
                    }
                    // a valid two-byte sequence there, when it fits, keeps the run valid
                    if (bad + 1 < len) {
                        byte[] c = b.clone();
                        c[from + bad] = (byte) 0xC3;
                        c[from + bad + 1] = (byte) 0xA9;
                        assertThat(Utf8.firstInvalid(c, from, len)).as("U+00E9 at %d of %d at %d", bad, len, from)
                                .isEqualTo(-1);
                    }
                }
            }
        }
    }

    @Test
    void wellFormedSequences() {
        assertThat(check("")).isEqualTo(-1);
        assertThat(check("7F")).isEqualTo(-1);
        assertThat(check("C2 80")).isEqualTo(-1);                 // U+0080, the smallest two-byte
        assertThat(check("DF BF")).isEqualTo(-1);                 // U+07FF
        assertThat(check("E0 A0 80")).isEqualTo(-1);              // U+0800, the smallest three-byte
        assertThat(check("ED 9F BF")).isEqualTo(-1);              // U+D7FF, just below the surrogates
        assertThat(check("EE 80 80")).isEqualTo(-1);              // U+E000, just above them
        assertThat(check("EF BF BF")).isEqualTo(-1);              // U+FFFF
        assertThat(check("F0 90 80 80")).isEqualTo(-1);           // U+10000, the smallest four-byte
        assertThat(check("F4 8F BF BF")).isEqualTo(-1);           // U+10FFFF, the largest
        byte[] text = "h\u00e9llo \u4e2d\u6587 \uD834\uDD1E and more ASCII after it".getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.firstInvalid(text, 0, text.length)).isEqualTo(-1);
    }

    @Test
    void overlongForms() {
        assertThat(check("C0 80")).isEqualTo(0);                  // U+0000 in two bytes
        assertThat(check("C1 BF")).isEqualTo(0);                  // U+007F in two bytes
        assertThat(check("E0 80 80")).isEqualTo(1);               // U+0000 in three bytes
        assertThat(check("E0 9F BF")).isEqualTo(1);               // U+07FF in three bytes
        assertThat(check("F0 80 80 80")).isEqualTo(1);            // U+0000 in four bytes
        assertThat(check("F0 8F BF BF")).isEqualTo(1);            // U+FFFF in four bytes
    }

    @Test
    void surrogates() {
        assertThat(check("ED A0 80")).isEqualTo(1);               // U+D800
        assertThat(check("ED AF BF")).isEqualTo(1);               // U+DBFF
        assertThat(check("ED B0 80")).isEqualTo(1);               // U+DC00
        assertThat(check("ED BF BF")).isEqualTo(1);               // U+DFFF
        assertThat(check("ED A0 BD ED B2 A9")).isEqualTo(1);      // a pair in CESU-8 is still two surrogates
    }

    @Test
    void aboveU10FFFF() {
        assertThat(check("F4 90 80 80")).isEqualTo(1);            // U+110000
        assertThat(check("F5 80 80 80")).isEqualTo(0);
        assertThat(check("F7 BF BF BF")).isEqualTo(0);
        assertThat(check("F8 88 80 80 80")).isEqualTo(0);         // the old five-byte form
    }

    @Test
    void truncatedAndBrokenSequences() {
        assertThat(check("C3")).isEqualTo(0);
        assertThat(check("E2 82")).isEqualTo(0);
        assertThat(check("F0 9F 98")).isEqualTo(0);
        assertThat(check("C3 28")).isEqualTo(1);
        assertThat(check("E2 28 A1")).isEqualTo(1);
        assertThat(check("E2 82 28")).isEqualTo(2);
        assertThat(check("F0 9F 28 80")).isEqualTo(2);
        assertThat(check("F0 9F 98 28")).isEqualTo(3);
        assertThat(check("41 80 41")).isEqualTo(1);               // a continuation byte with no lead
        // the range ends inside the sequence, though the array goes on with its continuation bytes
        byte[] b = {'a', (byte) 0xE2, (byte) 0x82, (byte) 0xAC};
        assertThat(Utf8.firstInvalid(b, 0, 3)).isEqualTo(1);
        assertThat(Utf8.firstInvalid(b, 0, 4)).isEqualTo(-1);
    }

    @Test
    void agreesWithTheByteAtATimeAlgorithmAndTheJdkDecoder() {
        long seed = 0x5EED_0F_07F8L;
        Random r = new Random(seed);
        CharsetDecoder jdk = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        for (int n = 0; n < 50_000; n++) {
            byte[] b = randomText(r);
            int from = b.length == 0 ? 0 : r.nextInt(b.length + 1);
            int len = r.nextInt(b.length - from + 1);
            int expected = oldFirstInvalid(b, from, len);
            assertThat(Utf8.firstInvalid(b, from, len))
                    .as("seed %x, try %d: %s [%d, +%d)", seed, n, HexFormat.of().formatHex(b), from, len)
                    .isEqualTo(expected);
            jdk.reset();
            CoderResult cr = jdk.decode(ByteBuffer.wrap(b, from, len), CharBuffer.allocate(len), true);
            boolean jdkValid = !cr.isError() && !jdk.flush(CharBuffer.allocate(1)).isError();
            assertThat(expected < 0).as("seed %x, try %d: %s", seed, n, HexFormat.of().formatHex(b))
                    .isEqualTo(jdkValid);
        }
    }

    /** Mostly ASCII runs with well-formed sequences between, and now and then a random byte. */
    private static byte[] randomText(Random r) {
        byte[] b = new byte[r.nextInt(64)];
        int i = 0;
        while (i < b.length) {
            int pick = r.nextInt(16);
            if (pick < 8) {
                b[i++] = (byte) r.nextInt(0x80);
            } else if (pick < 14) {
                int cp;
                do {
                    cp = r.nextInt(4) == 0 ? 0x10000 + r.nextInt(0x100000) : r.nextInt(0x10000);
                } while (cp >= 0xD800 && cp <= 0xDFFF);
                byte[] enc = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                for (int k = 0; k < enc.length && i < b.length; k++) {
                    b[i++] = enc[k];
                }
            } else {
                b[i++] = (byte) r.nextInt(256);
            }
        }
        return b;
    }

    @Test
    void unpairedSurrogates() {
        assertThat(Utf8.unpairedSurrogate("")).isEqualTo(-1);
        assertThat(Utf8.unpairedSurrogate("plain \u00e9 \u4e2d")).isEqualTo(-1);
        assertThat(Utf8.unpairedSurrogate("a\uD834\uDD1Eb")).isEqualTo(-1);
        assertThat(Utf8.unpairedSurrogate("a\uD834")).isEqualTo(1);
        assertThat(Utf8.unpairedSurrogate("a\uD834b")).isEqualTo(1);
        assertThat(Utf8.unpairedSurrogate("ab\uDD1E")).isEqualTo(2);
        assertThat(Utf8.unpairedSurrogate("\uDD1E\uD834")).isEqualTo(0);
        assertThat(Utf8.unpairedSurrogate("\uD834\uDD1E\uD834")).isEqualTo(2);
    }

    /** The byte-at-a-time check the formats had before the eight-byte ASCII skip: the reference. */
    private static int oldFirstInvalid(byte[] b, int from, int len) {
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
                    lo = 0xA0;
                } else if (c == 0xED) {
                    hi = 0x9F;
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                if (c == 0xF0) {
                    lo = 0x90;
                } else if (c == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                return i - from;
            }
            if (i + need >= end) {
                return i - from;
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
}
