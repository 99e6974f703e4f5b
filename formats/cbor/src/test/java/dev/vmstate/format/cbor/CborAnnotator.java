package dev.vmstate.format.cbor;

import dev.vmstate.testkit.AnnotatedHex;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Writes a {@code cbor} stream as annotated hex, one data item per line (a key and a scalar value
 * share a line), in RFC 8949 diagnostic notation: the golden file's {@code .hex.txt} and the
 * worked example of {@code docs/formats/cbor.md} §7. For trusted input (our own output) only.
 */
final class CborAnnotator {
    private final byte[] b;
    private final AnnotatedHex out;

    private CborAnnotator(byte[] b, String title) {
        this.b = b;
        this.out = new AnnotatedHex(b, title, "item (RFC 8949 diagnostic notation)");
    }

    static String annotate(byte[] stream, String title) {
        CborAnnotator a = new CborAnnotator(stream, title);
        int pos = a.out.envelope();
        int n = 0;
        while (pos < stream.length) {
            pos = a.value(pos, pos, 0, "#" + n++ + " ");
        }
        return a.out.toString();
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
                out.line(lineStart, p, depth, prefix + Long.toUnsignedString(arg));
                return p;
            case 1:
                out.line(lineStart, p, depth, prefix + (arg < 0 ? "-" + new java.math.BigInteger(Long.toUnsignedString(arg))
                        .add(java.math.BigInteger.ONE) : Long.toString(-1 - arg)));
                return p;
            case 2: {
                int end = p + (int) arg;
                String h = HexFormat.of().formatHex(b, p, Math.min(end, p + 12));
                out.line(lineStart, end, depth, prefix + "h'" + h + (arg > 12 ? "...' (" + arg + " bytes)" : "'"));
                return end;
            }
            case 3: {
                int end = p + (int) arg;
                out.line(lineStart, end, depth, prefix + quote(new String(b, p, (int) arg, StandardCharsets.UTF_8)));
                return end;
            }
            case 4:
                out.line(lineStart, p, depth, prefix + "[" + arg + (arg == 1 ? " item" : " items"));
                for (long i = 0; i < arg; i++) {
                    p = value(p, p, depth + 1, "");
                }
                return p;
            case 5:
                out.line(lineStart, p, depth, prefix + "{" + arg + (arg == 1 ? " pair" : " pairs"));
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
                    case 0xF4 -> out.line(lineStart, p, depth, prefix + "false");
                    case 0xF5 -> out.line(lineStart, p, depth, prefix + "true");
                    case 0xF6 -> out.line(lineStart, p, depth, prefix + "null");
                    case 0xFB -> {
                        double d = Double.longBitsToDouble(arg);
                        out.line(lineStart, p, depth, prefix + (Double.isNaN(d) ? String.format("NaN (bits 0x%016X)", arg)
                                : Double.toString(d)));
                    }
                    default -> out.line(lineStart, p, depth, prefix + String.format("simple(0x%02X)", ib));
                }
                return p;
        }
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
