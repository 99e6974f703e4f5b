package dev.vmstate.visitor;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One token of the event list a {@link RecordingVisitor} records, in the spirit of serde_test's
 * tokens: device tests assert the exact sequence a {@code visit} produces without any format.
 *
 * <p>Values are normalised so that {@code equals} compares content: integers as {@code Long},
 * byte fields as lower-case hex {@code String}s, integer arrays as {@code List<Long>}, enums as
 * their constant's name.
 *
 * @param type  what happened
 * @param name  the field, struct, list or section name; {@code null} for end tokens
 * @param kind  the field's kind; {@code null} for structure tokens
 * @param value the normalised value, a length for {@link Type#LIST_START}, a version for
 *              {@link Type#SECTION_START}; {@code null} otherwise
 * @since 0.1
 */
public record Event(Type type, String name, Kind kind, Object value) {

    /** The token types. */
    public enum Type { FIELD, STRUCT_START, STRUCT_END, LIST_START, LIST_END, SECTION_START, SECTION_END, SECTION_ABSENT }

    public static Event field(String name, Kind kind, Object value) {
        return new Event(Type.FIELD, name, kind, normalise(value));
    }

    public static Event bool(String name, boolean v) {
        return field(name, Kind.BOOL, v);
    }

    public static Event i8(String name, long v) {
        return field(name, Kind.I8, v);
    }

    public static Event i16(String name, long v) {
        return field(name, Kind.I16, v);
    }

    public static Event i32(String name, long v) {
        return field(name, Kind.I32, v);
    }

    public static Event i64(String name, long v) {
        return field(name, Kind.I64, v);
    }

    public static Event u8(String name, long v) {
        return field(name, Kind.U8, v);
    }

    public static Event u16(String name, long v) {
        return field(name, Kind.U16, v);
    }

    public static Event u32(String name, long v) {
        return field(name, Kind.U32, v);
    }

    public static Event u64(String name, long v) {
        return field(name, Kind.U64, v);
    }

    public static Event f64(String name, double v) {
        return field(name, Kind.F64, v);
    }

    public static Event str(String name, String v) {
        return field(name, Kind.STR, v);
    }

    public static Event bytes(String name, byte[] v) {
        return field(name, Kind.BYTES, v);
    }

    public static Event buffer(String name, byte[] v) {
        return field(name, Kind.BUFFER, v);
    }

    public static Event array(String name, long... v) {
        return field(name, Kind.ARRAY, v);
    }

    public static Event varray(String name, long... v) {
        return field(name, Kind.VARRAY, v);
    }

    public static Event enumeration(String name, Enum<?> v) {
        return field(name, Kind.ENUM, v.name());
    }

    public static Event structStart(String name) {
        return new Event(Type.STRUCT_START, name, null, null);
    }

    public static Event structEnd() {
        return new Event(Type.STRUCT_END, null, null, null);
    }

    public static Event listStart(String name, int length) {
        return new Event(Type.LIST_START, name, null, (long) length);
    }

    public static Event listEnd() {
        return new Event(Type.LIST_END, null, null, null);
    }

    public static Event sectionStart(String name, int version) {
        return new Event(Type.SECTION_START, name, null, (long) version);
    }

    public static Event sectionEnd() {
        return new Event(Type.SECTION_END, null, null, null);
    }

    public static Event sectionAbsent(String name) {
        return new Event(Type.SECTION_ABSENT, name, null, null);
    }

    static Object normalise(Object v) {
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Short s) {
            return s.longValue();
        }
        if (v instanceof Byte b) {
            return b.longValue();
        }
        if (v instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        if (v instanceof long[] a) {
            return Arrays.stream(a).boxed().toList();
        }
        if (v instanceof List<?> l) {
            return l;
        }
        return v;
    }

    @Override
    public String toString() {
        return switch (type) {
            case FIELD -> kind.typeName() + " " + name + "=" + value;
            case STRUCT_START, SECTION_ABSENT -> type + " " + name;
            case LIST_START -> type + " " + name + " (" + value + ")";
            case SECTION_START -> type + " " + name + " v" + value;
            default -> type.toString();
        };
    }
}
