package dev.vmstate.cli;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.VmstateException;
import dev.vmstate.spi.Formats;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.stream.StreamRecord;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * An input stream of records: a file (or {@code -} for standard input), its format (given, or
 * detected from the first {@value #HEAD} bytes), and a reader over a window of it, so the file
 * is never read whole. For a file, {@link WireFormat#prepare} runs first: that is how a format
 * whose description trailer sits at the end (legacy) finds it. Every {@link VmstateException} of
 * the reader comes out as a {@link BadStreamException} naming the file.
 *
 * <p>Not thread-safe.
 */
final class StreamInput implements AutoCloseable {
    /** How many leading bytes a format sniffs. */
    static final int HEAD = 64;
    private static final int WINDOW = 64 * 1024;

    private final String name;
    private final WireFormat format;
    private final FileChannel channel;
    private final StreamReader reader;

    private StreamInput(String name, WireFormat format, FileChannel channel, StreamReader reader) {
        this.name = name;
        this.format = format;
        this.channel = channel;
        this.reader = reader;
    }

    /**
     * Opens {@code in}.
     *
     * @param forced  the format to read with, or {@code null} to detect it
     * @param options limits, schemas and targets; a file's format may complete them
     * @throws IOException when the file is missing, unreadable or a directory
     */
    static StreamInput open(String in, Formats formats, WireFormat forced, ReadOptions options, InputStream stdin)
            throws IOException {
        if (in.equals("-")) {
            BufferedInputStream bin = new BufferedInputStream(stdin, WINDOW);
            bin.mark(HEAD);
            byte[] head = new byte[HEAD];
            int n = bin.readNBytes(head, 0, HEAD);
            bin.reset();
            WireFormat f = guard("standard input", forced, () -> forced != null ? forced : formats.detect(head, n));
            StreamReader r = guard("standard input", f, () -> f.openReader(ByteSource.of(bin), options));
            return new StreamInput("standard input", f, null, r);
        }
        Path path = Path.of(in);
        if (Files.isDirectory(path)) {
            throw new FileSystemException(in, null, "is a directory, not a stream");
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            ByteBuffer head = ByteBuffer.allocate(HEAD);
            while (head.hasRemaining() && ch.read(head) >= 0) {
                // a channel may return fewer bytes than asked; a file ends with -1
            }
            int n = head.position();
            WireFormat f = guard(in, forced, () -> forced != null ? forced : formats.detect(head.array(), n));
            ReadOptions prepared = guard(in, f, () -> f.prepare(ch, options));
            ch.position(0);
            // a file source seeks past what is skipped
            StreamReader r = guard(in, f, () -> f.openReader(ByteSource.of(ch), prepared));
            return new StreamInput(in, f, ch, r);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static <T> T guard(String name, WireFormat f, Supplier<T> action) {
        try {
            return action.get();
        } catch (VmstateException e) {
            throw wrap(name, f, e);
        }
    }

    private static BadStreamException wrap(String name, WireFormat f, VmstateException e) {
        if (e.format() == null && f != null) {
            e.inFormat(f.name());
        }
        return new BadStreamException(name, e);
    }

    /** The file name, or "standard input". */
    String name() {
        return name;
    }

    WireFormat format() {
        return format;
    }

    /** The next record, or {@code null} after the last one. */
    /** The source's envelope (after the first record), or {@code null}. */
    dev.vmstate.spi.Envelope envelope() {
        return reader.envelope();
    }

    StreamRecord next() {
        try {
            return reader.next();
        } catch (VmstateException e) {
            throw wrap(name, format, e);
        }
    }

    /** Bytes read so far. */
    long position() {
        return reader.position();
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
        } catch (VmstateException e) {
            throw wrap(name, format, e);
        } finally {
            if (channel != null) {
                channel.close();
            }
        }
    }
}
