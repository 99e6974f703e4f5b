package dev.vmstate.testkit;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A binary stream as annotated hex, the way golden files' {@code .hex.txt} siblings and the
 * worked examples of {@code docs/formats} show it: a title, a column header, then one line per
 * item, {@code offset  bytes  text}, with at most 16 bytes shown and the text indented by depth.
 * It writes the envelope's lines itself ({@link #envelope()}); a format's annotator adds those of
 * the body with {@link #line}. For trusted input (our own output) only: it does not check lengths.
 *
 * <p>One instance per stream; not thread-safe.
 *
 * @since 0.1
 */
public final class AnnotatedHex {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private final byte[] b;
    private final StringBuilder out = new StringBuilder();

    /** Starts the annotation of {@code stream} with {@code # title} and a header naming the text column {@code column}. */
    public AnnotatedHex(byte[] stream, String title, String column) {
        this.b = stream;
        out.append("# ").append(title).append('\n');
        out.append("# offset  bytes").append(" ".repeat(46)).append(column).append('\n');
    }

    /** Annotates the binary envelope ({@code docs/formats/envelope.md}), field by field; returns where the body starts. */
    public int envelope() {
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

    /** One line for the bytes {@code [from, to)}: their offset, the first 16 of them, and {@code text} at {@code depth}. */
    public void line(int from, int to, int depth, String text) {
        int shown = Math.min(to, from + 16);
        String hex = HEX.formatHex(b, from, shown) + (to > shown ? " .." : "");
        out.append(String.format("%06x  %-51s %s%s%n", from, hex, "  ".repeat(depth), text));
    }

    /** Adds {@code more} to the end of the last line. */
    public void amend(String more) {
        out.setLength(out.length() - System.lineSeparator().length());
        out.append(more).append(System.lineSeparator());
    }

    /** The annotation so far. */
    @Override
    public String toString() {
        return out.toString();
    }
}
