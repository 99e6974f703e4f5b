package dev.vmstate.visitor;

import dev.vmstate.error.Errors;
import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Loads an object from a {@link StateTree}. Strict: every field the object visits must be in the
 * tree with the same kind (and, for fixed sizes, the same length), and every member of the tree
 * must be visited; anything else is a {@link dev.vmstate.error.SchemaMismatchException} naming
 * the path. One instance per walk; not thread-safe.
 *
 * @since 0.1
 */
public final class TreeInVisitor implements Visitor {
    private final ReadLimits limits;
    private final Deque<StructValue> structs = new ArrayDeque<>();
    private final Deque<Consumed> consumedStack = new ArrayDeque<>();
    private StructValue current;
    private Consumed consumed;

    private TreeInVisitor(StructValue root, ReadLimits limits) {
        this.current = root;
        this.limits = limits;
        this.consumed = new Consumed(root);
    }

    /**
     * Which members of one struct the object has taken. A tree made from the object's own schema
     * lists its members in visit order, so the usual case is a cursor that moves one member on
     * per call; only a visit out of that order falls back to a set of the names taken.
     */
    private static final class Consumed {
        private final StructValue struct;
        private final java.util.Iterator<String> order;
        private String next;
        private int taken;
        private Set<String> names; // null while the visit follows the tree's order

        Consumed(StructValue struct) {
            this.struct = struct;
            this.order = struct.members().keySet().iterator();
            this.next = order.hasNext() ? order.next() : null;
        }

        /** False when {@code name} was taken before. */
        boolean take(String name) {
            if (names == null) {
                if (name.equals(next)) {
                    next = order.hasNext() ? order.next() : null;
                    taken++;
                    return true;
                }
                names = new HashSet<>();
                java.util.Iterator<String> it = struct.members().keySet().iterator();
                for (int i = 0; i < taken; i++) {
                    names.add(it.next());
                }
            }
            return names.add(name);
        }

        /** The members never taken, in tree order. */
        List<String> left() {
            List<String> out = new ArrayList<>();
            int i = 0;
            for (String n : struct.members().keySet()) {
                if (names == null ? i >= taken : !names.contains(n)) {
                    out.add(n);
                }
                i++;
            }
            return out;
        }

        boolean complete() {
            return (names == null ? taken : names.size()) == struct.members().size();
        }
    }

    /** Loads {@code tree} into {@code target}; returns {@code target}. */
    public static <T extends Visitable> T load(StructValue tree, T target) {
        return load(tree, target, ReadLimits.defaults());
    }

    /** Loads {@code tree} into {@code target} under {@code limits}; returns {@code target}. */
    public static <T extends Visitable> T load(StructValue tree, T target, ReadLimits limits) {
        TreeInVisitor v = new TreeInVisitor(tree, limits);
        target.visit(v);
        v.finishStruct();
        return target;
    }

    private StateTree get(String name, Kind expected) {
        StateTree t = current.get(name);
        if (t == null) {
            throw Errors.missingField(name);
        }
        if (t.kind() != expected) {
            throw Errors.kindMismatch(name, t.kind().typeName(), expected.typeName());
        }
        if (!consumed.take(name)) {
            throw Errors.duplicateField(name);
        }
        return t;
    }

    private long integer(String name, Kind kind) {
        StateTree t = current.get(name);
        if (t instanceof IntValue iv && iv.kind() != kind) {
            throw Errors.kindMismatch(name, iv.kind().typeName(), kind.typeName());
        }
        if (t != null && !(t instanceof IntValue)) {
            throw Errors.kindMismatch(name, t.kind().typeName(), kind.typeName());
        }
        long v = ((IntValue) get(name, kind)).value();
        if (!kind.inRange(v)) {
            throw (VmstateException) new dev.vmstate.error.SchemaMismatchException("invalid value " + v + " for "
                    + kind.typeName() + ", expected " + kind.min() + ".." + kind.max()).prependField(name);
        }
        return v;
    }

    private void finishStruct() {
        if (!consumed.complete()) {
            throw Errors.unknownFields(consumed.left());
        }
    }

    private void enter(StructValue s) {
        structs.push(current);
        consumedStack.push(consumed);
        current = s;
        consumed = new Consumed(s);
        limits.checkDepth(structs.size());
    }

    private void leave() {
        current = structs.pop();
        consumed = consumedStack.pop();
    }

    private void visitNested(StructValue s, Visitable target) {
        enter(s);
        try {
            target.visit(this);
            finishStruct();
        } finally {
            leave();
        }
    }

    @Override
    public boolean bool(String name, boolean value) {
        return ((BoolValue) get(name, Kind.BOOL)).value();
    }

    @Override
    public int i8(String name, int value) {
        return (int) integer(name, Kind.I8);
    }

    @Override
    public int i16(String name, int value) {
        return (int) integer(name, Kind.I16);
    }

    @Override
    public int i32(String name, int value) {
        return (int) integer(name, Kind.I32);
    }

    @Override
    public long i64(String name, long value) {
        return integer(name, Kind.I64);
    }

    @Override
    public int u8(String name, int value) {
        return (int) integer(name, Kind.U8);
    }

    @Override
    public int u16(String name, int value) {
        return (int) integer(name, Kind.U16);
    }

    @Override
    public long u32(String name, long value) {
        return integer(name, Kind.U32);
    }

    @Override
    public long u64(String name, long value) {
        return integer(name, Kind.U64);
    }

    @Override
    public double f64(String name, double value) {
        return ((F64Value) get(name, Kind.F64)).value();
    }

    @Override
    public String str(String name, String value) {
        String s = ((StrValue) get(name, Kind.STR)).value();
        try {
            limits.checkStringLength(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        return s;
    }

    @Override
    public byte[] bytes(String name, byte[] value) {
        BytesValue b = (BytesValue) get(name, Kind.BYTES);
        try {
            limits.checkBytesLength(b.length());
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        return b.bytes();
    }

    @Override
    public byte[] buffer(String name, byte[] value, int size) {
        BytesValue b = (BytesValue) get(name, Kind.BUFFER);
        if (b.length() != size) {
            throw Errors.lengthMismatch(name, "buffer", b.length(), size);
        }
        if (value != null && value.length == size) {
            b.copyTo(value);
            return value;
        }
        return b.bytes();
    }

    private ArrayValue array(String name, Kind kind, Kind element) {
        ArrayValue a = (ArrayValue) get(name, kind);
        if (a.element() != element) {
            throw Errors.kindMismatch(name, a.element().typeName() + " array", element.typeName() + " array");
        }
        return a;
    }

    @Override
    public long[] array(String name, Kind element, long[] values) {
        ArrayValue a = array(name, Kind.ARRAY, element);
        if (a.length() != values.length) {
            throw Errors.lengthMismatch(name, "array", a.length(), values.length);
        }
        a.copyTo(values);
        return values;
    }

    @Override
    public long[] varray(String name, Kind element, long[] values) {
        ArrayValue a = array(name, Kind.VARRAY, element);
        try {
            limits.checkListLength(a.length());
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        return a.values();
    }

    @Override
    public <T extends Visitable> T struct(String name, T value) {
        StateTree t = get(name, Kind.STRUCT);
        if (!(t instanceof StructValue s)) {
            throw Errors.kindMismatch(name, "struct array", "struct");
        }
        try {
            visitNested(s, value);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        return value;
    }

    @Override
    public <T extends Visitable> T[] structs(String name, T[] values) {
        StateTree t = get(name, Kind.STRUCT);
        if (!(t instanceof ListValue l)) {
            throw Errors.kindMismatch(name, "struct", "struct array");
        }
        if (l.items().size() != values.length) {
            throw Errors.lengthMismatch(name, "struct array", l.items().size(), values.length);
        }
        for (int i = 0; i < values.length; i++) {
            try {
                visitNested(l.items().get(i), values[i]);
            } catch (VmstateException e) {
                throw e.prependIndex(i).prependField(name);
            }
        }
        return values;
    }

    @Override
    public <T extends Visitable> List<T> list(String name, List<T> values, Supplier<T> factory) {
        ListValue l = (ListValue) get(name, Kind.LIST);
        try {
            limits.checkListLength(l.items().size());
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        List<T> out = new ArrayList<>(l.items().size());
        for (int i = 0; i < l.items().size(); i++) {
            T item = factory.get();
            try {
                visitNested(l.items().get(i), item);
            } catch (VmstateException e) {
                throw e.prependIndex(i).prependField(name);
            }
            out.add(item);
        }
        return out;
    }

    @Override
    public long enumCode(String name, long code, java.util.Map<Long, String> names) {
        EnumValue e = (EnumValue) get(name, Kind.ENUM);
        if (!names.containsKey(e.code())) {
            throw (VmstateException) new dev.vmstate.error.SchemaMismatchException("invalid enum code " + e.code()
                    + ", expected one of " + names.keySet()).prependField(name);
        }
        return e.code();
    }

    @Override
    public boolean section(String name, int version, boolean needed, Visitable body) {
        if (!current.members().containsKey(name)) {
            return false;
        }
        SectionValue s = (SectionValue) get(name, Kind.SECTION);
        if (s.version() > version) {
            throw (VmstateException) new dev.vmstate.error.VersionException("section version " + s.version()
                    + " is newer than the supported " + version).prependField(name);
        }
        try {
            visitNested(s.body(), body);
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
