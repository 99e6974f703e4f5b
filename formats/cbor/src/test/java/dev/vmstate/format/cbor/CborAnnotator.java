package dev.vmstate.format.cbor;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Writes a {@code cbor} stream as annotated hex, one data item per line (a key and a scalar value
 * share a line), in RFC 8949 diagnostic notation: the golden file's {@code .hex.txt} and the
 * worked example of {@code docs/formats/cbor.md} §7. For trusted input (our own output) only.
 */
final class CborAnnotator {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private final byte[] b;
    private final StringBuilder out = new StringBuilder();

    private CborAnnotator(byte[] b) {
        this.b = b;
    }

    static String annotate(byte[] stream, String title) {
        CborAnnotator a = new CborAnnotator(stream);
        a.out.append("# ").append(title).append('\n');
        a.out.append("# offset  bytes                                              item (RFC 8949 diagnostic notation)\n");
        int pos = a.envelope();
        int n = 0;
        while (pos < stream.length) {
            pos = a.value(pos, pos, 0, "#" + n++ + " ");
        }
        return a.out.toString();
    }

    private int envelope() {
        int n = b[7] & 0xFF;
        int id = 8 + n;
        line(0, 4, 0, "envelope magic \"VMST\"");
        line(4, 5, 0, "envelope version " + (b[4] & 0xFF));
        int rest = (b[5] & 0xFF) << 8 | (b[6] & 0xFF);
        line(5, 7, 0, "length of the rest of the envelope: " + rest + " bytes");
        line(7, id, 0, "format id \"" + new String(b, 8, n, StandardCharsets.US_ASCII) + "\"");
        int fp = b[id] & 0xFF;
        line(id, id + 1 + fp, 0, "schema fingerprint, " + fp + " bytes");
        int at = id + 1 + fp;
        int k = b[at] & 0xFF;
        line(at, at + 1, 0, k + " feature(s)");
        at++;
        for (int i = 0; i < k; i++) {
            int len = b[at] & 0xFF;
            line(at, at + 1 + len, 0, "feature \"" + new String(b, at + 1, len, StandardCharsets.US_ASCII) + "\"");
            at += 1 + len;
        }
        return at;
    }

    /** The item at {@code at}, whose line starts at {@code lineStart} (its key's first byte, for a map value). */
    private int value(int lineStart, int at, int depth, String prefix) {
        int ib = b[at] & 0xFF;
        int major = ib >>> 5;
        int ai = ib & 0x1F;
        int headLen = ai < 24 ? 1 : 1 + (1 << (ai - 24));
        long arg = ai < 24 ? ai : 0;
        for (int i = 1; i < headLen; i++) {
            arg = arg << 8 | (b[at + i] & 0xFF);
        }
        int p = at + headLen;
        switch (major) {
            case 0:
                line(lineStart, p, depth, prefix + Long.toUnsignedString(arg));
                return p;
            case 1:
                line(lineStart, p, depth, prefix + (arg < 0 ? "-" + new java.math.BigInteger(Long.toUnsignedString(arg))
                        .add(java.math.BigInteger.ONE) : Long.toString(-1 - arg)));
                return p;
            case 2: {
                int end = p + (int) arg;
                String h = HexFormat.of().formatHex(b, p, Math.min(end, p + 12));
                line(lineStart, end, depth, prefix + "h'" + h + (arg > 12 ? "...' (" + arg + " bytes)" : "'"));
                return end;
            }
            case 3: {
                int end = p + (int) arg;
                line(lineStart, end, depth, prefix + quote(new String(b, p, (int) arg, StandardCharsets.UTF_8)));
                return end;
            }
            case 4:
                line(lineStart, p, depth, prefix + "[" + arg + (arg == 1 ? " item" : " items"));
                for (long i = 0; i < arg; i++) {
                    p = value(p, p, depth + 1, "");
                }
                return p;
            case 5:
                line(lineStart, p, depth, prefix + "{" + arg + (arg == 1 ? " pair" : " pairs"));
                for (long i = 0; i < arg; i++) {
                    int k = b[p] & 0xFF;
                    int kHead = (k & 0x1F) < 24 ? 1 : 1 + (1 << ((k & 0x1F) - 24));
                    long kLen = (k & 0x1F) < 24 ? k & 0x1F : 0;
                    for (int j = 1; j < kHead; j++) {
                        kLen = kLen << 8 | (b[p + j] & 0xFF);
                    }
                    String key = new String(b, p + kHead, (int) kLen, StandardCharsets.UTF_8);
                    p = value(p, p + kHead + (int) kLen, depth + 1, quote(key) + ": ");
                }
                return p;
            default:
                switch (ib) {
                    case 0xF4 -> line(lineStart, p, depth, prefix + "false");
                    case 0xF5 -> line(lineStart, p, depth, prefix + "true");
                    case 0xF6 -> line(lineStart, p, depth, prefix + "null");
                    case 0xFB -> {
                        double d = Double.longBitsToDouble(arg);
                        line(lineStart, p, depth, prefix + (Double.isNaN(d) ? String.format("NaN (bits 0x%016X)", arg)
                                : Double.toString(d)));
                    }
                    default -> line(lineStart, p, depth, prefix + String.format("simple(0x%02X)", ib));
                }
                return p;
        }
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private void line(int from, int to, int depth, String text) {
        int shown = Math.min(to, from + 16);
        String hex = HEX.formatHex(b, from, shown) + (to > shown ? " .." : "");
        out.append(String.format("%06x  %-51s %s%s%n", from, hex, "  ".repeat(depth), text));
    }
}
