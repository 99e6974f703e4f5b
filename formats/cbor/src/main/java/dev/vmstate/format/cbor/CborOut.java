package dev.vmstate.format.cbor;

import dev.vmstate.internal.Utf8;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A tiny CBOR encoder into a reused, growing byte array: heads with the preferred (shortest)
 * argument, definite lengths only, float64 always as 0xFB and 8 raw bytes. The writer encodes a
 * whole record here first and hands the bytes to the output only when it succeeded, so a refused
 * record leaves the output untouched; jackson's generator has no such undo.
 *
 * <p>Not thread-safe.
 */
final class CborOut {
    private byte[] buf;
    private int len;

    CborOut() {
        this(new byte[1024]);
    }

    /** An encoder writing into {@code buf} (which it replaces when it needs more room). */
    CborOut(byte[] buf) {
        this.buf = buf;
    }

    void reset() {
        len = 0;
    }

    /** Takes back everything after the first {@code mark} bytes: a record refused half-way. */
    void truncate(int mark) {
        len = mark;
    }

    int length() {
        return len;
    }

    byte[] buffer() {
        return buf;
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    /** A head of {@code major} (0..7) with argument {@code arg}, taken as unsigned, in its shortest form. */
    void head(int major, long arg) {
        ensure(9);
        int m = major << 5;
        byte[] b = buf;
        int p = len;
        if (arg >= 0 && arg < 24) {
            b[p++] = (byte) (m | (int) arg);
        } else if (arg >= 0 && arg < 0x100) {
            b[p++] = (byte) (m | 24);
            b[p++] = (byte) arg;
        } else if (arg >= 0 && arg < 0x1_0000) {
            b[p++] = (byte) (m | 25);
            b[p++] = (byte) (arg >> 8);
            b[p++] = (byte) arg;
        } else if (arg >= 0 && arg < 0x1_0000_0000L) {
            b[p++] = (byte) (m | 26);
            b[p++] = (byte) (arg >> 24);
            b[p++] = (byte) (arg >> 16);
            b[p++] = (byte) (arg >> 8);
            b[p++] = (byte) arg;
        } else {
            // arg < 0 here is an unsigned value at or above 2^63: the 8-byte argument holds its bits.
            b[p++] = (byte) (m | 27);
            for (int s = 56; s >= 0; s -= 8) {
                b[p++] = (byte) (arg >> s);
            }
        }
        len = p;
    }

    /** A signed integer: major 0 when {@code v >= 0}, else major 1 with argument {@code -1 - v}. */
    void integer(long v) {
        if (v >= 0) {
            head(0, v);
        } else {
            head(1, -1 - v);
        }
    }

    void bool(boolean v) {
        ensure(1);
        buf[len++] = (byte) (v ? 0xF5 : 0xF4);
    }

    void nul() {
        ensure(1);
        buf[len++] = (byte) 0xF6;
    }

    void f64(double v) {
        ensure(9);
        long bits = Double.doubleToRawLongBits(v);
        buf[len++] = (byte) CborConstants.FLOAT64;
        for (int s = 56; s >= 0; s -= 8) {
            buf[len++] = (byte) (bits >> s);
        }
    }

    void bytes(byte[] v) {
        head(2, v.length);
        ensure(v.length);
        System.arraycopy(v, 0, buf, len, v.length);
        len += v.length;
    }

    /** Raw bytes, already CBOR (a cached schema item). */
    void raw(byte[] v) {
        ensure(v.length);
        System.arraycopy(v, 0, buf, len, v.length);
        len += v.length;
    }

    /** A text string as UTF-8; fails on an unpaired surrogate, which UTF-8 cannot carry. */
    void text(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && s.charAt(i) < 0x80) {
            i++;
        }
        if (i == n) {
            // ASCII, the common case: one byte per char, no encoder and no copy.
            head(3, n);
            ensure(n);
            for (int k = 0; k < n; k++) {
                buf[len++] = (byte) s.charAt(k);
            }
            return;
        }
        checkText(s);
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        head(3, b.length);
        raw(b);
    }

    /** Fails unless {@code s} can be UTF-8: no unpaired surrogate, which the JDK would turn into '?'. */
    static void checkText(String s) {
        int bad = Utf8.unpairedSurrogate(s);
        if (bad >= 0) {
            throw CborErrors.writeSurrogate(s.charAt(bad));
        }
    }

    /** The plain values {@code SchemaJson.toMap} and {@code DeviceTree.toMap} make, maps in their order. */
    void plain(Object v) {
        if (v == null) {
            nul();
        } else if (v instanceof String s) {
            text(s);
        } else if (v instanceof Boolean b) {
            bool(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            integer(((Number) v).longValue());
        } else if (v instanceof Map<?, ?> m) {
            head(5, m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                text(String.valueOf(e.getKey()));
                plain(e.getValue());
            }
        } else if (v instanceof List<?> l) {
            head(4, l.size());
            for (Object o : l) {
                plain(o);
            }
        } else {
            throw CborErrors.badRecord("no CBOR form for a " + v.getClass().getName());
        }
    }
}
