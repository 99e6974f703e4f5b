package dev.vmstate.compat;

import dev.vmstate.visitor.Kind;
import java.math.BigInteger;

/**
 * The mathematical ranges of the integer kinds. {@link Kind#min()} carries {@code u64} as a
 * signed long, so conversions between kinds go through exact values here instead.
 */
final class IntRanges {
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private IntRanges() {
    }

    static BigInteger min(Kind k) {
        return k == Kind.U64 ? BigInteger.ZERO : BigInteger.valueOf(k.min());
    }

    static BigInteger max(Kind k) {
        return k == Kind.U64 ? U64_MAX : BigInteger.valueOf(k.max());
    }

    /** The number {@code bits} stands for in kind {@code k} ({@code u64} is unsigned). */
    static BigInteger value(Kind k, long bits) {
        return k == Kind.U64 && bits < 0 ? BigInteger.valueOf(bits).add(BigInteger.ONE.shiftLeft(64))
                : BigInteger.valueOf(bits);
    }

    static boolean holds(Kind k, BigInteger v) {
        return v.compareTo(min(k)) >= 0 && v.compareTo(max(k)) <= 0;
    }

    /** True when every value of {@code inner} is a value of {@code outer}. */
    static boolean contains(Kind outer, Kind inner) {
        return holds(outer, min(inner)) && holds(outer, max(inner));
    }

    /** {@code v} clamped to {@code k}'s range, as {@code k}'s long representation. */
    static long clamp(Kind k, BigInteger v) {
        return v.max(min(k)).min(max(k)).longValue();
    }

    /** {@code 0..255}. */
    static String range(Kind k) {
        return min(k) + ".." + max(k);
    }

    /** The low {@code bits} bits set. */
    static long mask(int bits) {
        return bits >= 64 ? -1L : (1L << bits) - 1;
    }

    /** {@code bits}' pattern as {@code k} stores it: its width's low bits. */
    static long pattern(Kind k, long bits) {
        return bits & mask(k.width() * 8);
    }

    /** A {@code k}-wide pattern as {@code k}'s long representation: sign-extended for the signed kinds. */
    static long fromPattern(Kind k, long pattern) {
        int width = k.width() * 8;
        boolean signed = k == Kind.I8 || k == Kind.I16 || k == Kind.I32;
        return signed ? (pattern << (64 - width)) >> (64 - width) : pattern;
    }
}
