package dev.vmstate.format.asn1;

import dev.vmstate.error.Errors;
import dev.vmstate.error.VmstateException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Loads a device's state straight from its {@code Struct} ({@code docs/formats/asn1.md} §3) into
 * the target's visit (#5): each call of the target takes the next member of the stream's schema,
 * which must have the same name and kind, and the value is decoded from the framed record by the
 * reader's {@link Asn1In}, which applies the encoding's rules (DER or BER) to every value. What is
 * checked here is the layout: the alternative each member takes, a value per member, fixed
 * lengths, ranges, enum codes and section versions. Every error carries the field path and the
 * absolute offset of the offending value.
 *
 * <p>Buffers, fixed arrays and lists of the right length are loaded in place, as
 * {@link dev.vmstate.binary.BinaryLoadVisitor} does. Scalars allocate nothing. One instance per
 * reader, reused; not thread-safe.
 */
final class Asn1LoadVisitor implements Visitor {
    private final Asn1In in;
    private Schema[] schemas = new Schema[16];
    private int[] indexes = new int[16];
    private int[] ends = new int[16];
    private int top;
    private Schema schema;
    private int index;
    /** The end token of the current struct's SEQUENCE OF Value. */
    private int end;
    /** The versions of the present sections, in visit order: a generic target would lose them. */
    private int[] versions = new int[4];
    private int sectionCount;
    private boolean olderSection;

    Asn1LoadVisitor(Asn1In in) {
        this.in = in;
    }

    /** Loads the {@code Struct} of {@code s} at the cursor, inside the container of {@code parent}, into {@code target}. */
    void load(Schema s, Visitable target, int parent) {
        top = 0;
        schema = null;
        sectionCount = 0;
        olderSection = false;
        end = parent;
        open(s, "the state (a Struct)");
        target.visit(this);
        close();
    }

    /** The versions of the present sections in visit order, or null when all are their schema's. */
    int[] sectionVersions() {
        return olderSection ? Arrays.copyOf(versions, sectionCount) : null;
    }

    // ---------------------------------------------------------------- structure

    private void open(Schema s, String what) {
        int at = in.pos;
        int e = in.open(end, Asn1Constants.SEQUENCE, what);
        if (top > 0 || schema != null) {
            if (top == schemas.length) {
                schemas = Arrays.copyOf(schemas, top * 2);
                indexes = Arrays.copyOf(indexes, top * 2);
                ends = Arrays.copyOf(ends, top * 2);
            }
            schemas[top] = schema;
            indexes[top] = index;
            ends[top] = end;
            top++;
        }
        try {
            in.limits.checkDepth(top);
        } catch (VmstateException x) {
            throw in.at(x, at);
        }
        schema = s;
        index = 0;
        end = e;
    }

    /** Ends a struct: members the target did not visit must be absent sections, and nothing may follow them. */
    private void close() {
        List<Field> m = schema.members();
        while (index < m.size()) {
            Field f = m.get(index++);
            if (!f.isSection() || !in.nullNext(end)) {
                throw in.at(Errors.unknownFields(List.of(f.name())), in.pos);
            }
        }
        if (in.more(end)) {
            throw in.at(Asn1Errors.structTooLong(m.size()), in.pos);
        }
        in.leave(end, "a struct");
        if (top > 0) {
            top--;
            schema = schemas[top];
            index = indexes[top];
            end = ends[top];
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
                    throw in.at(Errors.kindMismatch(name, f.kind().typeName(), kind.typeName()), in.pos);
                }
                if (!in.more(end)) {
                    throw in.at(Asn1Errors.structTooShort(index, m.size()), in.pos);
                }
                index++;
                return f;
            }
        }
        if (kind == Kind.SECTION && schema.member(name) == null) {
            return null;
        }
        if (schema.member(name) == null) {
            throw in.at(Errors.missingField(name), in.pos);
        }
        throw in.at(Errors.unknownFields(List.of(m.get(index).name())), in.pos);
    }

    private long integer(int parent, Kind kind) {
        if (kind == Kind.U64) {
            return in.unsigned64(parent, kind.typeName());
        }
        return in.integer(parent, Asn1Constants.INTEGER, kind.typeName(), kind.min(), kind.max());
    }

    private long scalar(String name, Kind kind) {
        member(name, kind);
        try {
            return integer(end, kind);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    // ---------------------------------------------------------------- the visitor

    @Override
    public boolean bool(String name, boolean value) {
        member(name, Kind.BOOL);
        try {
            return in.bool(end, "a bool (BOOLEAN)");
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
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
        try {
            return in.f64(end, "a float64 (Float64, [APPLICATION 1] of 8 octets)");
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public String str(String name, String value) {
        member(name, Kind.STR);
        try {
            return in.text(end, Asn1Constants.UTF8_STRING, "a string (UTF8String)");
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public byte[] bytes(String name, byte[] value) {
        member(name, Kind.BYTES);
        try {
            return in.bytes(end, Asn1Constants.OCTET_STRING, "bytes (OCTET STRING)", value);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public byte[] buffer(String name, byte[] value, int size) {
        Field f = member(name, Kind.BUFFER);
        try {
            int n = in.string(end, Asn1Constants.OCTET_STRING, "a buffer (OCTET STRING)");
            if (n != f.size() || n != size) {
                throw in.at(Asn1Errors.lengthMismatch("buffer", n, size), in.at);
            }
            byte[] out = value != null && value.length == n ? value : new byte[n];
            System.arraycopy(in.sb, in.soff, out, 0, n);
            return out;
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    /** Opens an IntArray of {@code f}'s element kind; returns its end token. */
    private int intArray(Field f, Kind element) {
        if (element != f.element()) {
            throw in.at(Errors.kindMismatch(f.name(), f.element().typeName() + " array",
                    element.typeName() + " array"), in.pos);
        }
        arrayAt = in.pos;
        return in.open(end, Asn1Constants.INT_ARRAY, "an array of integers (IntArray)");
    }

    private int arrayEnd;
    private int arrayAt;
    /** A varray's values as they are read, before its length is known; reused. */
    private long[] scratch = new long[64];

    @Override
    public long[] array(String name, Kind element, long[] values) {
        Field f = member(name, Kind.ARRAY);
        try {
            int e = intArray(f, element);
            int n = Math.min(f.length(), values.length);
            for (int i = 0; i < n; i++) {
                if (!in.more(e)) {
                    throw in.at(Asn1Errors.lengthMismatch("array", i, values.length), arrayAt);
                }
                values[i] = element(e, element, i);
            }
            if (in.more(e) || n != f.length() || n != values.length) {
                throw in.at(Asn1Errors.lengthMismatch("array", n + in.count(e), values.length), arrayAt);
            }
            in.leave(e, "an IntArray");
            return values;
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    private long element(int e, Kind element, int i) {
        try {
            return integer(e, element);
        } catch (VmstateException x) {
            throw x.prependIndex(i);
        }
    }

    @Override
    public long[] varray(String name, Kind element, long[] values) {
        Field f = member(name, Kind.VARRAY);
        try {
            int e = intArray(f, element);
            // one pass: the values go to a scratch array, which grows only as elements arrive
            int n = 0;
            int max = in.limits.maxListLength();
            long[] s = scratch;
            while (in.more(e)) {
                if (n >= max) {
                    try {
                        in.limits.checkListLength(n + 1L);
                    } catch (VmstateException x) {
                        throw in.at(x, arrayAt);
                    }
                }
                if (n == s.length) {
                    s = scratch = Arrays.copyOf(s, Math.min(max, n * 2));
                }
                s[n] = element(e, element, n);
                n++;
            }
            in.leave(e, "an IntArray");
            if (values != null && values.length == n) {
                System.arraycopy(s, 0, values, 0, n);
                return values;
            }
            return Arrays.copyOf(s, n);
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
                throw in.at(Errors.kindMismatch(name, "struct array", "struct"), in.pos);
            }
            nested(f.struct(), value, "a struct (a Struct)");
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        return value;
    }

    /** Opens a StructArray and counts its structs; the caller loads them and leaves it. */
    private int structArray(String what) {
        int at = in.pos;
        int e = in.open(end, Asn1Constants.STRUCT_ARRAY, what);
        int n = in.count(e);
        try {
            in.limits.checkListLength(n);
        } catch (VmstateException x) {
            throw in.at(x, at);
        }
        arrayEnd = e;
        arrayAt = at;
        return n;
    }

    /** Loads element {@code i} of the StructArray of end token {@code e}. */
    private void element(Schema s, Visitable v, int e) {
        int saved = end;
        end = e;
        try {
            nested(s, v, "a struct (a Struct)");
        } finally {
            end = saved;
        }
    }

    @Override
    public <T extends Visitable> T[] structs(String name, T[] values) {
        Field f = member(name, Kind.STRUCT);
        int n;
        int e;
        try {
            n = structArray("a struct array (StructArray)");
            e = arrayEnd;
            if (f.length() == 0 || n != f.length() || n != values.length) {
                throw in.at(Asn1Errors.lengthMismatch("struct array", n, values.length), arrayAt);
            }
        } catch (VmstateException x) {
            throw x.prependField(name);
        }
        for (int i = 0; i < n; i++) {
            try {
                element(f.struct(), values[i], e);
            } catch (VmstateException x) {
                throw x.prependIndex(i).prependField(name);
            }
        }
        try {
            in.leave(e, "a StructArray");
        } catch (VmstateException x) {
            throw x.prependField(name);
        }
        return values;
    }

    @Override
    public <T extends Visitable> List<T> list(String name, List<T> values, Supplier<T> factory) {
        Field f = member(name, Kind.LIST);
        int n;
        int e;
        try {
            n = structArray("a list (StructArray)");
            e = arrayEnd;
        } catch (VmstateException x) {
            throw x.prependField(name);
        }
        // Entries the target already has are loaded in place; only the rest come from the factory.
        boolean reuse = values != null && values.size() == n;
        List<T> out = reuse ? values : new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            T item = reuse ? values.get(i) : factory.get();
            try {
                element(f.struct(), item, e);
            } catch (VmstateException x) {
                throw x.prependIndex(i).prependField(name);
            }
            if (!reuse) {
                out.add(item);
            }
        }
        try {
            in.leave(e, "a StructArray");
        } catch (VmstateException x) {
            throw x.prependField(name);
        }
        return out;
    }

    @Override
    public long enumCode(String name, long code, Map<Long, String> names) {
        Field f = member(name, Kind.ENUM);
        int at = in.pos;
        try {
            long read = integer(end, Kind.ENUM);
            if (!f.enumNames().containsKey(read) || !names.containsKey(read)) {
                List<Long> codes = new ArrayList<>(f.enumNames().keySet());
                codes.sort(null);
                throw in.at(Asn1Errors.unknownEnumCode(read, codes), at);
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
        if (in.nullNext(end)) {
            return false;
        }
        try {
            int se = in.open(end, Asn1Constants.SECTION, "a section (NULL, or a Section of version and state)");
            int versionAt = in.pos;
            long v = in.integer(se, Asn1Constants.INTEGER, "a section version (int32)", Integer.MIN_VALUE,
                    Integer.MAX_VALUE);
            if (v > f.struct().version()) {
                throw in.at(Asn1Errors.sectionTooNew(v, f.struct().version()), versionAt);
            }
            if (v > version) {
                throw in.at(Asn1Errors.sectionTooNew(v, version), versionAt);
            }
            if (sectionCount == versions.length) {
                versions = Arrays.copyOf(versions, sectionCount * 2);
            }
            versions[sectionCount++] = (int) v;
            olderSection |= v != f.struct().version();
            element(f.struct(), body, se);
            in.leave(se, "a Section");
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
