package dev.vmstate.compat;

import dev.vmstate.internal.JsonValues;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of a default value, read and written with the field it belongs to, so a value
 * needs no type tags: integers as numbers ({@code uint64} unsigned), bytes and buffers as hex
 * strings, enums as their code, structs as objects, lists and struct arrays as arrays of objects,
 * an absent section as {@code null} and a present one as {@code {"version": n, "body": {...}}}.
 * Non-finite {@code float64} values are the strings {@code "NaN"}, {@code "Infinity"} and
 * {@code "-Infinity"}, as the project's JSON writer puts them; a NaN with another payload is its
 * raw bits, {@code "0x7FF0000000000001"}.
 */
final class ValueJson {
    private static final HexFormat HEX = HexFormat.of();

    private ValueJson() {
    }

    static Object write(Field f, StateTree v) {
        if (v == null) {
            return null;
        }
        if (v instanceof IntValue i) {
            return i.kind() == Kind.U64 && i.value() < 0 ? IntRanges.value(Kind.U64, i.value()) : (Object) i.value();
        }
        if (v instanceof BoolValue b) {
            return b.value();
        }
        if (v instanceof F64Value d) {
            long bits = Double.doubleToRawLongBits(d.value());
            // A NaN other than Java's canonical one keeps its payload as raw bits: F64Value compares bits.
            return Double.isNaN(d.value()) && bits != Double.doubleToRawLongBits(Double.NaN)
                    ? String.format("0x%016X", bits) : (Object) d.value();
        }
        if (v instanceof StrValue s) {
            return s.value();
        }
        if (v instanceof BytesValue b) {
            return HEX.formatHex(b.bytes());
        }
        if (v instanceof ArrayValue a) {
            List<Object> out = new ArrayList<>();
            for (long x : a.values()) {
                out.add(write(Field.scalar("", a.element(), null), new IntValue(a.element(), x)));
            }
            return out;
        }
        if (v instanceof EnumValue e) {
            return e.code();
        }
        if (v instanceof StructValue s) {
            return struct(f.struct(), s);
        }
        if (v instanceof ListValue l) {
            return l.items().stream().map(s -> (Object) struct(f.struct(), s)).toList();
        }
        SectionValue sec = (SectionValue) v;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", (long) sec.version());
        m.put("body", struct(f.struct(), sec.body()));
        return m;
    }

    private static Map<String, Object> struct(Schema s, StructValue v) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Field f : s.members()) {
            if (v.get(f.name()) != null || !f.isSection()) {
                m.put(f.name(), write(f, v.get(f.name())));
            }
        }
        return m;
    }

    /** The value of {@code f} that {@code json} stands for; errors name {@code at}. */
    static StateTree read(Field f, Object json, String at) {
        if (json == null) {
            if (f.isSection()) {
                return null;
            }
            throw bad(at, "expected a " + f.describe() + ", found null");
        }
        Kind k = f.kind();
        if (k.isInteger()) {
            return new IntValue(k, integer(k, json, at));
        }
        switch (k) {
            case BOOL:
                if (json instanceof Boolean b) {
                    return new BoolValue(b);
                }
                break;
            case F64:
                return new F64Value(f64(json, at));
            case STR:
                if (json instanceof String s) {
                    return new StrValue(s);
                }
                break;
            case BYTES:
            case BUFFER:
                if (json instanceof String s) {
                    try {
                        return new BytesValue(k, HEX.parseHex(s));
                    } catch (IllegalArgumentException e) {
                        throw bad(at, "expected hex digits, found \"" + s + "\"");
                    }
                }
                break;
            case ARRAY:
            case VARRAY: {
                List<Object> items = array(json, at);
                long[] values = new long[items.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = integer(f.element(), items.get(i), at + "[" + i + "]");
                }
                return new ArrayValue(k, f.element(), values);
            }
            case ENUM:
                return enumValue(f, json, at);
            case STRUCT:
                if (f.length() == 0) {
                    return struct(f.struct(), json, at);
                }
                return new ListValue(Kind.STRUCT, structs(f.struct(), json, at));
            case LIST:
                return new ListValue(Kind.LIST, structs(f.struct(), json, at));
            case SECTION: {
                Map<String, Object> m = object(json, at);
                long version = JsonValues.integer(m, "version", at);
                if (version < 0 || version > Integer.MAX_VALUE) {
                    throw bad(at + ".version", version + " is not a section version");
                }
                return new SectionValue((int) version, struct(f.struct(), m.get("body"), at + ".body"));
            }
            default:
                break;
        }
        throw bad(at, "expected a " + f.describe() + ", found " + JsonValues.describe(json));
    }

    private static StructValue struct(Schema s, Object json, String at) {
        Map<String, Object> m = object(json, at);
        Map<String, StateTree> members = new LinkedHashMap<>();
        for (Field f : s.members()) {
            if (m.containsKey(f.name()) || !f.isSection()) {
                StateTree v = read(f, m.get(f.name()), at + "." + f.name());
                if (v != null) {
                    members.put(f.name(), v);
                }
            }
        }
        for (String name : m.keySet()) {
            if (s.member(name) == null) {
                throw bad(at, "unknown member " + name + " of " + s.name());
            }
        }
        return new StructValue(s.name(), members);
    }

    private static List<StructValue> structs(Schema s, Object json, String at) {
        List<Object> items = array(json, at);
        List<StructValue> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(struct(s, items.get(i), at + "[" + i + "]"));
        }
        return out;
    }

    private static long integer(Kind k, Object json, String at) {
        BigInteger v;
        if (json instanceof Long l) {
            v = BigInteger.valueOf(l);
        } else if (json instanceof BigInteger b) {
            v = b;
        } else {
            throw bad(at, "expected an integer, found " + JsonValues.describe(json));
        }
        if (!IntRanges.holds(k, v)) {
            throw bad(at, "invalid value " + v + " for " + k.typeName() + ", expected " + IntRanges.range(k));
        }
        return v.longValue();
    }

    private static double f64(Object json, String at) {
        if (json instanceof Double d) {
            return d;
        }
        if (json instanceof Long l) {
            return l;
        }
        if (json instanceof String s && (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity"))) {
            return Double.parseDouble(s);
        }
        if (json instanceof String s && s.matches("0x[0-9A-Fa-f]{16}")) {
            return Double.longBitsToDouble(Long.parseUnsignedLong(s.substring(2), 16));
        }
        throw bad(at, "expected a number, found " + JsonValues.describe(json));
    }

    private static EnumValue enumValue(Field f, Object json, String at) {
        if (json instanceof String name) {
            for (Map.Entry<Long, String> e : f.enumNames().entrySet()) {
                if (e.getValue().equals(name)) {
                    return new EnumValue(e.getKey(), name);
                }
            }
            throw bad(at, "unknown enum name \"" + name + "\", expected one of " + f.enumNames().values());
        }
        long code = integer(Kind.U32, json, at);
        if (!f.enumNames().containsKey(code)) {
            throw bad(at, "invalid enum code " + code + ", expected one of " + f.enumNames().keySet());
        }
        return new EnumValue(code, f.enumNames().get(code));
    }

    private static Map<String, Object> object(Object json, String at) {
        if (json instanceof Map<?, ?>) {
            return JsonValues.object(json, at);
        }
        throw bad(at, "expected an object, found " + JsonValues.describe(json));
    }

    private static List<Object> array(Object json, String at) {
        if (json instanceof List<?>) {
            return JsonValues.array(json, at);
        }
        throw bad(at, "expected an array, found " + JsonValues.describe(json));
    }

    private static IllegalArgumentException bad(String at, String what) {
        return new IllegalArgumentException(at + ": " + what);
    }
}
