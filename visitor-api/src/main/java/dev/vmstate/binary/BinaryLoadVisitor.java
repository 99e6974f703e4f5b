package dev.vmstate.binary;

import dev.vmstate.error.Errors;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VersionException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Loads an object from a vmstate body written by {@link BinarySaveVisitor}. Every declared length
 * is checked against {@link ReadLimits} before anything is allocated for it, and every error
 * carries the field path and the offset of the first byte of the offending item.
 *
 * <p>A section is taken as present when the next bytes are the subsection marker followed by its
 * exact name, as QEMU's loader peeks them. Scalars allocate nothing. One instance per walk; not
 * thread-safe.
 *
 * @since 0.1
 */
public final class BinaryLoadVisitor implements Visitor {
    private final ByteSource in;
    private final ReadLimits limits;
    private int depth;

    public BinaryLoadVisitor(ByteSource in, ReadLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    private VmstateException at(VmstateException e, String name, long offset) {
        return e.atOffset(offset).prependField(name);
    }

    @Override
    public boolean bool(String name, boolean value) {
        long at = in.position();
        try {
            int b = in.readU8();
            if (b > 1) {
                throw new MalformedStreamException(String.format("invalid bool 0x%02X, expected 0x00 or 0x01", b));
            }
            return b == 1;
        } catch (VmstateException e) {
            throw at(e, name, at);
        }
    }

    @Override
    public int i8(String name, int value) {
        try {
            return (byte) in.readU8();
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public int i16(String name, int value) {
        try {
            return (short) in.readBe16();
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public int i32(String name, int value) {
        try {
            return in.readBe32();
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public long i64(String name, long value) {
        try {
            return in.readBe64();
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public int u8(String name, int value) {
        try {
            return in.readU8();
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public int u16(String name, int value) {
        try {
            return in.readBe16();
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public long u32(String name, long value) {
        try {
            return in.readBe32() & 0xFFFF_FFFFL;
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public long u64(String name, long value) {
        try {
            return in.readBe64();
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public double f64(String name, double value) {
        try {
            return Double.longBitsToDouble(in.readBe64());
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public String str(String name, String value) {
        long at = in.position();
        try {
            long len = in.readBe32() & 0xFFFF_FFFFL;
            limits.checkStringLength(len);
            byte[] b = in.readBytes((int) len);
            boolean ascii = true;
            for (int i = 0; i < b.length && ascii; i++) {
                ascii = b[i] >= 0;
            }
            if (ascii) {
                return new String(b, StandardCharsets.ISO_8859_1); // no decoder for the common case
            }
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                throw new MalformedStreamException("string is not valid UTF-8");
            }
        } catch (VmstateException e) {
            throw at(e, name, at);
        }
    }

    @Override
    public byte[] bytes(String name, byte[] value) {
        long at = in.position();
        try {
            long len = in.readBe32() & 0xFFFF_FFFFL;
            limits.checkBytesLength(len);
            if (value != null && value.length == len) {
                in.readFully(value); // same length as before: keep the device's array
                return value;
            }
            return in.readBytes((int) len);
        } catch (VmstateException e) {
            throw at(e, name, at);
        }
    }

    @Override
    public byte[] buffer(String name, byte[] value, int size) {
        try {
            byte[] dst = value != null && value.length == size ? value : in.readBytes(size);
            if (dst == value) {
                in.readFully(dst);
            }
            return dst;
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    private void elements(Kind element, long[] dst, int from, int to) {
        boolean signed = element == Kind.I8 || element == Kind.I16 || element == Kind.I32;
        for (int i = from; i < to; i++) {
            dst[i] = switch (element.width()) {
                case 1 -> signed ? (byte) in.readU8() : in.readU8();
                case 2 -> signed ? (short) in.readBe16() : in.readBe16();
                case 4 -> signed ? in.readBe32() : in.readBe32() & 0xFFFF_FFFFL;
                default -> in.readBe64();
            };
        }
    }

    @Override
    public long[] array(String name, Kind element, long[] values) {
        try {
            elements(element, values, 0, values.length);
            return values;
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public long[] varray(String name, Kind element, long[] values) {
        long at = in.position();
        try {
            long n = in.readBe32() & 0xFFFF_FFFFL;
            limits.checkListLength(n);
            if (values != null && values.length == n) {
                elements(element, values, 0, values.length);
                return values;
            }
            // Grow with the input rather than trusting the declared count.
            long[] out = new long[(int) Math.min(n, 8192)];
            int have = 0;
            while (have < n) {
                if (have == out.length) {
                    out = Arrays.copyOf(out, (int) Math.min(n, (long) out.length * 2));
                }
                elements(element, out, have, out.length);
                have = out.length;
            }
            return out;
        } catch (VmstateException e) {
            throw at(e, name, at);
        }
    }

    private void nested(Visitable value) {
        depth++;
        try {
            limits.checkDepth(depth);
            value.visit(this);
        } finally {
            depth--;
        }
    }

    @Override
    public <T extends Visitable> T struct(String name, T value) {
        try {
            nested(value);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        return value;
    }

    @Override
    public <T extends Visitable> T[] structs(String name, T[] values) {
        for (int i = 0; i < values.length; i++) {
            try {
                nested(values[i]);
            } catch (VmstateException e) {
                throw e.prependIndex(i).prependField(name);
            }
        }
        return values;
    }

    @Override
    public <T extends Visitable> List<T> list(String name, List<T> values, Supplier<T> factory) {
        long at = in.position();
        long n;
        try {
            n = in.readBe32() & 0xFFFF_FFFFL;
            limits.checkListLength(n);
        } catch (VmstateException e) {
            throw at(e, name, at);
        }
        // Entries the device already has are loaded in place; only the rest come from the factory.
        boolean reuse = values != null && values.size() == n;
        List<T> out = reuse ? values : new ArrayList<>((int) Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            T item = reuse ? values.get(i) : factory.get();
            try {
                nested(item);
            } catch (VmstateException e) {
                throw e.prependIndex(i).prependField(name);
            }
            if (!reuse) {
                out.add(item);
            }
        }
        return out;
    }

    @Override
    public long enumCode(String name, long code, Map<Long, String> names) {
        long at = in.position();
        long read;
        try {
            read = in.readBe32() & 0xFFFF_FFFFL;
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        if (!names.containsKey(read)) {
            throw Errors.unknownEnumCode(name, read, "enum of " + names.keySet()).atOffset(at);
        }
        return read;
    }

    @Override
    public boolean section(String name, int version, boolean needed, Visitable body) {
        if (!nextIsSection(name)) {
            return false;
        }
        long at = in.position();
        try {
            in.skip(2 + nameLength(name));
            long v = in.readBe32() & 0xFFFF_FFFFL;
            if (v > version) {
                throw new VersionException("section version " + v + " is newer than the supported " + version);
            }
            nested(body);
        } catch (VmstateException e) {
            throw at(e, name, at);
        }
        return true;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static int nameLength(String name) {
        return isAscii(name) ? name.length() : name.getBytes(StandardCharsets.UTF_8).length;
    }

    private boolean nextIsSection(String name) {
        if (in.peekU8() != BinarySaveVisitor.SUBSECTION) {
            return false;
        }
        if (isAscii(name)) {
            // section names are constants, almost always ASCII: compare without encoding them
            if (in.peekU8(1) != name.length()) {
                return false;
            }
            for (int i = 0; i < name.length(); i++) {
                if (in.peekU8(2 + i) != name.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (in.peekU8(1) != n.length) {
            return false;
        }
        for (int i = 0; i < n.length; i++) {
            if (in.peekU8(2 + i) != (n[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isInput() {
        return true;
    }
}
