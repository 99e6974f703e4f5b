package dev.vmstate.tree;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
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
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of a device this build has no class for: a {@link Schema} and a {@link StructValue},
 * visited as if they were a device. Saving replays the tree's values through any visitor; loading
 * builds a new tree from what the visitor returns. This is how a section described only by its
 * stream (or by a schema file) is read, kept and written again in any format without loss.
 *
 * <p>Absent members start as their kind's zero (0, false, empty, all-zero buffer), so a fresh
 * instance is a valid load target. Not thread-safe.
 *
 * @since 0.1
 */
public final class GenericState implements Visitable {
    private final Schema schema;
    private StructValue tree;

    /** A load target for {@code schema}, with every field at its zero value and every section absent. */
    public GenericState(Schema schema) {
        this(schema, null);
    }

    /** {@code tree} (which should fit {@code schema}) ready to be saved; {@code null} for zero values. */
    public GenericState(Schema schema, StructValue tree) {
        this.schema = schema;
        this.tree = tree;
    }

    public Schema schema() {
        return schema;
    }

    /** The state: as given, or as the last visit left it. */
    public StructValue tree() {
        return tree != null ? tree : new StructValue(schema.name(), Map.of());
    }

    @Override
    public String typeName() {
        return schema.name();
    }

    @Override
    public int typeVersion() {
        return schema.version();
    }

    @Override
    public void visit(Visitor v) {
        tree = walk(v, schema, tree);
    }

    private static StructValue walk(Visitor v, Schema s, StructValue in) {
        LinkedHashMap<String, StateTree> out = new LinkedHashMap<>();
        for (Field f : s.members()) {
            StateTree cur = in == null ? null : in.get(f.name());
            StateTree r = member(v, f, cur);
            if (r != null) {
                out.put(f.name(), r);
            }
        }
        return StructValue.owning(s.name(), out);
    }

    private static long integer(StateTree cur) {
        return cur instanceof IntValue i ? i.value() : 0;
    }

    private static StateTree member(Visitor v, Field f, StateTree cur) {
        String n = f.name();
        switch (f.kind()) {
            case BOOL:
                return new BoolValue(v.bool(n, cur instanceof BoolValue b && b.value()));
            case I8:
                return new IntValue(Kind.I8, v.i8(n, (int) integer(cur), f.hint()));
            case I16:
                return new IntValue(Kind.I16, v.i16(n, (int) integer(cur), f.hint()));
            case I32:
                return new IntValue(Kind.I32, v.i32(n, (int) integer(cur), f.hint()));
            case I64:
                return new IntValue(Kind.I64, v.i64(n, integer(cur), f.hint()));
            case U8:
                return new IntValue(Kind.U8, v.u8(n, (int) integer(cur), f.hint()));
            case U16:
                return new IntValue(Kind.U16, v.u16(n, (int) integer(cur), f.hint()));
            case U32:
                return new IntValue(Kind.U32, v.u32(n, integer(cur), f.hint()));
            case U64:
                return new IntValue(Kind.U64, v.u64(n, integer(cur), f.hint()));
            case F64:
                return new F64Value(v.f64(n, cur instanceof F64Value d ? d.value() : 0.0));
            case STR:
                return new StrValue(v.str(n, cur instanceof StrValue t ? t.value() : ""));
            case BYTES:
                return new BytesValue(Kind.BYTES, v.bytes(n, cur instanceof BytesValue b ? b.bytes() : new byte[0]));
            case BUFFER: {
                byte[] b = cur instanceof BytesValue bv && bv.length() == f.size() ? bv.bytes() : new byte[f.size()];
                return new BytesValue(Kind.BUFFER, v.buffer(n, b, f.size()));
            }
            case ARRAY: {
                long[] a = cur instanceof ArrayValue av && av.length() == f.length() ? av.values() : new long[f.length()];
                return new ArrayValue(Kind.ARRAY, f.element(), v.array(n, f.element(), a));
            }
            case VARRAY:
                return new ArrayValue(Kind.VARRAY, f.element(),
                        v.varray(n, f.element(), cur instanceof ArrayValue av ? av.values() : new long[0]));
            case ENUM: {
                long code = cur instanceof EnumValue e ? e.code()
                        : f.enumNames().keySet().stream().min(Long::compare).orElse(0L);
                long r = v.enumCode(n, code, f.enumNames());
                return new EnumValue(r, f.enumNames().get(r));
            }
            case STRUCT: {
                if (f.length() == 0) {
                    GenericState g = new GenericState(f.struct(), cur instanceof StructValue sv ? sv : null);
                    v.struct(n, g);
                    return g.tree();
                }
                List<StructValue> items = cur instanceof ListValue l ? l.items() : List.of();
                GenericState[] arr = new GenericState[f.length()];
                for (int i = 0; i < arr.length; i++) {
                    arr[i] = new GenericState(f.struct(), i < items.size() ? items.get(i) : null);
                }
                v.structs(n, arr);
                return new ListValue(Kind.STRUCT, trees(List.of(arr)));
            }
            case LIST: {
                List<GenericState> items = new ArrayList<>();
                if (cur instanceof ListValue l) {
                    for (StructValue sv : l.items()) {
                        items.add(new GenericState(f.struct(), sv));
                    }
                }
                List<GenericState> r = v.list(n, items, () -> new GenericState(f.struct()));
                return new ListValue(Kind.LIST, trees(r));
            }
            case SECTION: {
                boolean present = cur instanceof SectionValue;
                GenericState body = new GenericState(f.struct(), present ? ((SectionValue) cur).body() : null);
                int version = present ? ((SectionValue) cur).version() : f.struct().version();
                boolean visited = v.section(n, version, present, body);
                return visited ? new SectionValue(version, body.tree()) : null;
            }
            default:
                throw new IllegalStateException("unhandled kind " + f.kind());
        }
    }

    private static List<StructValue> trees(List<GenericState> states) {
        List<StructValue> out = new ArrayList<>(states.size());
        for (GenericState g : states) {
            out.add(g.tree());
        }
        return out;
    }
}
