package dev.vmstate.spi;

import dev.vmstate.binary.ByteSource;
import java.io.OutputStream;

/**
 * A wire format: the entry point a format module registers (in
 * {@code META-INF/services/dev.vmstate.spi.WireFormat}, or as a jar in the plugin directory).
 * It recognises its own streams from their first bytes and opens writers and readers of whole
 * streams of {@link dev.vmstate.stream.StreamRecord}s.
 *
 * <p>Implementations must be stateless and thread-safe and have a public no-argument constructor;
 * the writers and readers they open are not thread-safe. See {@code docs/guides/format-author.md}.
 *
 * @since 0.1
 */
public interface WireFormat {
    /** The format's name on the command line and in the envelope: lower case, e.g. {@code legacy}, {@code json}. */
    String name();

    /** What the format can do. */
    FormatCapabilities capabilities();

    /**
     * Whether {@code head} (the first bytes of a stream, up to 64, fewer if the stream is shorter)
     * starts a stream of this format. Must not throw.
     */
    boolean sniff(byte[] head, int length);

    /** A writer of one stream onto {@code out}; closing the writer flushes but does not close {@code out}. */
    StreamWriter openWriter(OutputStream out, WriteOptions options);

    /** A reader of one stream from {@code in}. */
    StreamReader openReader(ByteSource in, ReadOptions options);

    /**
     * Completes {@code options} from a whole stream in a file before it is read from the start:
     * a schema-less format whose description trailer sits at the end (legacy) finds it here and
     * adds it with {@link ReadOptions#withDescription}. The default changes nothing.
     */
    default ReadOptions prepare(java.nio.channels.SeekableByteChannel file, ReadOptions options) {
        return options;
    }
}
