package dev.vmstate.testkit;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Damaged copies of a valid stream, for the hostile-input properties of the
 * {@link FormatConformanceSuite}: truncations, bit flips, and lengths replaced by hostile values
 * (0xFFFFFFFF and friends); and, for a format's own tests, bytes found and replaced by hand. Nothing here knows any format: a "length" is any window whose value
 * could be one, which is what a fuzzer aiming at length fields would pick. Every choice comes
 * from the {@link Random} given, so a seed reproduces the same mutations.
 *
 * <p>The input array is never modified. Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class StreamMutations {
    /** Every truncation point below this offset is tried. */
    public static final int EXHAUSTIVE_PREFIX = 64 * 1024;
    /** Random truncation points tried beyond {@link #EXHAUSTIVE_PREFIX} in a longer stream. */
    public static final int RANDOM_CUTS_BEYOND = 1000;

    /** Values written over a big-endian 32-bit window: beyond every limit, sign-bit traps, just within the defaults. */
    static final long[] HOSTILE_32 = {0xFFFF_FFFFL, 0x7FFF_FFFFL, 0x8000_0000L, 0x1000_0000L, 0x0100_0000L,
        0x0010_0000L};
    /** Values written over a big-endian 64-bit window. */
    static final long[] HOSTILE_64 = {-1L, Long.MAX_VALUE, 0xFFFF_FFFFL, 0x1_0000_0000L};
    /** Values written over a big-endian 16-bit window. */
    static final long[] HOSTILE_16 = {0xFFFF, 0x8000};
    /** Values written, LEB128-encoded, over a varint: up to 10 bytes for 2^64-1. */
    static final long[] HOSTILE_VARINT = {0xFFFF_FFFFL, 0x7FFF_FFFFL, 0x1000_0000L, 0x0100_0000L, Long.MAX_VALUE, -1L};

    /** One damaged copy and what was done to it; immutable (the bytes are copied in and out). */
    public record Mutation(String description, byte[] bytes) {
        public Mutation {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public String toString() {
            return description + " (" + bytes.length + " bytes)";
        }
    }

    private StreamMutations() {
    }

    /** Where {@code what} first occurs in {@code in}; an {@link AssertionError} when it does not. */
    public static int indexOf(byte[] in, byte[] what) {
        return indexOf(in, what, 0);
    }

    /** Where {@code what} first occurs in {@code in} at or after {@code from}; an {@link AssertionError} when it does not. */
    public static int indexOf(byte[] in, byte[] what, int from) {
        for (int i = from; i + what.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        throw new AssertionError("bytes " + HexFormat.of().formatHex(what) + " not found");
    }

    /** {@code in} with its first {@code what} replaced by {@code with}; lengths around it are NOT adjusted. */
    public static byte[] replace(byte[] in, byte[] what, byte[] with) {
        int at = indexOf(in, what);
        byte[] out = new byte[in.length - what.length + with.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(with, 0, out, at, with.length);
        System.arraycopy(in, at + what.length, out, at + with.length, in.length - at - what.length);
        return out;
    }

    /** The first {@code length} bytes of {@code stream}. */
    public static byte[] truncate(byte[] stream, int length) {
        return Arrays.copyOf(stream, length);
    }

    /**
     * Where to cut {@code streamLength} bytes, ascending: every offset below
     * {@link #EXHAUSTIVE_PREFIX}, and for a longer stream each of {@code boundaries} (offsets
     * where records start or end) ±1 plus {@link #RANDOM_CUTS_BEYOND} random offsets. The full
     * length itself is not a truncation and is never included.
     */
    public static int[] truncationPoints(int streamLength, long[] boundaries, Random random) {
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int i = 0; i < Math.min(streamLength, EXHAUSTIVE_PREFIX); i++) {
            cuts.add(i);
        }
        if (streamLength > EXHAUSTIVE_PREFIX) {
            for (long b : boundaries) {
                for (long c = b - 1; c <= b + 1; c++) {
                    if (c >= 0 && c < streamLength) {
                        cuts.add((int) c);
                    }
                }
            }
            for (int i = 0; i < RANDOM_CUTS_BEYOND; i++) {
                cuts.add(EXHAUSTIVE_PREFIX + random.nextInt(streamLength - EXHAUSTIVE_PREFIX));
            }
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code stream} with bit {@code bit} (0 is the top bit of byte 0) inverted. */
    public static byte[] flip(byte[] stream, long bit) {
        byte[] out = stream.clone();
        out[(int) (bit >>> 3)] ^= (byte) (0x80 >>> (bit & 7));
        return out;
    }

    /**
     * {@code count} damaged copies: mostly single bit flips, some two-bit flips (which survive a
     * parity check) and some bytes overwritten with a random value.
     */
    public static List<Mutation> flips(byte[] stream, int count, Random random) {
        List<Mutation> out = new ArrayList<>(count);
        if (stream.length == 0) {
            return out;
        }
        long bits = stream.length * 8L;
        for (int i = 0; i < count; i++) {
            int shape = random.nextInt(8);
            if (shape == 0) {
                int at = random.nextInt(stream.length);
                byte[] b = stream.clone();
                int v = random.nextInt(256);
                b[at] = (byte) v;
                out.add(new Mutation(String.format("byte %d 0x%02X -> 0x%02X", at, stream[at] & 0xFF, v), b));
            } else if (shape == 1) {
                long a = Math.floorMod(random.nextLong(), bits);
                long c = Math.floorMod(random.nextLong(), bits);
                out.add(new Mutation("bits " + describeBit(a) + " and " + describeBit(c), flip(flip(stream, a), c)));
            } else {
                long a = Math.floorMod(random.nextLong(), bits);
                out.add(new Mutation("bit " + describeBit(a), flip(stream, a)));
            }
        }
        return out;
    }

    private static String describeBit(long bit) {
        return (bit >>> 3) + "." + (7 - (bit & 7));
    }

    /**
     * Copies of {@code stream} with one plausible length replaced by a hostile value, at most
     * {@code maxPerWidth} windows of each shape (be16, be32, be64, varint), chosen at random when
     * there are more. A window is plausible when its value, read big-endian (or as LEB128 for a
     * varint of 1..8 bytes), is at most the number of bytes after it: it could be a length, and a
     * reader that trusts it is at risk.
     */
    public static List<Mutation> hostileLengths(byte[] stream, int maxPerWidth, Random random) {
        List<Mutation> out = new ArrayList<>();
        for (int width : new int[] {2, 4, 8}) {
            List<Integer> at = new ArrayList<>();
            for (int i = 0; i + width <= stream.length; i++) {
                long v = be(stream, i, width);
                if (v >= 0 && v <= stream.length - i - width) {
                    at.add(i);
                }
            }
            long[] values = width == 2 ? HOSTILE_16 : width == 4 ? HOSTILE_32 : HOSTILE_64;
            for (int i : sample(at, maxPerWidth, random)) {
                for (long h : values) {
                    byte[] b = stream.clone();
                    for (int k = 0; k < width; k++) {
                        b[i + k] = (byte) (h >>> (8 * (width - 1 - k)));
                    }
                    out.add(new Mutation(String.format("be%d at %d 0x%X -> 0x%X", width * 8, i, be(stream, i, width), h), b));
                }
            }
        }
        List<Integer> varints = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            int n = varintLength(stream, i);
            if (n > 0 && varint(stream, i, n) <= stream.length - i - n) {
                varints.add(i);
            }
        }
        for (int i : sample(varints, maxPerWidth, random)) {
            int n = varintLength(stream, i);
            for (long h : HOSTILE_VARINT) {
                ByteArrayOutputStream b = new ByteArrayOutputStream(stream.length + 10);
                b.write(stream, 0, i);
                writeVarint(b, h);
                b.write(stream, i + n, stream.length - i - n);
                out.add(new Mutation(String.format("varint at %d (%d bytes) %d -> 0x%X", i, n, varint(stream, i, n), h),
                        b.toByteArray()));
            }
        }
        return out;
    }

    private static List<Integer> sample(List<Integer> candidates, int max, Random random) {
        if (candidates.size() <= max) {
            return candidates;
        }
        List<Integer> copy = new ArrayList<>(candidates);
        Collections.shuffle(copy, random);
        List<Integer> picked = new ArrayList<>(copy.subList(0, max));
        Collections.sort(picked);
        return picked;
    }

    private static long be(byte[] b, int at, int width) {
        long v = 0;
        for (int k = 0; k < width; k++) {
            v = (v << 8) | (b[at + k] & 0xFF);
        }
        return v;
    }

    /** Bytes of the LEB128 varint at {@code at}, 1..8, or 0 when none ends within 8 bytes. */
    private static int varintLength(byte[] b, int at) {
        for (int n = 1; n <= 8 && at + n <= b.length; n++) {
            if ((b[at + n - 1] & 0x80) == 0) {
                return n;
            }
        }
        return 0;
    }

    private static long varint(byte[] b, int at, int n) {
        long v = 0;
        for (int k = 0; k < n; k++) {
            v |= (long) (b[at + k] & 0x7F) << (7 * k);
        }
        return v;
    }

    static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
