package dev.vmstate.visitor;

import dev.vmstate.error.Errors;
import dev.vmstate.error.VmstateException;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.ArrayValue;
import dev.vmstate.tree.StateTree.BoolValue;
import dev.vmstate.tree.StateTree.BytesValue;
import dev.vmstate.tree.StateTree.EnumValue;
import dev.vmstate.tree.StateTree.F64Value;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.ListValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StrValue;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Saves an object into a {@link StateTree}: the generic form of its state, independent of its
 * Java class. Values are range-checked as on any save. One instance per walk; not thread-safe.
 *
 * @since 0.1
 */
public final class TreeOutVisitor implements Visitor {
    private final Deque<Map<String, StateTree>> stack = new ArrayDeque<>();
    private Map<String, StateTree> current = new LinkedHashMap<>();

    /** The state of {@code object} as a tree whose type is {@code typeName}. */
    public static StructValue toTree(String typeName, Visitable object) {
        TreeOutVisitor v = new TreeOutVisitor();
        object.visit(v);
        return new StructValue(typeName, v.current);
    }

    private void put(String name, StateTree value) {
        if (current.putIfAbsent(name, value) != null) {
            throw Errors.duplicateField(name);
        }
    }

    @Override
    public boolean bool(String name, boolean value) {
        put(name, new BoolValue(value));
        return value;
    }

    @Override
    public int i8(String name, int value) {
        put(name, new IntValue(Kind.I8, Ranges.i8(name, value)));
        return value;
    }

    @Override
    public int i16(String name, int value) {
        put(name, new IntValue(Kind.I16, Ranges.i16(name, value)));
        return value;
    }

    @Override
    public int i32(String name, int value) {
        put(name, new IntValue(Kind.I32, value));
        return value;
    }

    @Override
    public long i64(String name, long value) {
        put(name, new IntValue(Kind.I64, value));
        return value;
    }

    @Override
    public int u8(String name, int value) {
        put(name, new IntValue(Kind.U8, Ranges.u8(name, value)));
        return value;
    }

    @Override
    public int u16(String name, int value) {
        put(name, new IntValue(Kind.U16, Ranges.u16(name, value)));
        return value;
    }

    @Override
    public long u32(String name, long value) {
        put(name, new IntValue(Kind.U32, Ranges.u32(name, value)));
        return value;
    }

    @Override
    public long u64(String name, long value) {
        put(name, new IntValue(Kind.U64, value));
        return value;
    }

    @Override
    public double f64(String name, double value) {
        put(name, new F64Value(value));
        return value;
    }

    @Override
    public String str(String name, String value) {
        put(name, new StrValue(Ranges.notNull(name, "string", value)));
        return value;
    }

    @Override
    public byte[] bytes(String name, byte[] value) {
        put(name, new BytesValue(Kind.BYTES, Ranges.notNull(name, "bytes", value)));
        return value;
    }

    @Override
    public byte[] buffer(String name, byte[] value, int size) {
        Ranges.notNull(name, "buffer", value);
        if (value.length != size) {
            throw Errors.wrongSize(name, "buffer", value.length, size);
        }
        put(name, new BytesValue(Kind.BUFFER, value));
        return value;
    }

    @Override
    public long[] array(String name, Kind element, long[] values) {
        put(name, new ArrayValue(Kind.ARRAY, element, Ranges.checkArray(name, element, values)));
        return values;
    }

    @Override
    public long[] varray(String name, Kind element, long[] values) {
        put(name, new ArrayValue(Kind.VARRAY, element, Ranges.checkArray(name, element, values)));
        return values;
    }

    @Override
    public <T extends Visitable> T struct(String name, T value) {
        Ranges.notNull(name, "struct", value);
        StructValue tree;
        try {
            tree = nested(name, value);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        put(name, tree);
        return value;
    }

    private StructValue nested(String name, Visitable value) {
        stack.push(current);
        current = new LinkedHashMap<>();
        try {
            value.visit(this);
            return new StructValue(value.typeName() != null ? value.typeName() : name, current);
        } finally {
            current = stack.pop();
        }
    }

    private <T extends Visitable> List<StructValue> items(String name, Iterable<T> values) {
        List<StructValue> items = new ArrayList<>();
        int i = 0;
        for (T item : values) {
            try {
                if (item == null) {
                    throw new dev.vmstate.error.StreamWriteException("null value for struct");
                }
                items.add(nested(name, item));
            } catch (VmstateException e) {
                throw e.prependIndex(i).prependField(name);
            }
            i++;
        }
        return items;
    }

    @Override
    public <T extends Visitable> T[] structs(String name, T[] values) {
        Ranges.notNull(name, "struct array", values);
        put(name, new ListValue(Kind.STRUCT, items(name, java.util.Arrays.asList(values))));
        return values;
    }

    @Override
    public <T extends Visitable> List<T> list(String name, List<T> values, Supplier<T> factory) {
        Ranges.notNull(name, "list", values);
        put(name, new ListValue(Kind.LIST, items(name, values)));
        return values;
    }

    @Override
    public long enumCode(String name, long code, Map<Long, String> names) {
        put(name, new EnumValue(Ranges.enumCode(name, code, names), names.get(code)));
        return code;
    }

    @Override
    public boolean section(String name, int version, boolean needed, Visitable body) {
        if (needed) {
            StructValue tree;
            try {
                tree = nested(name, body);
            } catch (VmstateException e) {
                throw e.prependField(name);
            }
            put(name, new SectionValue(version, tree));
        }
        return needed;
    }

    @Override
    public boolean isInput() {
        return false;
    }
}
