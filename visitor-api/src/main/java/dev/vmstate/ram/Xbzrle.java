package dev.vmstate.ram;

import dev.vmstate.error.MalformedStreamException;

/**
 * QEMU's XBZRLE page delta (migration/xbzrle.c, docs/formats/legacy.md §2.9): a sequence of
 * pairs, each a run of unchanged bytes and a run of new bytes, both lengths ULEB128 of one or two
 * bytes (so below 2<sup>14</sup>), the new bytes following their length. Decoding applies the
 * delta onto the page's previous contents, which is why a reader needs the destination's memory.
 * The rules are QEMU 7.2's, so whatever QEMU would refuse is refused here too.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class Xbzrle {
    private Xbzrle() {
    }

    /**
     * Applies {@code delta[0..len)} onto {@code page[pageOff..pageOff+pageLen)}: unchanged runs keep
     * the old bytes, new runs overwrite them.
     *
     * @return how many bytes of the page the delta covered (its last changed byte + 1)
     * @throws MalformedStreamException naming the byte of the delta that is wrong: a length that is
     *         not a one- or two-byte ULEB128, an empty unchanged run other than the first, an empty
     *         new run, a run past the page or past the delta, or a pair cut short
     */
    public static int decode(byte[] delta, int len, byte[] page, int pageOff, int pageLen) {
        int i = 0;
        int d = 0;
        while (i < len) {
            // QEMU wants two bytes left before each length: one for it, at least one after it
            if (len - i < 2) {
                throw bad("pair cut short: " + (len - i) + " byte left for an unchanged-run length", i);
            }
            int zrunAt = i;
            long zrun = uleb(delta, i, len);
            i += ulebSize(delta, i);
            if (zrunAt != 0 && zrun == 0) {
                throw bad("empty unchanged run after the first pair", zrunAt);
            }
            d += (int) zrun;
            if (d > pageLen) {
                throw bad("unchanged run of " + zrun + " ends at byte " + d + ", past the " + pageLen + "-byte page",
                        zrunAt);
            }
            if (len - i < 2) {
                throw bad("pair cut short: " + (len - i) + " byte left for a new-run length and its data", i);
            }
            int nzrunAt = i;
            long nzrun = uleb(delta, i, len);
            i += ulebSize(delta, i);
            if (nzrun == 0) {
                throw bad("empty new run", nzrunAt);
            }
            if (d + nzrun > pageLen) {
                throw bad("new run of " + nzrun + " bytes at page byte " + d + " runs past the " + pageLen
                        + "-byte page", nzrunAt);
            }
            if (i + nzrun > len) {
                throw bad("new run of " + nzrun + " bytes, but only " + (len - i) + " left in the delta", nzrunAt);
            }
            System.arraycopy(delta, i, page, pageOff + d, (int) nzrun);
            d += (int) nzrun;
            i += (int) nzrun;
        }
        return d;
    }

    /**
     * Encodes how {@code cur} differs from {@code old} (both {@code len} bytes, {@code len} at most
     * 2<sup>14</sup> - 1) into {@code out}, as QEMU's encoder does: pairs of unchanged and new runs,
     * a trailing unchanged run left out. Where both succeed the delta is QEMU's byte for byte; QEMU
     * gives up a little earlier, keeping room for a trailing run it never writes, so a delta within
     * two bytes of {@code out.length} is sent here and whole by QEMU.
     *
     * @return the encoded length, 0 when nothing changed, or -1 when the delta would not fit in
     *         {@code out} (QEMU then sends the page whole)
     */
    public static int encode(byte[] old, byte[] cur, int len, byte[] out) {
        if (len >= 1 << 14) {
            throw new IllegalArgumentException("pages of " + len + " bytes: XBZRLE run lengths stop below 16384");
        }
        int i = 0;
        int o = 0;
        while (i < len) {
            int start = i;
            while (i < len && old[i] == cur[i]) {
                i++;
            }
            if (i == len) {
                break;
            }
            int zrun = i - start;
            start = i;
            while (i < len && old[i] != cur[i]) {
                i++;
            }
            int nzrun = i - start;
            if (o + ulebLength(zrun) + ulebLength(nzrun) + nzrun > out.length) {
                return -1;
            }
            o = putUleb(out, o, zrun);
            o = putUleb(out, o, nzrun);
            System.arraycopy(cur, start, out, o, nzrun);
            o += nzrun;
        }
        return o;
    }

    private static int ulebLength(int v) {
        return v < 0x80 ? 1 : 2;
    }

    private static int putUleb(byte[] out, int o, int v) {
        if (v < 0x80) {
            out[o] = (byte) v;
            return o + 1;
        }
        out[o] = (byte) (0x80 | (v & 0x7F));
        out[o + 1] = (byte) (v >>> 7);
        return o + 2;
    }

    /** A one- or two-byte ULEB128 at {@code at} (QEMU's uleb128_decode_small). */
    private static long uleb(byte[] b, int at, int len) {
        int first = b[at] & 0xFF;
        if ((first & 0x80) == 0) {
            return first;
        }
        int second = b[at + 1] & 0xFF; // in bounds: two bytes are left, checked by the caller
        if ((second & 0x80) != 0) {
            throw bad("run length longer than two ULEB128 bytes", at);
        }
        return (first & 0x7F) | ((long) second << 7);
    }

    private static int ulebSize(byte[] b, int at) {
        return (b[at] & 0x80) == 0 ? 1 : 2;
    }

    private static MalformedStreamException bad(String why, int at) {
        return new MalformedStreamException("XBZRLE delta: " + why + " (delta byte " + at + ")");
    }
}
