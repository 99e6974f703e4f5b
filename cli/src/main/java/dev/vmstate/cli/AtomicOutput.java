package dev.vmstate.cli;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An output file written to a temporary sibling and renamed over the target only by
 * {@link #commit()}, so a command that fails half way leaves no half-written file (and an
 * existing file untouched). {@code -} stands for standard output, which is flushed, not closed.
 *
 * <p>Not thread-safe.
 */
final class AtomicOutput implements AutoCloseable {
    private final String name;
    private final Path target;
    private final Path temp;
    private final CountingStream stream;
    private boolean committed;

    private AtomicOutput(String name, Path target, Path temp, OutputStream out) {
        this.name = name;
        this.target = target;
        this.temp = temp;
        this.stream = new CountingStream(new BufferedOutputStream(out, 64 * 1024));
    }

    /** Opens {@code out}: a path, or {@code -} for {@code stdout}. */
    static AtomicOutput open(String out, OutputStream stdout) throws IOException {
        if (out.equals("-")) {
            return new AtomicOutput("standard output", null, null, new FilterOutputStream(stdout) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            });
        }
        Path target = Path.of(out).toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new FileSystemException(out, null, "is a directory");
        }
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            throw new FileSystemException(out, null, "its directory does not exist");
        }
        Path temp;
        try {
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
        } catch (AccessDeniedException e) {
            // name the file asked for, not the temporary one
            throw new AccessDeniedException(out, null, "cannot create a file in its directory");
        } catch (IOException e) {
            throw new FileSystemException(out, null, "cannot create a file in its directory");
        }
        try {
            return new AtomicOutput(out, target, temp, Files.newOutputStream(temp));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** The output's name for messages: the path as given, or "standard output". */
    String name() {
        return name;
    }

    /** Where to write; closing it is {@link #commit()}'s job. */
    OutputStream stream() {
        return stream;
    }

    /** Bytes written so far. */
    long count() {
        return stream.count;
    }

    /** Flushes and puts the file in place. */
    void commit() throws IOException {
        stream.close();
        if (temp != null) {
            try {
                // createTempFile makes the file private; an output file is an ordinary one.
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep what it gave
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        committed = true;
    }

    /** Without {@link #commit()}: discards what was written. */
    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        try {
            stream.close();
        } catch (IOException e) {
            // the output is being discarded; the error that got us here is the one to report
        } finally {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
