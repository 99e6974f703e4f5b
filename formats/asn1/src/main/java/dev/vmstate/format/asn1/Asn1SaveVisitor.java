package dev.vmstate.format.asn1;

import dev.vmstate.error.VmstateException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Ranges;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes a device's state straight from the device as {@code docs/formats/asn1.md} §3 lays it
 * out: a struct is a {@code Struct} (SEQUENCE OF Value) with one value per member of its schema,
 * in schema order; an absent section is NULL, a present one a {@code Section} of its version and
 * its {@code Struct}. The schema is walked alongside the device, so every call is
 * checked against the member it must be (name, kind, length) and a state that does not fit is
 * refused with a {@link dev.vmstate.error.StreamWriteException} naming the path; the bytes go into
 * a {@link Asn1Out} that the writer only copies out when the whole record succeeded.
 *
 * <p>Scalars allocate nothing. One instance per writer, reused; not thread-safe.
 */
final class Asn1SaveVisitor implements Visitor {
    private final Asn1Out out;
    private Schema[] schemas = new Schema[16];
    private int[] indexes = new int[16];
    private int top;
    private Schema schema;
    private int index;

    Asn1SaveVisitor(Asn1Out out) {
        this.out = out;
    }

    /** Writes {@code state} as the {@code Struct} of {@code s}, whose content is probably {@code hint} bytes long. */
    void write(Schema s, Visitable state, int hint) {
        top = 0;
        schema = null;
        open(s, hint);
        state.visit(this);
        close();
    }

    private void open(Schema s, int hint) {
        if (top > 0 || schema != null) {
            if (top == schemas.length) {
                schemas = java.util.Arrays.copyOf(schemas, top * 2);
                indexes = java.util.Arrays.copyOf(indexes, top * 2);
            }
            schemas[top] = schema;
            indexes[top] = index;
            top++;
        }
        schema = s;
        index = 0;
        out.open(Asn1Constants.SEQUENCE, hint);
    }

    /** Ends the current struct: members the device did not visit may only be absent sections. */
    private void close() {
        List<Field> m = schema.members();
        while (index < m.size()) {
            Field f = m.get(index++);
            if (!f.isSection()) {
                throw Asn1Errors.missingStateField().prependField(f.name());
            }
            out.nul(Asn1Constants.NULL);
        }
        out.close();
        if (top > 0) {
            top--;
            schema = schemas[top];
            index = indexes[top];
            schemas[top] = null;
        } else {
            schema = null;
        }
    }

    /** The member the device visits now, which must be {@code name} of {@code kind}; skipped sections go out as null. */
    private Field member(String name, Kind kind) {
        List<Field> m = schema.members();
        while (true) {
            if (index >= m.size()) {
                throw Asn1Errors.extraStateMembers(List.of(name));
            }
            Field f = m.get(index);
            if (f.name().equals(name)) {
                if (f.kind() != kind) {
                    throw Asn1Errors.stateMismatch(kind.typeName(), f.describe()).prependField(name);
                }
                index++;
                return f;
            }
            if (!f.isSection()) {
                // the device visits another member where the schema has f
                throw (schema.member(name) == null ? Asn1Errors.extraStateMembers(List.of(name))
                        : Asn1Errors.missingStateField()).prependField(schema.member(name) == null ? name : f.name());
            }
            index++;
            out.nul(Asn1Constants.NULL);
        }
    }

    private void integer(String name, Kind kind, long v) {
        member(name, kind);
        out.integer(Asn1Constants.INTEGER, v);
    }

    @Override
    public boolean bool(String name, boolean value) {
        member(name, Kind.BOOL);
        out.bool(value);
        return value;
    }

    @Override
    public int i8(String name, int value) {
        integer(name, Kind.I8, Ranges.i8(name, value));
        return value;
    }

    @Override
    public int i16(String name, int value) {
        integer(name, Kind.I16, Ranges.i16(name, value));
        return value;
    }

    @Override
    public int i32(String name, int value) {
        integer(name, Kind.I32, value);
        return value;
    }

    @Override
    public long i64(String name, long value) {
        integer(name, Kind.I64, value);
        return value;
    }

    @Override
    public int u8(String name, int value) {
        integer(name, Kind.U8, Ranges.u8(name, value));
        return value;
    }

    @Override
    public int u16(String name, int value) {
        integer(name, Kind.U16, Ranges.u16(name, value));
        return value;
    }

    @Override
    public long u32(String name, long value) {
        integer(name, Kind.U32, Ranges.u32(name, value));
        return value;
    }

    @Override
    public long u64(String name, long value) {
        member(name, Kind.U64);
        // #5: at or above 2^63 (a negative long) a positive INTEGER of 9 octets, 0x00 first.
        out.unsigned(Asn1Constants.INTEGER, value);
        return value;
    }

    @Override
    public double f64(String name, double value) {
        member(name, Kind.F64);
        out.f64(value);
        return value;
    }

    @Override
    public String str(String name, String value) {
        member(name, Kind.STR);
        Ranges.notNull(name, "string", value);
        try {
            out.utf8(Asn1Constants.UTF8_STRING, value);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        return value;
    }

    @Override
    public byte[] bytes(String name, byte[] value) {
        member(name, Kind.BYTES);
        out.octets(Asn1Constants.OCTET_STRING, Ranges.notNull(name, "bytes", value));
        return value;
    }

    @Override
    public byte[] buffer(String name, byte[] value, int size) {
        Field f = member(name, Kind.BUFFER);
        Ranges.notNull(name, "buffer", value);
        if (value.length != f.size()) {
            throw Asn1Errors.stateMismatch("buffer[" + value.length + "]", f.describe()).prependField(name);
        }
        out.octets(Asn1Constants.OCTET_STRING, value);
        return value;
    }

    private void integers(String name, Field f, Kind element, long[] values) {
        if (element != f.element()) {
            throw Asn1Errors.stateMismatch(element.typeName() + "[]", f.describe()).prependField(name);
        }
        Ranges.checkArray(name, element, values);
        out.open(Asn1Constants.INT_ARRAY, 3L * values.length);
        if (element == Kind.U64) {
            for (long v : values) {
                out.unsigned(Asn1Constants.INTEGER, v);
            }
        } else {
            for (long v : values) {
                out.integer(Asn1Constants.INTEGER, v);
            }
        }
        out.close();
    }

    @Override
    public long[] array(String name, Kind element, long[] values) {
        Field f = member(name, Kind.ARRAY);
        Ranges.notNull(name, "array", values);
        if (values.length != f.length()) {
            throw Asn1Errors.stateMismatch(element.typeName() + "[" + values.length + "]", f.describe())
                    .prependField(name);
        }
        integers(name, f, element, values);
        return values;
    }

    @Override
    public long[] varray(String name, Kind element, long[] values) {
        Field f = member(name, Kind.VARRAY);
        integers(name, f, element, Ranges.notNull(name, "array", values));
        return values;
    }

    private void nested(Schema s, Visitable v) {
        open(s, 0);
        v.visit(this);
        close();
    }

    @Override
    public <T extends Visitable> T struct(String name, T value) {
        Field f = member(name, Kind.STRUCT);
        if (f.length() != 0) {
            throw Asn1Errors.stateMismatch("struct", f.describe()).prependField(name);
        }
        Ranges.notNull(name, "struct", value);
        try {
            nested(f.struct(), value);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        return value;
    }

    private void items(String name, Schema s, List<? extends Visitable> values) {
        out.open(Asn1Constants.STRUCT_ARRAY);
        for (int i = 0; i < values.size(); i++) {
            try {
                Visitable v = values.get(i);
                if (v == null) {
                    throw Asn1Errors.writeRecord("null value for struct");
                }
                nested(s, v);
            } catch (VmstateException e) {
                throw e.prependIndex(i).prependField(name);
            }
        }
        out.close();
    }

    @Override
    public <T extends Visitable> T[] structs(String name, T[] values) {
        Field f = member(name, Kind.STRUCT);
        Ranges.notNull(name, "struct array", values);
        if (f.length() == 0 || values.length != f.length()) {
            throw Asn1Errors.stateMismatch("struct array of " + values.length, f.describe()).prependField(name);
        }
        items(name, f.struct(), java.util.Arrays.asList(values));
        return values;
    }

    @Override
    public <T extends Visitable> List<T> list(String name, List<T> values, Supplier<T> factory) {
        Field f = member(name, Kind.LIST);
        items(name, f.struct(), Ranges.notNull(name, "list", values));
        return values;
    }

    @Override
    public long enumCode(String name, long code, Map<Long, String> names) {
        Field f = member(name, Kind.ENUM);
        if (!f.enumNames().containsKey(code)) {
            throw Asn1Errors.stateMismatch("enum code " + code, "one of " + f.enumNames().keySet()).prependField(name);
        }
        out.integer(Asn1Constants.INTEGER, code);
        return code;
    }

    @Override
    public boolean section(String name, int version, boolean needed, Visitable body) {
        Field f = member(name, Kind.SECTION);
        if (!needed) {
            out.nul(Asn1Constants.NULL);
            return false;
        }
        if (version > f.struct().version()) {
            throw Asn1Errors.stateMismatch("section v" + version, "at most v" + f.struct().version()
                    + ", the schema's").prependField(name);
        }
        out.open(Asn1Constants.SECTION);
        out.integer(Asn1Constants.INTEGER, version);
        try {
            nested(f.struct(), body);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        out.close();
        return true;
    }

    @Override
    public boolean isInput() {
        return false;
    }
}
