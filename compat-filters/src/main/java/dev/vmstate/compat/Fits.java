package dev.vmstate.compat;

import dev.vmstate.error.Errors;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
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
import dev.vmstate.visitor.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a value fits a schema: every field present with its kind, lengths and ranges, no
 * member the schema lacks. A chain checks what it is given before converting it, so an
 * operation only ever meets trees of the shape it was validated against (#6).
 */
final class Fits {
    private Fits() {
    }

    /** Throws a {@link SchemaMismatchException} naming the path when {@code v} does not fit {@code s}. */
    static void check(Schema s, StructValue v) {
        struct(s, v, Where.ROOT);
    }

    /** Throws a {@link SchemaMismatchException} when {@code v} does not fit {@code f}; {@code null} is an absent section. */
    static void check(Field f, StateTree v) {
        member(f, v, Where.ROOT.field(f.name()));
    }

    private static void struct(Schema s, StructValue v, Where where) {
        for (Field f : s.members()) {
            member(f, v.get(f.name()), where.field(f.name()));
        }
        List<String> unknown = new ArrayList<>();
        for (String name : v.members().keySet()) {
            if (s.member(name) == null) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw TreeWalk.located(Errors.unknownFields(unknown), where);
        }
    }

    private static void member(Field f, StateTree v, Where where) {
        if (v == null) {
            if (f.isSection()) {
                return;
            }
            throw mismatch("missing value", f, where);
        }
        Kind k = f.kind();
        if (k.isInteger()) {
            if (!(v instanceof IntValue i) || i.kind() != k) {
                throw found(v, f, where);
            }
            if (!k.inRange(i.value())) {
                throw mismatch("value " + i.value() + " out of range", f, where);
            }
            return;
        }
        switch (k) {
            case BOOL -> require(v instanceof BoolValue, v, f, where);
            case F64 -> require(v instanceof F64Value, v, f, where);
            case STR -> require(v instanceof StrValue, v, f, where);
            case BYTES -> require(v instanceof BytesValue b && b.kind() == Kind.BYTES, v, f, where);
            case BUFFER -> require(v instanceof BytesValue b && b.kind() == Kind.BUFFER && b.length() == f.size(),
                    v, f, where);
            case ARRAY, VARRAY -> array(f, v, where);
            case ENUM -> require(v instanceof EnumValue e && f.enumNames().containsKey(e.code()), v, f, where);
            case STRUCT -> {
                if (f.length() == 0) {
                    require(v instanceof StructValue, v, f, where);
                    struct(f.struct(), (StructValue) v, where);
                } else {
                    items(f, v, where, f.length());
                }
            }
            case LIST -> items(f, v, where, -1);
            case SECTION -> {
                require(v instanceof SectionValue, v, f, where);
                struct(f.struct(), ((SectionValue) v).body(), where);
            }
            default -> throw new IllegalStateException("unhandled kind " + k);
        }
    }

    private static void array(Field f, StateTree v, Where where) {
        require(v instanceof ArrayValue a && a.kind() == f.kind() && a.element() == f.element()
                && (f.kind() == Kind.VARRAY || a.length() == f.length()), v, f, where);
        ArrayValue a = (ArrayValue) v;
        for (int i = 0; i < a.length(); i++) {
            if (!f.element().inRange(a.get(i))) {
                throw mismatch("value " + a.get(i) + " out of range", f, where.index(i));
            }
        }
    }

    private static void items(Field f, StateTree v, Where where, int length) {
        Kind expected = length < 0 ? Kind.LIST : Kind.STRUCT;
        require(v instanceof ListValue l && l.kind() == expected && (length < 0 || l.items().size() == length),
                v, f, where);
        List<StructValue> items = ((ListValue) v).items();
        for (int i = 0; i < items.size(); i++) {
            struct(f.struct(), items.get(i), where.index(i));
        }
    }

    private static void require(boolean ok, StateTree v, Field f, Where where) {
        if (!ok) {
            throw found(v, f, where);
        }
    }

    private static SchemaMismatchException found(StateTree v, Field f, Where where) {
        return TreeWalk.located(new SchemaMismatchException("found " + shape(v) + ", expected " + f.describe()), where);
    }

    private static SchemaMismatchException mismatch(String what, Field f, Where where) {
        return TreeWalk.located(new SchemaMismatchException(what + ", expected " + f.describe()), where);
    }

    private static String shape(StateTree v) {
        if (v instanceof BytesValue b) {
            return b.kind().typeName() + "[" + b.length() + "]";
        }
        if (v instanceof ArrayValue a) {
            return a.element().typeName() + "[" + a.length() + "]";
        }
        if (v instanceof ListValue l) {
            return l.kind().typeName() + " of " + l.items().size();
        }
        return v.kind().typeName();
    }
}
