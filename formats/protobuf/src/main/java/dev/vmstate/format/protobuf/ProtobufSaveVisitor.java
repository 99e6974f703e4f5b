package dev.vmstate.format.protobuf;

import static dev.vmstate.format.protobuf.ProtobufConstants.I64;
import static dev.vmstate.format.protobuf.ProtobufConstants.LEN;
import static dev.vmstate.format.protobuf.ProtobufConstants.VARINT;

import dev.vmstate.error.VmstateException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Ranges;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes a device's state straight from the device as the {@code State} message of
 * {@code vmstate.proto}: member i of the schema (from 0) as field i + 1, every field present,
 * in schema order ({@code docs/formats/protobuf.md} §3). The schema is walked alongside the
 * device, so every call is checked against the member it must be (name, kind, length) and a
 * state that does not fit is refused with a {@link dev.vmstate.error.StreamWriteException} naming
 * the path; the bytes go into a {@link ProtoOut} that the writer only copies out when the whole
 * record succeeded.
 *
 * <p>Scalars allocate nothing. One instance per writer, reused; not thread-safe.
 */
final class ProtobufSaveVisitor implements Visitor {
    private final ProtoOut out;
    private Schema[] schemas = new Schema[16];
    private int[] indexes = new int[16];
    private int top;
    private Schema schema;
    /** Index of the next member of {@link #schema}; after {@link #member}, the field number of the one taken. */
    private int index;

    ProtobufSaveVisitor(ProtoOut out) {
        this.out = out;
    }

    /** Writes the fields of {@code state} as the content of a {@code State} of {@code s} (the caller frames it). */
    void write(Schema s, Visitable state) {
        top = 0;
        schema = null;
        open(s);
        state.visit(this);
        close();
    }

    private void open(Schema s) {
        if (top > 0 || schema != null) {
            if (top == schemas.length) {
                schemas = Arrays.copyOf(schemas, top * 2);
                indexes = Arrays.copyOf(indexes, top * 2);
            }
            schemas[top] = schema;
            indexes[top] = index;
            top++;
        }
        schema = s;
        index = 0;
    }

    /** Ends the current struct: members the device did not visit may only be absent sections, which have no field. */
    private void close() {
        List<Field> m = schema.members();
        while (index < m.size()) {
            Field f = m.get(index++);
            if (!f.isSection()) {
                throw ProtobufErrors.missingStateField().prependField(f.name());
            }
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

    /**
     * The member the device visits now, which must be {@code name} of {@code kind}; its tag is
     * written with {@code wireType}. Skipped sections are absent: they get no field.
     */
    private Field member(String name, Kind kind, int wireType) {
        Field f = take(name, kind);
        out.tag(index, wireType);
        return f;
    }

    /** As {@link #member}, without writing the tag (a list writes one per entry; an absent section none). */
    private Field take(String name, Kind kind) {
        List<Field> m = schema.members();
        while (true) {
            if (index >= m.size()) {
                throw ProtobufErrors.extraStateMembers(List.of(name));
            }
            Field f = m.get(index);
            if (f.name().equals(name)) {
                if (f.kind() != kind) {
                    throw ProtobufErrors.stateMismatch(kind.typeName(), f.describe()).prependField(name);
                }
                index++;
                return f;
            }
            if (!f.isSection()) {
                // the device visits another member where the schema has f
                boolean unknown = schema.member(name) == null;
                throw (unknown ? ProtobufErrors.extraStateMembers(List.of(name)) : ProtobufErrors.missingStateField())
                        .prependField(unknown ? name : f.name());
            }
            index++;
        }
    }

    @Override
    public boolean bool(String name, boolean value) {
        member(name, Kind.BOOL, VARINT);
        out.uvarint(value ? 1 : 0);
        return value;
    }

    private void signed(String name, Kind kind, long v) {
        member(name, kind, VARINT);
        out.sint64(v);
    }

    private void unsigned(String name, Kind kind, long v) {
        member(name, kind, VARINT);
        out.uvarint(v);
    }

    @Override
    public int i8(String name, int value) {
        signed(name, Kind.I8, Ranges.i8(name, value));
        return value;
    }

    @Override
    public int i16(String name, int value) {
        signed(name, Kind.I16, Ranges.i16(name, value));
        return value;
    }

    @Override
    public int i32(String name, int value) {
        signed(name, Kind.I32, value);
        return value;
    }

    @Override
    public long i64(String name, long value) {
        signed(name, Kind.I64, value);
        return value;
    }

    @Override
    public int u8(String name, int value) {
        unsigned(name, Kind.U8, Ranges.u8(name, value));
        return value;
    }

    @Override
    public int u16(String name, int value) {
        unsigned(name, Kind.U16, Ranges.u16(name, value));
        return value;
    }

    @Override
    public long u32(String name, long value) {
        unsigned(name, Kind.U32, Ranges.u32(name, value));
        return value;
    }

    @Override
    public long u64(String name, long value) {
        // #5: fixed64, so 2^63 and above (a negative long) are the same 8 bytes as any other value
        member(name, Kind.U64, I64);
        out.fixed64(value);
        return value;
    }

    @Override
    public double f64(String name, double value) {
        member(name, Kind.F64, I64);
        out.fixed64(Double.doubleToRawLongBits(value));
        return value;
    }

    @Override
    public String str(String name, String value) {
        member(name, Kind.STR, LEN);
        Ranges.notNull(name, "string", value);
        try {
            out.string(value);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        return value;
    }

    @Override
    public byte[] bytes(String name, byte[] value) {
        member(name, Kind.BYTES, LEN);
        out.bytes(Ranges.notNull(name, "bytes", value));
        return value;
    }

    @Override
    public byte[] buffer(String name, byte[] value, int size) {
        Field f = take(name, Kind.BUFFER);
        Ranges.notNull(name, "buffer", value);
        if (value.length != f.size()) {
            throw ProtobufErrors.stateMismatch("buffer[" + value.length + "]", f.describe()).prependField(name);
        }
        out.tag(index, LEN);
        out.bytes(value);
        return value;
    }

    /** The elements of an integer array, packed: one length-delimited field of their encodings back to back. */
    private void packed(String name, Field f, Kind element, long[] values) {
        if (element != f.element()) {
            throw ProtobufErrors.stateMismatch(element.typeName() + "[]", f.describe()).prependField(name);
        }
        Ranges.checkArray(name, element, values);
        out.tag(index, LEN);
        int mark = out.begin();
        if (element == Kind.U64) {
            for (long v : values) {
                out.fixed64(v);
            }
        } else if (element == Kind.I8 || element == Kind.I16 || element == Kind.I32 || element == Kind.I64) {
            for (long v : values) {
                out.sint64(v);
            }
        } else {
            for (long v : values) {
                out.uvarint(v);
            }
        }
        out.end(mark);
    }

    @Override
    public long[] array(String name, Kind element, long[] values) {
        Field f = take(name, Kind.ARRAY);
        Ranges.notNull(name, "array", values);
        if (values.length != f.length()) {
            throw ProtobufErrors.stateMismatch(element.typeName() + "[" + values.length + "]", f.describe())
                    .prependField(name);
        }
        packed(name, f, element, values);
        return values;
    }

    @Override
    public long[] varray(String name, Kind element, long[] values) {
        Field f = take(name, Kind.VARRAY);
        packed(name, f, element, Ranges.notNull(name, "array", values));
        return values;
    }

    /** A nested {@code State}, length-delimited, under the field number {@code number}. */
    private void nested(int number, Schema s, Visitable v) {
        out.tag(number, LEN);
        int mark = out.begin();
        open(s);
        v.visit(this);
        close();
        out.end(mark);
    }

    @Override
    public <T extends Visitable> T struct(String name, T value) {
        Field f = take(name, Kind.STRUCT);
        if (f.length() != 0) {
            throw ProtobufErrors.stateMismatch("struct", f.describe()).prependField(name);
        }
        Ranges.notNull(name, "struct", value);
        try {
            nested(index, f.struct(), value);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        return value;
    }

    /** Each entry as one occurrence of the field: protobuf's repeated message. */
    private void items(String name, Schema s, List<? extends Visitable> values) {
        int number = index;
        for (int i = 0; i < values.size(); i++) {
            try {
                Visitable v = values.get(i);
                if (v == null) {
                    throw ProtobufErrors.badRecord("null value for struct");
                }
                nested(number, s, v);
            } catch (VmstateException e) {
                throw e.prependIndex(i).prependField(name);
            }
        }
    }

    @Override
    public <T extends Visitable> T[] structs(String name, T[] values) {
        Field f = take(name, Kind.STRUCT);
        Ranges.notNull(name, "struct array", values);
        if (f.length() == 0 || values.length != f.length()) {
            throw ProtobufErrors.stateMismatch("struct array of " + values.length, f.describe()).prependField(name);
        }
        items(name, f.struct(), Arrays.asList(values));
        return values;
    }

    @Override
    public <T extends Visitable> List<T> list(String name, List<T> values, Supplier<T> factory) {
        Field f = take(name, Kind.LIST);
        items(name, f.struct(), Ranges.notNull(name, "list", values));
        return values;
    }

    @Override
    public long enumCode(String name, long code, Map<Long, String> names) {
        Field f = take(name, Kind.ENUM);
        if (!f.enumNames().containsKey(code)) {
            throw ProtobufErrors.stateMismatch("enum code " + code, "one of " + f.enumNames().keySet())
                    .prependField(name);
        }
        out.tag(index, VARINT);
        out.uvarint(code);
        return code;
    }

    @Override
    public boolean section(String name, int version, boolean needed, Visitable body) {
        Field f = take(name, Kind.SECTION);
        if (!needed) {
            return false; // an absent section has no field
        }
        if (version > f.struct().version()) {
            throw ProtobufErrors.stateMismatch("section v" + version, "at most v" + f.struct().version()
                    + ", the schema's").prependField(name);
        }
        // SectionValue: version (always written, also 0), then the body
        out.tag(index, LEN);
        int mark = out.begin();
        out.tag(ProtobufConstants.SECTION_VERSION, VARINT);
        out.int32(version);
        try {
            nested(ProtobufConstants.SECTION_BODY, f.struct(), body);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        out.end(mark);
        return true;
    }

    @Override
    public boolean isInput() {
        return false;
    }
}
