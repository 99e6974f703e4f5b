package dev.vmstate.binary;

import dev.vmstate.error.Errors;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.StreamIoException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * Big-endian reads from a {@link ByteBuffer}, refilled from a channel when one backs it, with the
 * absolute offset of every byte so that errors can say where they are. A stream never has to fit
 * in memory: only a window of it is buffered.
 *
 * <p>Large reads ({@link #readBytes(int)}) grow their result while reading instead of allocating
 * the declared length up front, so a hostile length fails on the missing bytes, not on the heap.
 *
 * <p>Not thread-safe.
 *
 * @since 0.1
 */
public final class ByteSource {
    /** Arrays above this size are grown while reading rather than allocated from a declared length. */
    static final int EAGER_ALLOCATION_LIMIT = 64 * 1024;

    /** Window of a file source: large enough that refills are rare, small beside any heap. */
    static final int FILE_WINDOW = 1024 * 1024;

    private final ReadableByteChannel channel;
    /** Set for a file source: a skip past the window moves the file position instead of reading. */
    private final FileChannel file;
    private ByteBuffer buf;
    private long base;
    private boolean eof;

    private ByteSource(ByteBuffer buf, ReadableByteChannel channel) {
        this.buf = buf.order(ByteOrder.BIG_ENDIAN);
        this.channel = channel;
        this.file = null;
        this.eof = channel == null;
    }

    private ByteSource(FileChannel file, long start) {
        this.channel = file;
        this.file = file;
        // direct: a read from a file into a heap buffer copies twice, through a JDK-internal direct one
        this.buf = ByteBuffer.allocateDirect(FILE_WINDOW).order(ByteOrder.BIG_ENDIAN);
        this.buf.limit(0);
        this.base = start;
        this.eof = false;
    }

    /** Reads {@code bytes} from its position to its limit; the buffer is not copied and must not change. */
    public static ByteSource of(ByteBuffer bytes) {
        return new ByteSource(bytes.slice(), null);
    }

    public static ByteSource of(byte[] bytes) {
        return new ByteSource(ByteBuffer.wrap(bytes), null);
    }

    /** Reads from {@code channel} through a window of {@code windowSize} bytes. */
    public static ByteSource of(ReadableByteChannel channel, int windowSize) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(512, windowSize));
        b.limit(0);
        return new ByteSource(b, channel);
    }

    /**
     * Reads a file from its current position through a {@value #FILE_WINDOW}-byte direct window:
     * one copy out of the page cache, and {@link #skip} moves the file position past data beyond the
     * window instead of reading it. (Mapping the file was tried: on overlay file systems every
     * 4 KiB page costs its own page fault, which made a 1 GiB stream slower to read, not faster.)
     * The channel must stay open while the source is used; closing it is the caller's business.
     *
     * @throws StreamIoException when the position cannot be read
     */
    public static ByteSource of(FileChannel file) {
        try {
            return new ByteSource(file, file.position());
        } catch (IOException e) {
            throw new StreamIoException("cannot read the file position: " + e.getMessage(), e);
        }
    }

    /** Reads from {@code in} through a 64 KiB window. */
    public static ByteSource of(InputStream in) {
        return of(Channels.newChannel(in), 64 * 1024);
    }

    /** Absolute offset of the next byte to be read. */
    public long position() {
        return base + buf.position();
    }

    /**
     * Makes at least {@code n} (at most the window size) bytes available; returns how many are
     * available, fewer only at the end of input.
     */
    private int fill(int n) {
        if (eof || buf.remaining() >= n) {
            return buf.remaining();
        }
        base += buf.position();
        buf.compact();
        try {
            while (buf.position() < n && buf.position() < buf.capacity()) {
                if (channel.read(buf) < 0) {
                    eof = true;
                    break;
                }
            }
        } catch (IOException e) {
            throw (StreamIoException) new StreamIoException("read failed: " + e.getMessage(), e)
                    .atOffset(base + buf.position());
        } finally {
            buf.flip();
        }
        return buf.remaining();
    }

    private void require(int n) {
        if (buf.remaining() < n && fill(n) < n) {
            throw (MalformedStreamException) Errors.truncated(n, buf.remaining()).atOffset(position());
        }
    }

    /** True when no byte is left. */
    public boolean atEnd() {
        return buf.remaining() == 0 && fill(1) == 0;
    }

    /** The next byte (0..255) without consuming it, or -1 at the end of input. */
    public int peekU8() {
        return atEnd() ? -1 : buf.get(buf.position()) & 0xFF;
    }

    /** The byte {@code ahead} places after the next one without consuming anything, or -1 past the end. */
    public int peekU8(int ahead) {
        if (buf.remaining() <= ahead && fill(ahead + 1) <= ahead) {
            return -1;
        }
        return buf.get(buf.position() + ahead) & 0xFF;
    }

    public int readU8() {
        require(1);
        return buf.get() & 0xFF;
    }

    public int readBe16() {
        require(2);
        return buf.getShort() & 0xFFFF;
    }

    public int readBe32() {
        require(4);
        return buf.getInt();
    }

    public long readBe64() {
        require(8);
        return buf.getLong();
    }

    /** Reads exactly {@code dst.length} bytes into {@code dst}. */
    public void readFully(byte[] dst) {
        readFully(dst, 0, dst.length);
    }

    public void readFully(byte[] dst, int off, int len) {
        if (len <= buf.remaining() && buf.hasArray()) {
            // the common case, a small read inside the window: one arraycopy, none of ByteBuffer's checks
            int p = buf.position();
            System.arraycopy(buf.array(), buf.arrayOffset() + p, dst, off, len);
            buf.position(p + len);
            return;
        }
        while (len > 0) {
            int avail = buf.remaining();
            if (avail == 0) {
                avail = fill(1);
                if (avail == 0) {
                    throw (MalformedStreamException) Errors.truncated(len, 0).atOffset(position());
                }
            }
            int n = Math.min(avail, len);
            buf.get(dst, off, n);
            off += n;
            len -= n;
        }
    }

    /**
     * Reads {@code len} bytes into a new array. Above 64 KiB the array grows as bytes arrive, so a
     * declared length larger than the input costs no more memory than the input itself.
     */
    public byte[] readBytes(int len) {
        if (len < 0) {
            throw (MalformedStreamException) new MalformedStreamException("negative length " + len).atOffset(position());
        }
        if (len <= EAGER_ALLOCATION_LIMIT) {
            byte[] b = new byte[len];
            readFully(b);
            return b;
        }
        long start = position();
        byte[] b = new byte[EAGER_ALLOCATION_LIMIT];
        int have = 0;
        while (have < len) {
            if (have == b.length) {
                b = Arrays.copyOf(b, (int) Math.min(len, (long) b.length * 2));
            }
            int avail = buf.remaining() > 0 ? buf.remaining() : fill(1);
            if (avail == 0) {
                throw (MalformedStreamException) new MalformedStreamException("unexpected end of input: needed "
                        + len + " byte(s), " + have + " left").atOffset(start);
            }
            int n = Math.min(avail, Math.min(len - have, b.length - have));
            buf.get(b, have, n);
            have += n;
        }
        return b;
    }

    /**
     * Copies up to {@code len} bytes into {@code dst}: what the window holds, refilling it once
     * when it is empty. Returns the count, or -1 at the end of input; never waits for more than one
     * refill, so it suits adapters to {@link java.io.InputStream}.
     */
    public int readAvailable(byte[] dst, int off, int len) {
        if (len == 0) {
            return 0;
        }
        int avail = buf.remaining() > 0 ? buf.remaining() : fill(1);
        if (avail == 0) {
            return -1;
        }
        int n = Math.min(avail, len);
        buf.get(dst, off, n);
        return n;
    }

    /** Skips {@code n} bytes; a file source moves past those beyond its window without reading them. */
    public void skip(long n) {
        if (file != null && n > buf.remaining()) {
            long target = position() + n;
            try {
                long size = file.size();
                if (target > size) {
                    throw (MalformedStreamException) Errors.truncated(n, size - position()).atOffset(position());
                }
                file.position(target);
            } catch (IOException e) {
                throw (StreamIoException) new StreamIoException("read failed: " + e.getMessage(), e).atOffset(position());
            }
            base = target;
            buf.clear().limit(0);
            eof = false;
            return;
        }
        while (n > 0) {
            int avail = buf.remaining() > 0 ? buf.remaining() : fill(1);
            if (avail == 0) {
                throw (MalformedStreamException) Errors.truncated(n, 0).atOffset(position());
            }
            int k = (int) Math.min(avail, n);
            buf.position(buf.position() + k);
            n -= k;
        }
    }
}
