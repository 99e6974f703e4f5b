package dev.vmstate.format.protobuf;

import dev.vmstate.format.protobuf.internal.EnumName;
import dev.vmstate.format.protobuf.internal.FieldSpec;
import dev.vmstate.format.protobuf.internal.SchemaSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A schema's JSON form ({@code SchemaJson.toMap}, {@code docs/schema.md}) to and from the
 * {@code SchemaSpec} message of {@code vmstate.proto}, key for key: the writer converts the map
 * {@code SchemaJson} makes, the reader rebuilds that map and imports it with
 * {@code SchemaJson.fromMap}, so the two formats of a schema cannot disagree, and every check of
 * the import applies. A key the message has no field for is a {@code StreamWriteException}: a
 * schema must never lose a part silently (#5).
 *
 * <p>Typed fields rather than a generic map, because a schema travels in every stream: the names
 * of its keys become one-byte tags (sample-pc's schemas take half the bytes of a generic map, EveryKind's a third).
 *
 * <p>Stateless and thread-safe.
 */
final class SchemaSpecs {
    private SchemaSpecs() {
    }

    // ---------------------------------------------------------------- writing

    /** The schema map {@code m} (one {@code SchemaJson.toMap} made) as a {@code SchemaSpec}. */
    @SuppressWarnings("unchecked")
    static SchemaSpec spec(Map<String, Object> m) {
        SchemaSpec.Builder b = SchemaSpec.newBuilder();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "vmsd_name" -> b.setVmsdName(text(v));
                case "version" -> b.setVersion(number(v));
                case "minimum_version" -> b.setMinimumVersion(number(v));
                case "fields" -> {
                    for (Object f : (List<Object>) v) {
                        b.addFields(field((Map<String, Object>) f));
                    }
                }
                case "subsections" -> {
                    for (Object s : (List<Object>) v) {
                        b.addSubsections(spec((Map<String, Object>) s));
                    }
                }
                case "must_understand" -> b.setMustUnderstand(Boolean.TRUE.equals(v));
                default -> throw ProtobufErrors.badRecord("no protobuf form for schema key \"" + e.getKey() + "\"");
            }
        }
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static FieldSpec field(Map<String, Object> m) {
        FieldSpec.Builder b = FieldSpec.newBuilder();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "name" -> b.setName(text(v));
                case "type" -> b.setType(text(v));
                case "size" -> b.setSize(number(v));
                case "array_len" -> b.setArrayLen(number(v));
                case "varray" -> b.setVarray(Boolean.TRUE.equals(v));
                case "struct" -> b.setStruct(spec((Map<String, Object>) v));
                case "hint" -> b.setHint(PlainValues.value(v));
                case "names" -> {
                    for (Map.Entry<String, Object> n : ((Map<String, Object>) v).entrySet()) {
                        b.addNames(EnumName.newBuilder().setCode(Long.parseLong(n.getKey())).setName(text(n.getValue())));
                    }
                }
                case "must_understand" -> b.setMustUnderstand(Boolean.TRUE.equals(v));
                default -> throw ProtobufErrors.badRecord("no protobuf form for schema field key \"" + e.getKey() + "\"");
            }
        }
        return b.build();
    }

    private static String text(Object v) {
        String s = String.valueOf(v);
        ProtoOut.checkText(s);
        return s;
    }

    private static long number(Object v) {
        return ((Number) v).longValue();
    }

    // ---------------------------------------------------------------- reading

    /** The schema map {@code SchemaJson.fromMap} takes, from {@code s}; checks what protobuf-java lets through. */
    static Map<String, Object> map(SchemaSpec s) {
        return map(s, "the schema", true);
    }

    private static Map<String, Object> map(SchemaSpec s, String what, boolean top) {
        PlainValues.known(s, what);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vmsd_name", s.getVmsdName());
        m.put("version", s.getVersion());
        if (s.hasMinimumVersion()) {
            m.put("minimum_version", s.getMinimumVersion());
        }
        List<Object> fields = new java.util.ArrayList<>(s.getFieldsCount());
        for (FieldSpec f : s.getFieldsList()) {
            fields.add(field(f, what));
        }
        m.put("fields", fields);
        if (s.getSubsectionsCount() > 0) {
            List<Object> subs = new java.util.ArrayList<>(s.getSubsectionsCount());
            for (SchemaSpec sub : s.getSubsectionsList()) {
                subs.add(map(sub, what, false));
            }
            m.put("subsections", subs);
        }
        if (s.getMustUnderstand()) {
            m.put("must_understand", Boolean.TRUE);
        }
        return m;
    }

    private static Map<String, Object> field(FieldSpec f, String what) {
        PlainValues.known(f, what);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.getName());
        m.put("type", f.getType());
        if (f.hasSize()) {
            m.put("size", f.getSize());
        }
        if (f.hasArrayLen()) {
            m.put("array_len", f.getArrayLen());
        }
        if (f.getVarray()) {
            m.put("varray", Boolean.TRUE);
        }
        if (f.hasStruct()) {
            m.put("struct", map(f.getStruct(), what, false));
        }
        if (f.hasHint()) {
            m.put("hint", PlainValues.toJava(f.getHint(), what));
        }
        if (f.getNamesCount() > 0 || "enum".equals(f.getType())) {
            Map<String, Object> names = new LinkedHashMap<>();
            for (EnumName n : f.getNamesList()) {
                PlainValues.known(n, what);
                if (names.put(Long.toString(n.getCode()), n.getName()) != null) {
                    throw ProtobufErrors.badValue(what, "enum code " + n.getCode() + " named twice");
                }
            }
            m.put("names", names);
        }
        if (f.getMustUnderstand()) {
            m.put("must_understand", Boolean.TRUE);
        }
        return m;
    }
}
