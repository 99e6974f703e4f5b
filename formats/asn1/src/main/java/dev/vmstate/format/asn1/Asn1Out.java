package dev.vmstate.format.asn1;

import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The module's own BER/DER encoder into a reused, growing byte array (#5). Primitive values always
 * get a definite length in the fewest octets and minimal content (INTEGER in the fewest two's
 * complement octets, BOOLEAN as 0x00 or 0xFF), so they are DER in both modes. Constructed values
 * differ by mode:
 *
 * <ul>
 *   <li>DER: {@link #open(int, long)} reserves the length octets its hint needs and
 *       {@link #close()}, once the content length is known, writes the length, moving the content
 *       when the hint was wrong. A record is therefore encoded forward, in one pass, and only the
 *       content of a value whose length outgrew its reservation moves;</li>
 *   <li>BER: the indefinite form (0x80 ... 0x00 0x00), so nothing is ever moved or measured.</li>
 * </ul>
 *
 * <p>The writer encodes a whole record here and hands the bytes out only when it succeeded, so a
 * refused record can be cut off again ({@link #truncate}). Not thread-safe.
 */
final class Asn1Out {
    private static final VarHandle BE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private byte[] buf;
    private int len;
    private final boolean der;
    /** Per open constructed value: where its content starts, and how many length octets DER reserved. */
    private int[] starts = new int[16];
    private int[] reserved = new int[16];
    private int depth;

    Asn1Out(boolean der) {
        this(new byte[1024], der);
    }

    /** An encoder writing into {@code buf}, which it replaces when it needs more room. */
    Asn1Out(byte[] buf, boolean der) {
        this.buf = buf;
        this.der = der;
    }

    /** The {@code Plain} value of {@code SchemaJson.toMap(s)} in a new array: what a schema record carries (#5). */
    static byte[] schema(Schema s, boolean der) {
        Asn1Out o = new Asn1Out(der);
        o.plain(SchemaJson.toMap(s));
        return Arrays.copyOf(o.buffer(), o.length());
    }

    boolean der() {
        return der;
    }

    void reset() {
        len = 0;
        depth = 0;
    }

    /** Takes back everything after the first {@code mark} bytes: a record refused half-way. */
    void truncate(int mark) {
        len = mark;
        depth = 0;
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

    /** Raw bytes, already encoded (a cached schema value, the envelope). */
    void raw(byte[] v) {
        ensure(v.length);
        System.arraycopy(v, 0, buf, len, v.length);
        len += v.length;
    }

    // ---------------------------------------------------------------- lengths and constructed values

    /** Octets of a definite length {@code n}: 1 in the short form, else 1 + the value's octets. */
    static int lengthOctets(long n) {
        if (n < 0x80) {
            return 1;
        }
        if (n < 0x100) {
            return 2;
        }
        if (n < 0x1_0000) {
            return 3;
        }
        return n < 0x100_0000 ? 4 : 5;
    }

    private static void putLength(byte[] b, int at, int n, int octets) {
        if (octets == 1) {
            b[at] = (byte) n;
            return;
        }
        b[at++] = (byte) (0x80 | (octets - 1));
        for (int s = (octets - 2) * 8; s >= 0; s -= 8) {
            b[at++] = (byte) (n >>> s);
        }
    }

    /** An identifier and a definite length in the fewest octets. */
    void header(int id, int n) {
        ensure(6);
        buf[len++] = (byte) id;
        int k = lengthOctets(n);
        putLength(buf, len, n, k);
        len += k;
    }

    void open(int id) {
        open(id, 0);
    }

    /**
     * Opens a constructed value; {@code hint} is the content length expected (DER reserves the
     * length octets it needs, so a right guess moves nothing on {@link #close()}).
     */
    void open(int id, long hint) {
        if (depth == starts.length) {
            starts = Arrays.copyOf(starts, depth * 2);
            reserved = Arrays.copyOf(reserved, depth * 2);
        }
        ensure(6);
        buf[len++] = (byte) id;
        int k;
        if (der) {
            k = lengthOctets(hint);
            len += k;
        } else {
            buf[len++] = (byte) 0x80;
            k = 0;
        }
        starts[depth] = len;
        reserved[depth] = k;
        depth++;
    }

    /** Closes the value {@link #open} opened last: DER writes its length, BER its end-of-contents octets. */
    void close() {
        depth--;
        if (!der) {
            ensure(2);
            buf[len++] = 0;
            buf[len++] = 0;
            return;
        }
        int start = starts[depth];
        int k = reserved[depth];
        int n = len - start;
        int need = lengthOctets(n);
        if (need != k) {
            // #5: the hint was wrong; moving the content once is cheaper than a measuring pass over the device.
            ensure(need - k);
            System.arraycopy(buf, start, buf, start + need - k, n);
            len += need - k;
            start += need - k;
        }
        putLength(buf, start - need, n, need);
    }

    /** The content start of the value opened last: a SET OF's elements are sorted from here on close. */
    int contentStart() {
        return starts[depth - 1];
    }

    /**
     * DER only: puts the elements encoded from {@code from} to the end into ascending order of their
     * encodings (X.690 11.6), as a SET OF needs. Each element is a complete DER value.
     */
    void sortSetOf(int from) {
        if (!der || len - from == 0) {
            return;
        }
        int count = 0;
        int[] bounds = new int[16];
        for (int p = from; p < len; ) {
            int end = end(buf, p);
            if (count + 1 >= bounds.length) {
                bounds = Arrays.copyOf(bounds, bounds.length * 2);
            }
            bounds[count++] = p;
            p = end;
        }
        if (count < 2) {
            return;
        }
        bounds[count] = len;
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        int[] b = bounds;
        byte[] e = buf;
        Arrays.sort(order, (x, y) -> compare(e, b[x], b[x + 1], b[y], b[y + 1]));
        byte[] sorted = new byte[len - from];
        int at = 0;
        for (int i : order) {
            int n = b[i + 1] - b[i];
            System.arraycopy(buf, b[i], sorted, at, n);
            at += n;
        }
        System.arraycopy(sorted, 0, buf, from, sorted.length);
    }

    /** The end of the DER value at {@code p} (definite length; our own output). */
    private static int end(byte[] b, int p) {
        int l = b[p + 1] & 0xFF;
        if (l < 0x80) {
            return p + 2 + l;
        }
        int k = l & 0x7F;
        int n = 0;
        for (int i = 0; i < k; i++) {
            n = n << 8 | (b[p + 2 + i] & 0xFF);
        }
        return p + 2 + k + n;
    }

    /**
     * X.690 11.6's order of two encodings {@code b[s1, e1)} and {@code b[s2, e2)}: octet by octet,
     * unsigned, the shorter one padded at its end with 0x00 octets.
     */
    static int compare(byte[] b, int s1, int e1, int s2, int e2) {
        int n1 = e1 - s1;
        int n2 = e2 - s2;
        int c = Arrays.compareUnsigned(b, s1, s1 + Math.min(n1, n2), b, s2, s2 + Math.min(n1, n2));
        if (c != 0 || n1 == n2) {
            return c;
        }
        // equal prefix: the longer one is greater unless its rest is all zero (it then equals the padding)
        int from = n1 > n2 ? s1 + n2 : s2 + n1;
        int to = n1 > n2 ? e1 : e2;
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return n1 > n2 ? 1 : -1;
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------- primitive values

    /** An INTEGER-like value (INTEGER, ENUMERATED, or an implicit tag of one) in the fewest two's complement octets. */
    void integer(int id, long v) {
        ensure(10);
        if ((v & ~0x7FL) == 0) {
            // 0..127, most of a device's fields: one content octet
            byte[] b = buf;
            int p = len;
            b[p] = (byte) id;
            b[p + 1] = 1;
            b[p + 2] = (byte) v;
            len = p + 3;
            return;
        }
        int bits = 64 - Long.numberOfLeadingZeros(v >= 0 ? v : ~v);
        int n = bits / 8 + 1;
        byte[] b = buf;
        int p = len;
        b[p++] = (byte) id;
        b[p++] = (byte) n;
        for (int s = (n - 1) * 8; s >= 0; s -= 8) {
            b[p++] = (byte) (v >> s);
        }
        len = p;
    }

    /** An unsigned 64-bit value: at or above 2^63 (a negative long) a leading 0x00 and the 8 bytes. */
    void unsigned(int id, long v) {
        if (v >= 0) {
            integer(id, v);
            return;
        }
        ensure(11);
        buf[len] = (byte) id;
        buf[len + 1] = 9;
        buf[len + 2] = 0;
        BE64.set(buf, len + 3, v);
        len += 11;
    }

    void bool(boolean v) {
        ensure(3);
        buf[len++] = Asn1Constants.BOOLEAN;
        buf[len++] = 1;
        buf[len++] = (byte) (v ? 0xFF : 0x00);
    }

    /** A NULL, or an implicit tag of one ({@code [6] NULL}). */
    void nul(int id) {
        ensure(2);
        buf[len++] = (byte) id;
        buf[len++] = 0;
    }

    /** The raw IEEE 754 bits of {@code v}, as {@code Float64 ::= [APPLICATION 1] OCTET STRING (SIZE (8))}. */
    void f64(double v) {
        ensure(10);
        buf[len] = Asn1Constants.FLOAT64;
        buf[len + 1] = 8;
        BE64.set(buf, len + 2, Double.doubleToRawLongBits(v));
        len += 10;
    }

    /** An OCTET STRING, or an implicit tag of one, in the primitive form. */
    void octets(int id, byte[] v) {
        header(id, v.length);
        ensure(v.length);
        System.arraycopy(v, 0, buf, len, v.length);
        len += v.length;
    }

    /** A UTF8String (or an implicit tag of one) in the primitive form; fails on an unpaired surrogate. */
    void utf8(int id, String s) {
        int n = s.length();
        int i = 0;
        while (i < n && s.charAt(i) < 0x80) {
            i++;
        }
        if (i == n) {
            // ASCII, the common case: one byte per char, no encoder and no copy.
            header(id, n);
            ensure(n);
            byte[] b = buf;
            int p = len;
            for (int k = 0; k < n; k++) {
                b[p++] = (byte) s.charAt(k);
            }
            len = p;
            return;
        }
        int bytes = i;
        for (int k = i; k < n; k++) {
            char c = s.charAt(k);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && k + 1 < n && Character.isLowSurrogate(s.charAt(k + 1))) {
                bytes += 4;
                k++;
            } else if (Character.isSurrogate(c)) {
                throw Asn1Errors.writeSurrogate(c);
            } else {
                bytes += 3;
            }
        }
        header(id, bytes);
        ensure(bytes);
        byte[] b = buf;
        int p = len;
        for (int k = 0; k < n; k++) {
            char c = s.charAt(k);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++k));
                b[p++] = (byte) (0xF0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        len = p;
    }

    // ---------------------------------------------------------------- plain values

    /**
     * {@code Plain}: the maps and lists {@code SchemaJson.toMap} makes, maps as a SEQUENCE OF
     * (key, value) in their own order.
     */
    void plain(Object v) {
        if (v == null) {
            nul(Asn1Constants.NULL);
        } else if (v instanceof String s) {
            utf8(Asn1Constants.UTF8_STRING, s);
        } else if (v instanceof Boolean b) {
            bool(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            integer(Asn1Constants.INTEGER, ((Number) v).longValue());
        } else if (v instanceof Map<?, ?> m) {
            open(Asn1Constants.PLAIN_MAP);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                open(Asn1Constants.SEQUENCE);
                utf8(Asn1Constants.UTF8_STRING, String.valueOf(e.getKey()));
                plain(e.getValue());
                close();
            }
            close();
        } else if (v instanceof List<?> l) {
            open(Asn1Constants.PLAIN_LIST);
            for (Object o : l) {
                plain(o);
            }
            close();
        } else {
            throw Asn1Errors.writeRecord("no ASN.1 form for a " + v.getClass().getName());
        }
    }
}
