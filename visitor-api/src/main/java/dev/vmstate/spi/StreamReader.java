package dev.vmstate.spi;

import dev.vmstate.stream.StreamRecord;

/**
 * Reads one stream, record by record (pull-based): only the current record is in memory. Device
 * sections are loaded into the object {@link ReadOptions#targets()} chooses, or into a
 * {@link dev.vmstate.tree.GenericState}. Every read obeys {@link ReadOptions#limits()}; bad input
 * is a {@link dev.vmstate.error.VmstateException} with the section and byte offset.
 *
 * <p>Not thread-safe.
 *
 * @since 0.1
 */
public interface StreamReader extends AutoCloseable {
    /** The next record, or {@code null} after the last one. */
    StreamRecord next();

    /** Offset of the next unread byte from the start of the stream. */
    long position();

    /**
     * The stream's envelope once the first record has been read, or {@code null} for a format
     * without one; lets a conversion keep the source's features (CRC32C) and schema fingerprint.
     */
    default Envelope envelope() {
        return null;
    }

    @Override
    default void close() {
    }
}
