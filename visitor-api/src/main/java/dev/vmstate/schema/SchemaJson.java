package dev.vmstate.schema;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.internal.Json;
import dev.vmstate.internal.JsonValues;
import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports and imports a {@link Schema} as JSON shaped like QEMU's vmdesc ({@code vmsd_name},
 * {@code version}, {@code fields} with {@code name}/{@code type}/{@code size}/{@code array_len},
 * {@code struct}, {@code subsections}), with vmstate's additions spelled out in
 * {@code docs/schema.md}. Import is strict: an unknown type, a missing member or a bad value is a
 * {@link MalformedStreamException} naming the JSON path.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class SchemaJson {
    /** The key of the must-understand flag, on a field object or a subsection object. */
    public static final String MUST_UNDERSTAND = "must_understand";

    private SchemaJson() {
    }

    /** The schema as indented JSON. */
    public static String toJson(Schema schema) {
        return Json.pretty(toMap(schema, true));
    }

    /** The schema as a tree of maps and lists, ready for embedding into a larger JSON document. */
    public static Map<String, Object> toMap(Schema schema) {
        return toMap(schema, true);
    }

    private static Map<String, Object> toMap(Schema s, boolean top) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vmsd_name", s.name());
        m.put("version", (long) s.version());
        if (top || s.minimumVersion() != s.version()) {
            m.put("minimum_version", (long) s.minimumVersion());
        }
        List<Object> fields = new ArrayList<>();
        List<Object> subsections = new ArrayList<>();
        for (Field f : s.members()) {
            if (f.isSection()) {
                Map<String, Object> sub = toMap(f.struct().name().equals(f.name()) ? f.struct()
                        : new Schema(f.name(), f.struct().version(), f.struct().minimumVersion(),
                        f.struct().members()), false);
                if (f.mustUnderstand()) {
                    sub.put(MUST_UNDERSTAND, Boolean.TRUE);
                }
                subsections.add(sub);
            } else {
                fields.add(fieldToMap(f));
            }
        }
        m.put("fields", fields);
        if (!subsections.isEmpty()) {
            m.put("subsections", subsections);
        }
        return m;
    }

    private static Map<String, Object> fieldToMap(Field f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        switch (f.kind()) {
            case ARRAY -> {
                m.put("type", f.element().typeName());
                m.put("array_len", (long) f.length());
                m.put("size", (long) f.size());
            }
            case VARRAY -> {
                m.put("type", f.element().typeName());
                m.put("varray", Boolean.TRUE);
                m.put("size", (long) f.size());
            }
            case STRUCT -> {
                m.put("type", "struct");
                if (f.length() > 0) {
                    m.put("array_len", (long) f.length());
                }
                m.put("struct", toMap(f.struct(), false));
            }
            case LIST -> {
                m.put("type", "list");
                m.put("struct", toMap(f.struct(), false));
            }
            case ENUM -> {
                m.put("type", "enum");
                m.put("size", 4L);
                Map<String, Object> names = new LinkedHashMap<>();
                f.enumNames().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(e -> names.put(Long.toString(e.getKey()), e.getValue()));
                m.put("names", names);
            }
            case STR, BYTES -> m.put("type", f.kind().typeName());
            default -> {
                m.put("type", f.kind().typeName());
                m.put("size", (long) f.size());
            }
        }
        if (f.hint() != null) {
            m.put("hint", hintToJson(f.hint()));
        }
        if (f.mustUnderstand()) {
            m.put(MUST_UNDERSTAND, Boolean.TRUE);
        }
        return m;
    }

    /** A hint in its JSON form: {@code "hex"}, {@code "timer"}, {@code {"flags": [...]}} or {@code {"names": {...}}}. */
    public static Object hintToJson(Hint h) {
        if (h instanceof Hint.Flags flags) {
            return Map.of("flags", flags.bitNames());
        }
        if (h instanceof Hint.Names names) {
            Map<String, Object> n = new LinkedHashMap<>();
            names.names().forEach((k, v) -> n.put(Long.toString(k), v));
            return Map.of("names", n);
        }
        return h.id();
    }

    /** Parses a schema written by {@link #toJson(Schema)} (or by hand, to the same rules). */
    public static Schema fromJson(String json) {
        return fromMap(JsonValues.object(Json.parse(json), "$"), "$", true);
    }

    /** Reads a schema from a parsed JSON object, e.g. one embedded in a larger document. */
    public static Schema fromMap(Map<String, Object> m) {
        return fromMap(m, "$", true);
    }

    private static Schema fromMap(Map<String, Object> m, String at, boolean top) {
        String name = JsonValues.string(m, "vmsd_name", at);
        int version = (int) nonNegative(JsonValues.integer(m, "version", at), at + ".version");
        int minimum = (int) nonNegative(JsonValues.integer(m, "minimum_version", version, at), at + ".minimum_version");
        List<Field> members = new ArrayList<>();
        List<Object> fields = JsonValues.array(m.getOrDefault("fields", List.of()), at + ".fields");
        for (int i = 0; i < fields.size(); i++) {
            String fat = at + ".fields[" + i + "]";
            Map<String, Object> fm = JsonValues.object(fields.get(i), fat);
            members.add(fieldFromMap(fm, fat).withMustUnderstand(mustUnderstand(fm, fat)));
        }
        List<Object> subs = JsonValues.array(m.getOrDefault("subsections", List.of()), at + ".subsections");
        for (int i = 0; i < subs.size(); i++) {
            String sat = at + ".subsections[" + i + "]";
            Map<String, Object> sub = JsonValues.object(subs.get(i), sat);
            Schema body = fromMap(sub, sat, false);
            members.add(Field.section(body.name(), body).withMustUnderstand(mustUnderstand(sub, sat)));
        }
        return new Schema(name, version, minimum, members);
    }

    private static Field fieldFromMap(Map<String, Object> m, String at) {
        String name = JsonValues.string(m, "name", at);
        String type = JsonValues.string(m, "type", at);
        Hint hint = m.containsKey("hint") ? hintFromJson(m.get("hint"), at + ".hint") : null;
        switch (type) {
            case "struct": {
                Schema s = fromMap(JsonValues.object(m.get("struct"), at + ".struct"), at + ".struct", false);
                return Field.struct(name, s, (int) nonNegative(JsonValues.integer(m, "array_len", 0, at),
                        at + ".array_len"));
            }
            case "list":
                return Field.list(name, fromMap(JsonValues.object(m.get("struct"), at + ".struct"), at + ".struct", false));
            case "enum": {
                Map<Long, String> names = new LinkedHashMap<>();
                JsonValues.object(m.get("names"), at + ".names").forEach((k, v) -> {
                    try {
                        names.put(Long.parseLong(k), String.valueOf(v));
                    } catch (NumberFormatException e) {
                        throw new MalformedStreamException(at + ".names: \"" + k + "\" is not an integer code");
                    }
                });
                return Field.enumeration(name, names);
            }
            case "buffer":
                return Field.buffer(name, (int) nonNegative(JsonValues.integer(m, "size", at), at + ".size"));
            case "string":
                return Field.variable(name, Kind.STR);
            case "bytes":
                return Field.variable(name, Kind.BYTES);
            default:
                break;
        }
        Kind kind = Kind.fromTypeName(type);
        if (kind == null || !(kind.isScalar()) || kind == Kind.ENUM) {
            throw new MalformedStreamException(at + ".type: unknown type \"" + type + "\"");
        }
        if (m.containsKey("array_len")) {
            requireInteger(kind, at);
            return withHint(Field.array(name, kind, (int) nonNegative(JsonValues.integer(m, "array_len", at),
                    at + ".array_len")), hint);
        }
        if (Boolean.TRUE.equals(m.get("varray"))) {
            requireInteger(kind, at);
            return withHint(Field.varray(name, kind), hint);
        }
        return Field.scalar(name, kind, hint);
    }

    /** The optional {@code "must_understand"} key: {@code true}, {@code false} or absent (false). */
    private static boolean mustUnderstand(Map<String, Object> m, String at) {
        Object v = m.get(MUST_UNDERSTAND);
        if (v == null || v instanceof Boolean) {
            return Boolean.TRUE.equals(v);
        }
        throw new MalformedStreamException(at + "." + MUST_UNDERSTAND + ": expected true or false, found "
                + JsonValues.describe(v));
    }

    private static void requireInteger(Kind kind, String at) {
        if (!kind.isInteger()) {
            throw new MalformedStreamException(at + ".type: arrays hold integer kinds, found \"" + kind.typeName() + "\"");
        }
    }

    private static Field withHint(Field f, Hint hint) {
        return new Field(f.name(), f.kind(), f.size(), f.length(), f.element(), f.struct(), hint, f.enumNames());
    }

    private static long nonNegative(long v, String at) {
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new MalformedStreamException(at + ": " + v + " is not a valid size");
        }
        return v;
    }

    /** The hint {@link #hintToJson} wrote; anything else fails naming the JSON path {@code at}. */
    public static Hint hintFromJson(Object v, String at) {
        if ("hex".equals(v)) {
            return Hint.HEX;
        }
        if ("timer".equals(v)) {
            return Hint.TIMER;
        }
        if (v instanceof Map<?, ?>) {
            Map<String, Object> m = JsonValues.object(v, at);
            if (m.containsKey("flags")) {
                List<Object> bits = JsonValues.array(m.get("flags"), at + ".flags");
                return Hint.flags(bits.stream().map(b -> b == null ? "" : b.toString()).toArray(String[]::new));
            }
            if (m.containsKey("names")) {
                Map<Long, String> names = new LinkedHashMap<>();
                JsonValues.object(m.get("names"), at + ".names").forEach((k, val) -> {
                    try {
                        names.put(Long.parseLong(k), String.valueOf(val));
                    } catch (NumberFormatException e) {
                        throw new MalformedStreamException(at + ".names: \"" + k + "\" is not an integer value");
                    }
                });
                return Hint.names(names);
            }
        }
        throw new MalformedStreamException(at + ": unknown hint " + JsonValues.describe(v));
    }
}
