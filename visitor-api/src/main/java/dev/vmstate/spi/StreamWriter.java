package dev.vmstate.spi;

import dev.vmstate.stream.StreamRecord;

/**
 * Writes one stream, record by record, in the order of {@link StreamRecord}'s contract: a header
 * first, an {@code EndOfState} before the optional description. A record out of order is a
 * {@link dev.vmstate.error.StreamWriteException}. Nothing is buffered beyond one section, so a
 * stream of any size can be written.
 *
 * <p>Not thread-safe.
 *
 * @since 0.1
 */
public interface StreamWriter extends AutoCloseable {
    void write(StreamRecord record);

    /** Flushes what was written; does not close the underlying output. */
    @Override
    void close();
}
