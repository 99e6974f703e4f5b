package dev.vmstate.format.cbor;

import dev.vmstate.error.Errors;
import dev.vmstate.error.VersionException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Loads a device's state straight from the compact arrays of {@code docs/formats/cbor.md} §3 into
 * the target's visit: each call of the target takes the next member of the stream's schema,
 * which must have the same name and kind; the value is decoded from the framed item's bytes. The
 * {@link ItemFramer} has already checked well-formedness, preferred serialization, UTF-8 and every
 * length against {@link ReadLimits}, so what is checked here is the layout: types, counts equal
 * to the schema's member count, fixed lengths, ranges, enum codes and section versions. Every
 * error carries the field path and the absolute offset of the offending value.
 *
 * <p>Buffers, fixed arrays and lists of the right length are loaded in place, as
 * {@link dev.vmstate.binary.BinaryLoadVisitor} does. Scalars allocate nothing. One instance per
 * reader, {@linkplain #reset reset} for each section; not thread-safe.
 */
final class CborLoadVisitor implements Visitor {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private byte[] buf;
    private long base;
    private final ReadLimits limits;
    private int pos;
    private Schema[] schemas = new Schema[16];
    private int[] indexes = new int[16];
    private int top;
    private Schema schema;
    private int index;
    /** The versions of the present sections, in visit order: a generic target would lose them. */
    private int[] versions = new int[4];
    private int sectionCount;
    private boolean olderSection;

    /** Reads from {@code buf} at {@code pos}; {@code base} is the absolute offset of {@code buf[0]}. */
    CborLoadVisitor(byte[] buf, int pos, long base, ReadLimits limits) {
        this.limits = limits;
        reset(buf, pos, base);
    }

    /** Starts over on another section: reads from {@code buf} at {@code pos}, {@code buf[0]} being at {@code base}. */
    CborLoadVisitor reset(byte[] buf, int pos, long base) {
        this.buf = buf;
        this.pos = pos;
        this.base = base;
        this.top = 0;
        this.schema = null;
        this.index = 0;
        this.sectionCount = 0;
        this.olderSection = false;
        return this;
    }

    /** Loads the state array of {@code s} into {@code target}; returns the position after it. */
    int load(Schema s, Visitable target) {
        open(s, "the state (an array)");
        target.visit(this);
        close();
        return pos;
    }

    /** The versions of the present sections in visit order, or null when all are their schema's. */
    int[] sectionVersions() {
        return olderSection ? Arrays.copyOf(versions, sectionCount) : null;
    }

    // ---------------------------------------------------------------- decoding

    private VmstateException at(VmstateException e, int offset) {
        e.atOffset(base + offset);
        return e;
    }

    private int ib() {
        return buf[pos] & 0xFF;
    }

    /** The argument of the head at {@code pos}, moving past the head. */
    private long arg() {
        int ai = buf[pos] & 0x1F;
        pos++;
        if (ai < 24) {
            return ai;
        }
        int n = 1 << (ai - 24);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | (buf[pos++] & 0xFF);
        }
        return v;
    }

    private VmstateException unexpected(String expected) {
        return at(CborErrors.unexpected(ItemFramer.describe(ib()), expected), pos);
    }

    /** The head of major type {@code major} at {@code pos}: its argument, else "found X, expected {@code what}". */
    private long expect(int major, String what) {
        if (ib() >>> 5 != major) {
            throw unexpected(what);
        }
        return arg();
    }

    private long integer(Kind kind) {
        int at = pos;
        int major = ib() >>> 5;
        if (major > 1) {
            throw unexpected("an integer (" + kind.typeName() + ")");
        }
        long a = arg();
        if (kind == Kind.U64) {
            if (major == 1) {
                throw at(CborErrors.outOfRange(text(major, a), kind.typeName(), "0", "18446744073709551615"), at);
            }
            return a;
        }
        long v = major == 1 ? -1 - a : a;
        if (a < 0 || v < kind.min() || v > kind.max()) {
            throw at(CborErrors.outOfRange(text(major, a), kind.typeName(), Long.toString(kind.min()),
                    Long.toString(kind.max())), at);
        }
        return v;
    }

    /** An integer's value as text, exact at any size: for messages. */
    private static String text(int major, long arg) {
        if (major == 0) {
            return Long.toUnsignedString(arg);
        }
        BigInteger m = BigInteger.valueOf(arg);
        if (arg < 0) {
            m = m.add(TWO_64);
        }
        return m.add(BigInteger.ONE).negate().toString();
    }

    private void open(Schema s, String what) {
        int at = pos;
        long n = expect(4, what);
        if (n != s.members().size()) {
            throw at(CborErrors.lengthMismatch("struct", n, s.members().size()), at);
        }
        if (top > 0 || schema != null) {
            if (top == schemas.length) {
                schemas = Arrays.copyOf(schemas, top * 2);
                indexes = Arrays.copyOf(indexes, top * 2);
            }
            schemas[top] = schema;
            indexes[top] = index;
            top++;
        }
        try {
            limits.checkDepth(top);
        } catch (VmstateException e) {
            throw at(e, at);
        }
        schema = s;
        index = 0;
    }

    /** Ends a struct: members the target did not visit must be absent sections. */
    private void close() {
        List<Field> m = schema.members();
        while (index < m.size()) {
            Field f = m.get(index++);
            if (!f.isSection() || ib() != CborConstants.NULL) {
                throw at(Errors.unknownFields(List.of(f.name())), pos);
            }
            pos++;
        }
        if (top > 0) {
            top--;
            schema = schemas[top];
            index = indexes[top];
            schemas[top] = null;
        } else {
            schema = null;
        }
    }

    /** The stream's member the target visits now; null for a section the stream's schema does not have. */
    private Field member(String name, Kind kind) {
        List<Field> m = schema.members();
        if (index < m.size()) {
            Field f = m.get(index);
            if (f.name().equals(name)) {
                if (f.kind() != kind) {
                    throw at(Errors.kindMismatch(name, f.kind().typeName(), kind.typeName()), pos);
                }
                index++;
                return f;
            }
        }
        if (kind == Kind.SECTION && schema.member(name) == null) {
            return null;
        }
        if (schema.member(name) == null) {
            throw at(Errors.missingField(name), pos);
        }
        throw at(Errors.unknownFields(List.of(m.get(index).name())), pos);
    }

    private long scalar(String name, Kind kind) {
        member(name, kind);
        try {
            return integer(kind);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    // ---------------------------------------------------------------- the visitor

    @Override
    public boolean bool(String name, boolean value) {
        member(name, Kind.BOOL);
        int b = ib();
        if (b == CborConstants.TRUE || b == CborConstants.FALSE) {
            pos++;
            return b == CborConstants.TRUE;
        }
        throw unexpected("a bool (true or false)").prependField(name);
    }

    @Override
    public int i8(String name, int value) {
        return (int) scalar(name, Kind.I8);
    }

    @Override
    public int i16(String name, int value) {
        return (int) scalar(name, Kind.I16);
    }

    @Override
    public int i32(String name, int value) {
        return (int) scalar(name, Kind.I32);
    }

    @Override
    public long i64(String name, long value) {
        return scalar(name, Kind.I64);
    }

    @Override
    public int u8(String name, int value) {
        return (int) scalar(name, Kind.U8);
    }

    @Override
    public int u16(String name, int value) {
        return (int) scalar(name, Kind.U16);
    }

    @Override
    public long u32(String name, long value) {
        return scalar(name, Kind.U32);
    }

    @Override
    public long u64(String name, long value) {
        return scalar(name, Kind.U64);
    }

    @Override
    public double f64(String name, double value) {
        member(name, Kind.F64);
        if (ib() != CborConstants.FLOAT64) {
            throw unexpected("a float64 (0xFB and 8 bytes)").prependField(name);
        }
        pos++;
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = bits << 8 | (buf[pos++] & 0xFF);
        }
        return Double.longBitsToDouble(bits);
    }

    @Override
    public String str(String name, String value) {
        member(name, Kind.STR);
        int n;
        try {
            n = (int) expect(3, "a text string");
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        int from = pos;
        pos += n;
        for (int i = from; i < pos; i++) {
            if (buf[i] < 0) {
                // the framer has checked the UTF-8
                return new String(buf, from, n, StandardCharsets.UTF_8);
            }
        }
        return new String(buf, from, n, StandardCharsets.ISO_8859_1); // ASCII: no decoder
    }

    /** The byte string at {@code pos} into {@code dst} when it has the length, else a new array. */
    private byte[] byteString(byte[] dst, int n) {
        byte[] out = dst != null && dst.length == n ? dst : new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    @Override
    public byte[] bytes(String name, byte[] value) {
        member(name, Kind.BYTES);
        try {
            return byteString(value, (int) expect(2, "a byte string"));
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public byte[] buffer(String name, byte[] value, int size) {
        Field f = member(name, Kind.BUFFER);
        int at = pos;
        try {
            long n = expect(2, "a byte string (buffer[" + f.size() + "])");
            if (n != f.size() || n != size) {
                throw at(CborErrors.lengthMismatch("buffer", n, size), at);
            }
            return byteString(value, (int) n);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    private void integers(Field f, Kind element, long[] dst, int n) {
        if (element != f.element()) {
            throw at(Errors.kindMismatch(f.name(), f.element().typeName() + " array", element.typeName() + " array"),
                    pos);
        }
        for (int i = 0; i < n; i++) {
            try {
                dst[i] = integer(element);
            } catch (VmstateException e) {
                throw e.prependIndex(i);
            }
        }
    }

    @Override
    public long[] array(String name, Kind element, long[] values) {
        Field f = member(name, Kind.ARRAY);
        int at = pos;
        try {
            long n = expect(4, "an array of " + f.element().typeName());
            if (n != f.length() || n != values.length) {
                throw at(CborErrors.lengthMismatch("array", n, values.length), at);
            }
            integers(f, element, values, (int) n);
            return values;
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public long[] varray(String name, Kind element, long[] values) {
        Field f = member(name, Kind.VARRAY);
        try {
            // the framer checked the count against maxListLength and the bytes present: safe to size by
            int n = (int) expect(4, "an array of " + f.element().typeName());
            long[] out = values != null && values.length == n ? values : new long[n];
            integers(f, element, out, n);
            return out;
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    private void nested(Schema s, Visitable v, String what) {
        open(s, what);
        v.visit(this);
        close();
    }

    @Override
    public <T extends Visitable> T struct(String name, T value) {
        Field f = member(name, Kind.STRUCT);
        try {
            if (f.length() != 0) {
                throw at(Errors.kindMismatch(name, "struct array", "struct"), pos);
            }
            nested(f.struct(), value, "a struct (an array)");
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        return value;
    }

    @Override
    public <T extends Visitable> T[] structs(String name, T[] values) {
        Field f = member(name, Kind.STRUCT);
        int at = pos;
        long n;
        try {
            n = expect(4, "a struct array (an array of arrays)");
            if (f.length() == 0 || n != f.length() || n != values.length) {
                throw at(CborErrors.lengthMismatch("struct array", n, values.length), at);
            }
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        for (int i = 0; i < n; i++) {
            try {
                nested(f.struct(), values[i], "a struct (an array)");
            } catch (VmstateException e) {
                throw e.prependIndex(i).prependField(name);
            }
        }
        return values;
    }

    @Override
    public <T extends Visitable> List<T> list(String name, List<T> values, Supplier<T> factory) {
        Field f = member(name, Kind.LIST);
        int n;
        try {
            n = (int) expect(4, "a list (an array of arrays)");
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        // Entries the target already has are loaded in place; only the rest come from the factory.
        boolean reuse = values != null && values.size() == n;
        List<T> out = reuse ? values : new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            T item = reuse ? values.get(i) : factory.get();
            try {
                nested(f.struct(), item, "a struct (an array)");
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
        Field f = member(name, Kind.ENUM);
        int at = pos;
        try {
            long read = integer(Kind.ENUM);
            if (!f.enumNames().containsKey(read) || !names.containsKey(read)) {
                List<Long> codes = new ArrayList<>(f.enumNames().keySet());
                codes.sort(null);
                throw at(CborErrors.unknownEnumCode(read, codes), at);
            }
            return read;
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public boolean section(String name, int version, boolean needed, Visitable body) {
        Field f = member(name, Kind.SECTION);
        if (f == null) {
            return false;
        }
        if (ib() == CborConstants.NULL) {
            pos++;
            return false;
        }
        try {
            int at = pos;
            long n = expect(4, "a section (null, or an array of version and state)");
            if (n != 2) {
                throw at(CborErrors.unexpected("an array of " + n + " entries",
                        "a section (null, or an array of version and state)"), at);
            }
            int versionAt = pos;
            long v = integer(Kind.I32);
            if (v > f.struct().version()) {
                throw at(CborErrors.sectionTooNew(v, f.struct().version()), versionAt);
            }
            if (v > version) {
                throw at(new VersionException("section version " + v + " is newer than the supported " + version),
                        versionAt);
            }
            if (sectionCount == versions.length) {
                versions = Arrays.copyOf(versions, sectionCount * 2);
            }
            versions[sectionCount++] = (int) v;
            olderSection |= v != f.struct().version();
            nested(f.struct(), body, "a section state (an array)");
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        return true;
    }

    @Override
    public boolean isInput() {
        return true;
    }
}
