package dev.vmstate.format.protobuf;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.vmstate.internal.Utf8;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Protobuf wire encoding into a reused, growing byte array: tags, varints, ZigZag, fixed64,
 * length-delimited values, and whole generated messages. The writer encodes a whole record here
 * first and hands the bytes to the output only when it succeeded, so a refused record leaves the
 * output untouched.
 *
 * <p>#5: {@code CodedOutputStream} needs a message's length before its content, which generated
 * code gets from a first sizing pass; a visitor cannot size a device without visiting it twice.
 * Here {@link #begin()} reserves one byte for the length and {@link #end(int)} writes it once the
 * content is known, moving the content up in the rare case the length needs more than one byte.
 * The output is byte for byte what protobuf-java writes for the same fields: shortest varints,
 * little-endian fixed64, UTF-8.
 *
 * <p>Not thread-safe.
 */
final class ProtoOut {
    private byte[] buf;
    private int len;

    ProtoOut(byte[] buf) {
        this.buf = buf;
    }

    void reset() {
        len = 0;
    }

    /** Takes back everything after the first {@code mark} bytes: a record refused half-way. */
    void truncate(int mark) {
        len = mark;
    }

    int length() {
        return len;
    }

    byte[] buffer() {
        return buf;
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    /** Bytes of the varint of {@code v}, taken as unsigned: 1 to 10. */
    static int varintSize(long v) {
        // 64 - leading zeros = significant bits; 7 per byte, at least one byte
        return ((63 - Long.numberOfLeadingZeros(v | 1)) / 7) + 1;
    }

    /** A varint of {@code v}, taken as unsigned 64-bit. */
    void uvarint(long v) {
        if ((v & ~0x7FL) == 0 && len < buf.length) {
            // one byte: most tags, lengths and small values
            buf[len++] = (byte) v;
            return;
        }
        ensure(10);
        byte[] b = buf;
        int p = len;
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        len = p;
    }

    void tag(int field, int wireType) {
        uvarint(ProtobufConstants.tag(field, wireType));
    }

    /** A signed value as {@code sint64}: ZigZag, so small magnitudes of either sign are short. */
    void sint64(long v) {
        uvarint((v << 1) ^ (v >> 63));
    }

    /** An {@code int32}: a negative value sign-extended to 64 bits, as protobuf writes it (10 bytes). */
    void int32(int v) {
        uvarint(v);
    }

    void fixed64(long v) {
        ensure(8);
        byte[] b = buf;
        int p = len;
        for (int s = 0; s < 64; s += 8) {
            b[p++] = (byte) (v >>> s);
        }
        len = p;
    }

    /** A length-delimited byte string: its length, then its bytes. */
    void bytes(byte[] v) {
        uvarint(v.length);
        raw(v, 0, v.length);
    }

    void raw(byte[] v, int from, int n) {
        ensure(n);
        System.arraycopy(v, from, buf, len, n);
        len += n;
    }

    /** A length-delimited string as UTF-8; fails on an unpaired surrogate, which UTF-8 cannot carry. */
    void string(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && s.charAt(i) < 0x80) {
            i++;
        }
        if (i == n) {
            // ASCII, the common case: one byte per char, no encoder and no copy.
            uvarint(n);
            ensure(n);
            byte[] b = buf;
            int p = len;
            for (int k = 0; k < n; k++) {
                b[p++] = (byte) s.charAt(k);
            }
            len = p;
            return;
        }
        checkText(s);
        bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Fails unless {@code s} can be UTF-8: no unpaired surrogate, which the JDK and protobuf-java would turn into '?'. */
    static void checkText(String s) {
        int bad = Utf8.unpairedSurrogate(s);
        if (bad >= 0) {
            throw ProtobufErrors.writeSurrogate(s.charAt(bad));
        }
    }

    /** Opens a length-delimited value: reserves one byte for its length. Returns the mark {@link #end} takes. */
    int begin() {
        ensure(1);
        return len++;
    }

    /** Closes the value opened at {@code mark}: writes its length there, in as many bytes as it needs. */
    void end(int mark) {
        int n = len - mark - 1;
        if (n < 0x80) {
            buf[mark] = (byte) n;
            return;
        }
        int size = varintSize(n);
        ensure(size - 1);
        System.arraycopy(buf, mark + 1, buf, mark + size, n);
        len += size - 1;
        int p = mark;
        long v = n;
        while ((v & ~0x7FL) != 0) {
            buf[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[p] = (byte) v;
    }

    /** A generated message, length-delimited: its serialized size, then protobuf-java's own serialization of it. */
    void delimited(MessageLite m) {
        int size = m.getSerializedSize();
        uvarint(size);
        ensure(size);
        CodedOutputStream out = CodedOutputStream.newInstance(buf, len, size);
        try {
            m.writeTo(out);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            // an array encoder sized by getSerializedSize has no I/O to fail
            throw new IllegalStateException("protobuf-java wrote other than its serialized size", e);
        }
        len += size;
    }
}
