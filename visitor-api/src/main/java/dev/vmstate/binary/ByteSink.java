package dev.vmstate.binary;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer for writers, named after the wire encoding as QEMU's
 * {@code qemu_put_be32} and protobuf's {@code writeFixed32} are. Writing a scalar allocates
 * nothing once the buffer has grown to its working size.
 *
 * <p>Not thread-safe.
 *
 * @since 0.1
 */
public final class ByteSink {
    private static final VarHandle BE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] buf;
    private int pos;

    public ByteSink() {
        this(256);
    }

    public ByteSink(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int n) {
        if (buf.length - pos < n) {
            long want = Math.max((long) buf.length * 2, (long) pos + n);
            if (want > Integer.MAX_VALUE - 16) {
                throw new dev.vmstate.error.StreamWriteException("output above 2 GiB does not fit one ByteSink");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    public ByteSink writeU8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    public ByteSink writeBe16(int v) {
        ensure(2);
        BE16.set(buf, pos, (short) v);
        pos += 2;
        return this;
    }

    public ByteSink writeBe32(int v) {
        ensure(4);
        BE32.set(buf, pos, v);
        pos += 4;
        return this;
    }

    public ByteSink writeBe64(long v) {
        ensure(8);
        BE64.set(buf, pos, v);
        pos += 8;
        return this;
    }

    public ByteSink writeBytes(byte[] b) {
        return writeBytes(b, 0, b.length);
    }

    public ByteSink writeBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        return this;
    }

    /** Bytes written so far. */
    public int size() {
        return pos;
    }

    /** Forgets what was written and keeps the capacity, for reuse. */
    public void reset() {
        pos = 0;
    }

    /** Writes what was written so far to {@code out}, without copying. */
    public void writeTo(java.io.OutputStream out) throws java.io.IOException {
        out.write(buf, 0, pos);
    }

    /** A copy of bytes {@code from} (inclusive) to {@code to} (exclusive) of what was written. */
    public byte[] copy(int from, int to) {
        return Arrays.copyOfRange(buf, from, to);
    }

    /** A copy of what was written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** A read-only view of what was written; valid until the next write or reset. */
    public ByteBuffer view() {
        return ByteBuffer.wrap(buf, 0, pos).asReadOnlyBuffer();
    }
}
