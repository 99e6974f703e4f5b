package dev.vmstate.format.json;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.spi.FormatCapabilities;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import java.io.OutputStream;

/**
 * The {@code json} wire format: a whole stream as one JSON object, human-readable for dump and
 * diff, and lossless, so legacy → json → legacy is byte-identical. The envelope is the object's
 * first member ({@code "vmstate"}), the records follow one per line in {@code "records"}, and
 * each device section carries its schema, so a reader needs nothing else. Specified in
 * {@code docs/formats/json.md}.
 *
 * <p>Registered in {@code META-INF/services/dev.vmstate.spi.WireFormat}. Stateless and
 * thread-safe; the readers and writers it opens are not.
 *
 * @since 0.1
 */
public final class JsonFormat implements WireFormat {
    private static final FormatCapabilities CAPABILITIES = new FormatCapabilities(true, true, true, true);
    private static final byte[] PREFIX = ("\"" + JsonConstants.VMSTATE + "\"").getBytes(
            java.nio.charset.StandardCharsets.US_ASCII);

    /** The service loader's constructor. */
    public JsonFormat() {
    }

    @Override
    public String name() {
        return JsonConstants.FORMAT;
    }

    @Override
    public FormatCapabilities capabilities() {
        return CAPABILITIES;
    }

    /**
     * True when {@code head} starts with an opening brace and the member name {@code "vmstate"},
     * with optional JSON whitespace before and after the brace. Cheap, and never throws.
     */
    @Override
    public boolean sniff(byte[] head, int length) {
        if (head == null) {
            return false;
        }
        int n = Math.min(length, head.length);
        int i = skipWhitespace(head, 0, n);
        if (i >= n || head[i] != '{') {
            return false;
        }
        i = skipWhitespace(head, i + 1, n);
        if (n - i < PREFIX.length) {
            return false;
        }
        for (int k = 0; k < PREFIX.length; k++) {
            if (head[i + k] != PREFIX[k]) {
                return false;
            }
        }
        return true;
    }

    private static int skipWhitespace(byte[] b, int i, int n) {
        while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
            i++;
        }
        return i;
    }

    @Override
    public StreamWriter openWriter(OutputStream out, WriteOptions options) {
        return new JsonStreamWriter(out, options);
    }

    @Override
    public StreamReader openReader(ByteSource in, ReadOptions options) {
        return new JsonStreamReader(in, options);
    }

    @Override
    public String toString() {
        return "JsonFormat[" + CAPABILITIES.summary() + "]";
    }
}
