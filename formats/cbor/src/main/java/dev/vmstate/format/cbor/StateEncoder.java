package dev.vmstate.format.cbor;

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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.io.SerializedString;
import tools.jackson.dataformat.cbor.CBORGenerator;

/**
 * Writes a section's state, and the plain values of schemas and device trees, through a
 * {@link CBORGenerator}, in the encoding of {@code docs/formats/cbor.md} §3. A state is first
 * {@linkplain #check checked} against its schema, so a state that does not fit is refused before
 * a byte of its record is written; then it is emitted in schema order with definite lengths
 * everywhere, which makes the output deterministic.
 *
 * <p>Three jackson defaults are worked around here (#4): a string or key of more than 3996
 * characters would be written as an indefinite-length chunked string, so long ones go out as
 * UTF-8 bytes; a u64 at or above 2^63 goes through {@code writeNumberUnsigned}, CBOR's own
 * 9-byte unsigned integer, not a tagged bignum; containers always get their size.
 *
 * <p>Stateless apart from the generator; not thread-safe.
 */
final class StateEncoder {
    /** Up to this many chars jackson writes a string with a definite length; beyond ~4000 it chunks. */
    private static final int SHORT_TEXT = 1024;

    private StateEncoder() {
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
            throw CborErrors.extraStateMembers(extra);
        }
        for (Field f : s.members()) {
            StateTree t = v.get(f.name());
            try {
                if (t == null) {
                    if (!f.isSection()) {
                        throw CborErrors.missingStateField();
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
                    throw CborErrors.stateMismatch(describe(t), f.describe());
                }
                if (k == Kind.ARRAY && a.length() != f.length()) {
                    throw CborErrors.stateMismatch(a.element().typeName() + "[" + a.length() + "]", f.describe());
                }
            }
            case BUFFER -> {
                if (!(t instanceof BytesValue b) || b.kind() != Kind.BUFFER || b.length() != f.size()) {
                    throw CborErrors.stateMismatch(describe(t), f.describe());
                }
            }
            case STR -> {
                if (!(t instanceof StrValue s)) {
                    throw CborErrors.stateMismatch(describe(t), f.describe());
                }
                checkText(s.value());
            }
            case ENUM -> {
                if (!(t instanceof EnumValue e)) {
                    throw CborErrors.stateMismatch(describe(t), f.describe());
                }
                if (!f.enumNames().containsKey(e.code())) {
                    throw CborErrors.stateMismatch("enum code " + e.code(), "one of " + f.enumNames().keySet());
                }
            }
            case STRUCT -> {
                if (f.length() == 0) {
                    if (!(t instanceof StructValue sv)) {
                        throw CborErrors.stateMismatch(describe(t), f.describe());
                    }
                    check(f.struct(), sv);
                } else {
                    if (!(t instanceof ListValue l) || l.kind() != Kind.STRUCT || l.items().size() != f.length()) {
                        throw CborErrors.stateMismatch(describe(t), f.describe());
                    }
                    checkItems(f.struct(), l);
                }
            }
            case LIST -> {
                if (!(t instanceof ListValue l) || l.kind() != Kind.LIST) {
                    throw CborErrors.stateMismatch(describe(t), f.describe());
                }
                checkItems(f.struct(), l);
            }
            case SECTION -> {
                if (!(t instanceof SectionValue sv)) {
                    throw CborErrors.stateMismatch(describe(t), f.describe());
                }
                if (sv.version() > f.struct().version()) {
                    throw CborErrors.stateMismatch("section v" + sv.version(), "at most v" + f.struct().version()
                            + ", the schema's");
                }
                check(f.struct(), sv.body());
            }
            default -> {
                // bool, the integers, f64, bytes: the node's kind says it all.
                if (t.kind() != k) {
                    throw CborErrors.stateMismatch(describe(t), f.describe());
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

    /** Fails unless {@code s} (when not null) can be UTF-8: no unpaired surrogate. */
    static void checkText(String s) {
        int bad = s == null ? -1 : Utf8.unpairedSurrogate(s);
        if (bad >= 0) {
            throw CborErrors.writeSurrogate(s.charAt(bad));
        }
    }

    /** {@link #checkText} over every key and string of a plain value (a schema or device tree map), and its types. */
    static void checkPlain(Object v) {
        if (v instanceof String s) {
            checkText(s);
        } else if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                checkText(String.valueOf(e.getKey()));
                checkPlain(e.getValue());
            }
        } else if (v instanceof List<?> l) {
            for (Object o : l) {
                checkPlain(o);
            }
        } else if (v != null && !(v instanceof Boolean) && !(v instanceof Long || v instanceof Integer
                || v instanceof Short || v instanceof Byte)) {
            throw CborErrors.badRecord("no CBOR form for a " + v.getClass().getName());
        }
    }

    // ---------------------------------------------------------------- emitting

    /** Writes {@code v}, which {@link #check} accepted for {@code s}, as a map in schema order. */
    static void writeStruct(CBORGenerator g, Schema s, StructValue v) {
        // check() let through only members of the schema, every field included: the size is the member count.
        g.writeStartObject(null, v.members().size());
        for (Field f : s.members()) {
            StateTree t = v.get(f.name());
            if (t != null) {
                name(g, f.name());
                writeValue(g, f, t);
            }
        }
        g.writeEndObject();
    }

    private static void writeValue(CBORGenerator g, Field f, StateTree t) {
        switch (f.kind()) {
            case BOOL -> g.writeBoolean(((BoolValue) t).value());
            // jackson writes doubleToRawLongBits after 0xFB: NaN payloads and -0.0 are kept.
            case F64 -> g.writeNumber(((F64Value) t).value());
            case STR -> string(g, ((StrValue) t).value());
            case BYTES, BUFFER -> g.writeBinary(((BytesValue) t).bytes());
            case ARRAY, VARRAY -> {
                ArrayValue a = (ArrayValue) t;
                g.writeStartArray(null, a.length());
                for (int i = 0; i < a.length(); i++) {
                    integer(g, a.element(), a.get(i));
                }
                g.writeEndArray();
            }
            case ENUM -> g.writeNumber(((EnumValue) t).code());
            case STRUCT, LIST -> {
                if (t instanceof StructValue sv) {
                    writeStruct(g, f.struct(), sv);
                } else {
                    List<StructValue> items = ((ListValue) t).items();
                    g.writeStartArray(null, items.size());
                    for (StructValue item : items) {
                        writeStruct(g, f.struct(), item);
                    }
                    g.writeEndArray();
                }
            }
            case SECTION -> {
                SectionValue sv = (SectionValue) t;
                g.writeStartObject(null, 2);
                g.writeName(CborConstants.SECTION_VERSION);
                g.writeNumber(sv.version());
                g.writeName(CborConstants.SECTION_STATE);
                writeStruct(g, f.struct(), sv.body());
                g.writeEndObject();
            }
            default -> integer(g, f.kind(), ((IntValue) t).value());
        }
    }

    /** An integer of {@code k}; a u64 is its bit pattern, so a negative long is a value at or above 2^63. */
    static void integer(CBORGenerator g, Kind k, long v) {
        if (k == Kind.U64 && v < 0) {
            try {
                // #4: major type 0 with an 8-byte argument (0x1B), never tag 2 and a byte string.
                g.writeNumberUnsigned(v);
            } catch (IOException e) {
                throw CborErrors.writeFailed(e);
            }
        } else {
            g.writeNumber(v);
        }
    }

    /** A key, always with a definite length. */
    static void name(CBORGenerator g, String name) {
        if (name.length() <= SHORT_TEXT) {
            g.writeName(name);
        } else {
            g.writeName(new SerializedString(name));
        }
    }

    /** A text string, always with a definite length. */
    static void string(CBORGenerator g, String s) {
        if (s.length() <= SHORT_TEXT) {
            g.writeString(s);
        } else {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            g.writeUTF8String(utf8, 0, utf8.length);
        }
    }

    /** Writes the plain values {@code SchemaJson.toMap} and {@code DeviceTree.toMap} make. */
    static void writePlain(CBORGenerator g, Object v) {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            string(g, s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject(null, m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                name(g, String.valueOf(e.getKey()));
                writePlain(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray(null, l.size());
            for (Object o : l) {
                writePlain(g, o);
            }
            g.writeEndArray();
        } else {
            throw CborErrors.badRecord("no CBOR form for a " + v.getClass().getName());
        }
    }
}
