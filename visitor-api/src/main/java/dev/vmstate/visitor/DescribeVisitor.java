package dev.vmstate.visitor;

import dev.vmstate.error.Errors;
import dev.vmstate.error.StreamWriteException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Describes an object's shape as a {@link Schema}, from one visit of an instance (a default one is
 * enough). Every section body is visited whether or not it is needed, and the element type of a
 * list is taken from its factory, so the schema does not depend on the instance's data. Values
 * pass through unchanged. One instance per walk; not thread-safe.
 *
 * @since 0.1
 */
public final class DescribeVisitor implements Visitor {
    private final Deque<List<Field>> stack = new ArrayDeque<>();
    private final Deque<Set<String>> names = new ArrayDeque<>();
    private List<Field> current = new ArrayList<>();
    private Set<String> currentNames = new HashSet<>();
    /** Set by {@link #mustUnderstand()}, consumed by the next member {@link #add}ed. */
    private boolean markNext;

    /** The schema of {@code object} as device {@code name} at {@code version}, oldest readable {@code minimumVersion}. */
    public static Schema describe(String name, int version, int minimumVersion, Visitable object) {
        DescribeVisitor v = new DescribeVisitor();
        object.visit(v);
        return new Schema(name, version, minimumVersion, v.current);
    }

    private void add(Field f) {
        if (!currentNames.add(f.name())) {
            throw Errors.duplicateField(f.name());
        }
        current.add(f.withMustUnderstand(markNext));
        markNext = false;
    }

    @Override
    public Visitor mustUnderstand() {
        markNext = true;
        return this;
    }

    private Schema nested(String name, Visitable value) {
        if (value == null) {
            throw (StreamWriteException) new StreamWriteException("null value for struct").prependField(name);
        }
        boolean mark = markNext;
        markNext = false;
        stack.push(current);
        names.push(currentNames);
        current = new ArrayList<>();
        currentNames = new HashSet<>();
        try {
            value.visit(this);
            String type = value.typeName() != null ? value.typeName() : name;
            int version = value.typeVersion();
            return new Schema(type, version, version, current);
        } catch (VmstateException e) {
            throw e.prependField(name);
        } finally {
            current = stack.pop();
            currentNames = names.pop();
            markNext = mark;
        }
    }

    private <T> T scalar(String name, Kind kind, Hint hint, T value) {
        add(Field.scalar(name, kind, hint));
        return value;
    }

    @Override
    public boolean bool(String name, boolean value) {
        add(Field.scalar(name, Kind.BOOL, null));
        return value;
    }

    @Override
    public int i8(String name, int value) {
        return i8(name, value, null);
    }

    @Override
    public int i16(String name, int value) {
        return i16(name, value, null);
    }

    @Override
    public int i32(String name, int value) {
        return i32(name, value, null);
    }

    @Override
    public long i64(String name, long value) {
        return i64(name, value, null);
    }

    @Override
    public int u8(String name, int value) {
        return u8(name, value, null);
    }

    @Override
    public int u16(String name, int value) {
        return u16(name, value, null);
    }

    @Override
    public long u32(String name, long value) {
        return u32(name, value, null);
    }

    @Override
    public long u64(String name, long value) {
        return u64(name, value, null);
    }

    @Override
    public int i8(String name, int value, Hint hint) {
        add(Field.scalar(name, Kind.I8, hint));
        return value;
    }

    @Override
    public int i16(String name, int value, Hint hint) {
        add(Field.scalar(name, Kind.I16, hint));
        return value;
    }

    @Override
    public int i32(String name, int value, Hint hint) {
        add(Field.scalar(name, Kind.I32, hint));
        return value;
    }

    @Override
    public long i64(String name, long value, Hint hint) {
        add(Field.scalar(name, Kind.I64, hint));
        return value;
    }

    @Override
    public int u8(String name, int value, Hint hint) {
        add(Field.scalar(name, Kind.U8, hint));
        return value;
    }

    @Override
    public int u16(String name, int value, Hint hint) {
        add(Field.scalar(name, Kind.U16, hint));
        return value;
    }

    @Override
    public long u32(String name, long value, Hint hint) {
        add(Field.scalar(name, Kind.U32, hint));
        return value;
    }

    @Override
    public long u64(String name, long value, Hint hint) {
        add(Field.scalar(name, Kind.U64, hint));
        return value;
    }

    @Override
    public double f64(String name, double value) {
        add(Field.scalar(name, Kind.F64, null));
        return value;
    }

    @Override
    public String str(String name, String value) {
        add(Field.variable(name, Kind.STR));
        return value;
    }

    @Override
    public byte[] bytes(String name, byte[] value) {
        add(Field.variable(name, Kind.BYTES));
        return value;
    }

    @Override
    public byte[] buffer(String name, byte[] value, int size) {
        if (size < 0) {
            throw (StreamWriteException) new StreamWriteException("negative buffer size " + size).prependField(name);
        }
        add(Field.buffer(name, size));
        return value;
    }

    @Override
    public long[] array(String name, Kind element, long[] values) {
        requireIntegerElement(name, element);
        add(Field.array(name, element, Ranges.notNull(name, "array", values).length));
        return values;
    }

    @Override
    public long[] varray(String name, Kind element, long[] values) {
        requireIntegerElement(name, element);
        add(Field.varray(name, element));
        return values;
    }

    private static void requireIntegerElement(String name, Kind element) {
        if (element == null || !element.isInteger()) {
            throw (StreamWriteException) new StreamWriteException("arrays hold integer kinds, found " + element)
                    .prependField(name);
        }
    }

    @Override
    public <T extends Visitable> T struct(String name, T value) {
        add(Field.struct(name, nested(name, value), 0));
        return value;
    }

    @Override
    public <T extends Visitable> T[] structs(String name, T[] values) {
        Ranges.notNull(name, "struct array", values);
        if (values.length == 0) {
            throw (StreamWriteException) new StreamWriteException("a struct array needs at least one element")
                    .prependField(name);
        }
        add(Field.struct(name, nested(name, values[0]), values.length));
        return values;
    }

    @Override
    public <T extends Visitable> List<T> list(String name, List<T> values, Supplier<T> factory) {
        add(Field.list(name, nested(name, factory.get())));
        return values;
    }

    @Override
    public long enumCode(String name, long code, java.util.Map<Long, String> names) {
        add(Field.enumeration(name, names));
        return code;
    }

    @Override
    public boolean section(String name, int version, boolean needed, Visitable body) {
        Schema s = nested(name, body);
        add(Field.section(name, new Schema(name, version, version, s.members())));
        return needed;
    }

    @Override
    public boolean isInput() {
        return false;
    }
}
