package dev.vmstate.format.asn1;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A value of a BER or DER encoding as a tree, for tests only (trusted input): parses a stream's
 * body into its top-level values, and writes them back in other BER styles, so the BER reader can be
 * shown to read every form X.690 allows as the same records.
 *
 * @param id       the identifier octet
 * @param offset   where the value starts in the parsed bytes
 * @param end      where it ends
 * @param content  a primitive value's content octets, else null
 * @param children a constructed value's elements, else null
 */
record Tlv(int id, int offset, int end, byte[] content, List<Tlv> children) {

    boolean constructed() {
        return (id & 0x20) != 0;
    }

    /** The first value, depth first, for which {@code p} holds, or null. */
    Tlv find(java.util.function.Predicate<Tlv> p) {
        if (p.test(this)) {
            return this;
        }
        if (children != null) {
            for (Tlv c : children) {
                Tlv f = c.find(p);
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }

    /** The top-level values of {@code b} from {@code from} to its end. */
    static List<Tlv> parseAll(byte[] b, int from) {
        List<Tlv> out = new ArrayList<>();
        int[] pos = {from};
        while (pos[0] < b.length) {
            out.add(parse(b, pos));
        }
        return out;
    }

    static Tlv parse(byte[] b, int[] pos) {
        int start = pos[0];
        int id = b[pos[0]++] & 0xFF;
        int l = b[pos[0]++] & 0xFF;
        long len;
        if (l < 0x80) {
            len = l;
        } else if (l == 0x80) {
            List<Tlv> kids = new ArrayList<>();
            while (!(b[pos[0]] == 0 && b[pos[0] + 1] == 0)) {
                kids.add(parse(b, pos));
            }
            pos[0] += 2;
            return new Tlv(id, start, pos[0], null, kids);
        } else {
            len = 0;
            for (int i = 0; i < (l & 0x7F); i++) {
                len = len << 8 | (b[pos[0]++] & 0xFF);
            }
        }
        int contentStart = pos[0];
        int end = contentStart + (int) len;
        if ((id & 0x20) == 0) {
            pos[0] = end;
            return new Tlv(id, start, end, Arrays.copyOfRange(b, contentStart, end), null);
        }
        List<Tlv> kids = new ArrayList<>();
        while (pos[0] < end) {
            kids.add(parse(b, pos));
        }
        return new Tlv(id, start, end, null, kids);
    }

    /** How {@link #write} departs from DER; every combination is valid BER. */
    record Style(boolean longLengths, boolean indefinite, boolean segments, boolean booleanOne) {
        static final Style DER = new Style(false, false, false, false);
    }

    static byte[] writeAll(List<Tlv> values, Style s) {
        return writeAll(values, s, t -> null);
    }

    /**
     * {@code values} in style {@code s}, except that a value for which {@code custom} gives bytes is
     * written as those bytes; the lengths of the values around it follow.
     */
    static byte[] writeAll(List<Tlv> values, Style s, Function<Tlv, byte[]> custom) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Tlv t : values) {
            t.write(out, s, -1, custom);
        }
        return out.toByteArray();
    }

    /** The encoding of this value alone, in style {@code s}. */
    byte[] write(Style s) {
        return writeAll(List.of(this), s);
    }

    private void write(ByteArrayOutputStream out, Style s, int parent, Function<Tlv, byte[]> custom) {
        byte[] own = custom.apply(this);
        if (own != null) {
            out.writeBytes(own);
            return;
        }
        if (!constructed()) {
            byte[] c = content;
            if (s.booleanOne && id == 0x01 && c.length == 1 && c[0] == (byte) 0xFF) {
                c = new byte[] {0x01};
            }
            // OCTET STRING, UTF8String, Float64, and the page record's raw [1] and xbzrle [2] octets
            boolean string = id == 0x04 || id == 0x0C || id == 0x41 || (parent == 0xA5 && (id == 0x81 || id == 0x82));
            if (s.segments && string && c.length > 0) {
                out.write(id | 0x20);
                ByteArrayOutputStream segs = new ByteArrayOutputStream();
                for (int i = 0; i < c.length; i += 3) {
                    byte[] part = Arrays.copyOfRange(c, i, Math.min(c.length, i + 3));
                    segs.write(0x04);
                    length(segs, part.length, s);
                    segs.writeBytes(part);
                }
                if (s.indefinite) {
                    out.write(0x80);
                    out.writeBytes(segs.toByteArray());
                    out.write(0);
                    out.write(0);
                } else {
                    length(out, segs.size(), s);
                    out.writeBytes(segs.toByteArray());
                }
                return;
            }
            out.write(id);
            length(out, c.length, s);
            out.writeBytes(c);
            return;
        }
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        for (Tlv t : children) {
            t.write(inner, s, id, custom);
        }
        out.write(id);
        if (s.indefinite) {
            out.write(0x80);
            out.writeBytes(inner.toByteArray());
            out.write(0);
            out.write(0);
        } else {
            length(out, inner.size(), s);
            out.writeBytes(inner.toByteArray());
        }
    }

    /** A definite length; in the long-lengths style always the long form, with a needless leading 0x00. */
    private static void length(ByteArrayOutputStream out, int n, Style s) {
        if (s.longLengths) {
            out.write(0x85);
            out.write(0);
            out.write(n >>> 24);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
        } else if (n < 0x80) {
            out.write(n);
        } else {
            int k = Asn1Out.lengthOctets(n) - 1;
            out.write(0x80 | k);
            for (int i = k - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
    }
}
