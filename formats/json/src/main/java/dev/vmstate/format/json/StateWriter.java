package dev.vmstate.format.json;

import dev.vmstate.error.VmstateException;
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
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * Writes a section's state, and the plain values of schemas and device trees, through a
 * {@link JsonGenerator}. A state is first {@linkplain #check checked} against its schema, so a
 * state that does not fit is refused before a byte of its record is written; then it is emitted
 * in schema order, which makes the output deterministic.
 *
 * <p>Stateless apart from the generator; not thread-safe.
 */
final class StateWriter {
    private static final HexFormat HEX = HexFormat.of();

    private StateWriter() {
    }

    // ---------------------------------------------------------------- checking

    /** Fails with a {@code StreamWriteException} naming the path unless {@code v} fits {@code s}. */
    static void check(Schema s, StructValue v) {
        List<String> extra = new ArrayList<>();
        for (String name : v.members().keySet()) {
            if (s.member(name) == null) {
                extra.add(name);
            }
        }
        if (!extra.isEmpty()) {
            throw JsonErrors.extraStateMembers(extra);
        }
        for (Field f : s.members()) {
            StateTree t = v.get(f.name());
            try {
                if (t == null) {
                    if (!f.isSection()) {
                        throw JsonErrors.missingStateField();
                    }
                } else {
                    checkValue(f, t);
                }
            } catch (VmstateException e) {
                throw e.prependField(f.name());
            }
        }
    }

    private static void checkValue(Field f, StateTree t) {
        Kind k = f.kind();
        switch (k) {
            case ARRAY, VARRAY -> {
                if (!(t instanceof ArrayValue a) || a.kind() != k || a.element() != f.element()) {
                    throw JsonErrors.stateMismatch(describe(t), f.describe());
                }
                if (k == Kind.ARRAY && a.length() != f.length()) {
                    throw JsonErrors.stateMismatch(a.element().typeName() + "[" + a.length() + "]", f.describe());
                }
            }
            case BUFFER -> {
                if (!(t instanceof BytesValue b) || b.kind() != Kind.BUFFER || b.length() != f.size()) {
                    throw JsonErrors.stateMismatch(describe(t), f.describe());
                }
            }
            case STR -> {
                if (!(t instanceof StrValue s)) {
                    throw JsonErrors.stateMismatch(describe(t), f.describe());
                }
                int bad = JsonInput.unpairedSurrogate(s.value());
                if (bad >= 0) {
                    throw JsonErrors.writeSurrogate(s.value().charAt(bad));
                }
            }
            case ENUM -> {
                if (!(t instanceof EnumValue e)) {
                    throw JsonErrors.stateMismatch(describe(t), f.describe());
                }
                if (!f.enumNames().containsKey(e.code())) {
                    throw JsonErrors.stateMismatch("enum code " + e.code(), "one of " + f.enumNames().keySet());
                }
            }
            case STRUCT -> {
                if (f.length() == 0) {
                    if (!(t instanceof StructValue sv)) {
                        throw JsonErrors.stateMismatch(describe(t), f.describe());
                    }
                    check(f.struct(), sv);
                } else {
                    if (!(t instanceof ListValue l) || l.kind() != Kind.STRUCT || l.items().size() != f.length()) {
                        throw JsonErrors.stateMismatch(describe(t), f.describe());
                    }
                    checkItems(f.struct(), l);
                }
            }
            case LIST -> {
                if (!(t instanceof ListValue l) || l.kind() != Kind.LIST) {
                    throw JsonErrors.stateMismatch(describe(t), f.describe());
                }
                checkItems(f.struct(), l);
            }
            case SECTION -> {
                if (!(t instanceof SectionValue sv)) {
                    throw JsonErrors.stateMismatch(describe(t), f.describe());
                }
                if (sv.version() > f.struct().version()) {
                    throw JsonErrors.stateMismatch("section v" + sv.version(), "at most v" + f.struct().version()
                            + ", the schema's");
                }
                check(f.struct(), sv.body());
            }
            default -> {
                // bool, the integers, f64, bytes: the node's kind says it all.
                if (t.kind() != k) {
                    throw JsonErrors.stateMismatch(describe(t), f.describe());
                }
            }
        }
    }

    private static void checkItems(Schema s, ListValue l) {
        for (int i = 0; i < l.items().size(); i++) {
            try {
                check(s, l.items().get(i));
            } catch (VmstateException e) {
                throw e.prependIndex(i);
            }
        }
    }

    private static String describe(StateTree t) {
        if (t instanceof ListValue l) {
            return (l.kind() == Kind.LIST ? "list" : "struct array") + " of " + l.items().size();
        }
        if (t instanceof BytesValue b) {
            return b.kind().typeName() + "[" + b.length() + "]";
        }
        if (t instanceof ArrayValue a) {
            return a.element().typeName() + (a.kind() == Kind.ARRAY ? "[" + a.length() + "]" : "[]");
        }
        return t.kind().typeName();
    }

    // ---------------------------------------------------------------- emitting

    /** Writes {@code v}, which {@link #check} accepted for {@code s}, as an object in schema order. */
    static void writeStruct(JsonGenerator g, Schema s, StructValue v) {
        g.writeStartObject();
        for (Field f : s.members()) {
            StateTree t = v.get(f.name());
            if (t != null) {
                g.writeName(f.name());
                writeValue(g, f, t);
            }
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, Field f, StateTree t) {
        switch (f.kind()) {
            case BOOL -> g.writeBoolean(((BoolValue) t).value());
            case F64 -> writeF64(g, ((F64Value) t).value());
            case STR -> g.writeString(((StrValue) t).value());
            case BYTES, BUFFER -> g.writeString(HEX.formatHex(((BytesValue) t).bytes()));
            case ARRAY, VARRAY -> {
                ArrayValue a = (ArrayValue) t;
                g.writeStartArray();
                for (int i = 0; i < a.length(); i++) {
                    writeInteger(g, a.element(), a.get(i));
                }
                g.writeEndArray();
            }
            case ENUM -> {
                long code = ((EnumValue) t).code();
                g.writeStartObject();
                g.writeName(JsonConstants.ENUM_CODE);
                g.writeNumber(code);
                g.writeName(JsonConstants.ENUM_NAME);
                g.writeString(f.enumNames().get(code));
                g.writeEndObject();
            }
            case STRUCT, LIST -> {
                if (t instanceof StructValue sv) {
                    writeStruct(g, f.struct(), sv);
                } else {
                    g.writeStartArray();
                    for (StructValue item : ((ListValue) t).items()) {
                        writeStruct(g, f.struct(), item);
                    }
                    g.writeEndArray();
                }
            }
            case SECTION -> {
                SectionValue sv = (SectionValue) t;
                g.writeStartObject();
                g.writeName(JsonConstants.SECTION_VERSION);
                g.writeNumber(sv.version());
                g.writeName(JsonConstants.SECTION_STATE);
                writeStruct(g, f.struct(), sv.body());
                g.writeEndObject();
            }
            default -> writeInteger(g, f.kind(), ((IntValue) t).value());
        }
    }

    /** u64 as its unsigned decimal value, which may exceed {@code Long.MAX_VALUE}. */
    private static void writeInteger(JsonGenerator g, Kind k, long v) {
        if (k == Kind.U64 && v < 0) {
            g.writeNumber(Long.toUnsignedString(v));
        } else {
            g.writeNumber(v);
        }
    }

    /** Finite values as JSON numbers ({@code Double.toString}); NaN and infinities as their raw bits. */
    static void writeF64(JsonGenerator g, double d) {
        if (Double.isFinite(d)) {
            g.writeNumber(d);
        } else {
            g.writeString(String.format("0x%016X", Double.doubleToRawLongBits(d)));
        }
    }

    /** Writes the plain values {@code SchemaJson.toMap}, {@code DeviceTree.toMap} and {@code Envelope.toMap} make. */
    static void writePlain(JsonGenerator g, Object v) {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof Double d) {
            writeF64(g, d);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeName(String.valueOf(e.getKey()));
                writePlain(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                writePlain(g, o);
            }
            g.writeEndArray();
        } else {
            throw JsonErrors.badRecord("no JSON form for a " + v.getClass().getName());
        }
    }
}
