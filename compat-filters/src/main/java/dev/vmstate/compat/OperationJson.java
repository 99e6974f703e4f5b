package dev.vmstate.compat;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.internal.JsonValues;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.tree.StateTree;
import dev.vmstate.visitor.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One declarative operation in and out of its JSON object ({@code {"op": "add", "path": [...], ...}});
 * the layout is documented on {@link CompatJson}. Errors are {@link IllegalArgumentException}s
 * that start with the JSON location they are about. A {@link Transform} has a JSON form only in a
 * declaration (the static checker's export): {@code {"op": "transform", "path": [...], "name": ...,
 * "lossless": ...}}, read back as {@link Transform#declared}.
 */
final class OperationJson {
    private OperationJson() {
    }

    static Map<String, Object> write(Operation op) {
        return write(op, false);
    }

    /** {@code op}'s JSON object; with {@code declared}, a transform is written by name, path and flag. */
    static Map<String, Object> write(Operation op, boolean declared) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (op instanceof Rename r) {
            put(m, "rename", r.path());
            m.put("to", r.newName());
        } else if (op instanceof Retype r) {
            put(m, "retype", r.path());
            m.put("from", r.from().typeName());
            m.put("to", r.to().typeName());
        } else if (op instanceof Add a) {
            put(m, "add", a.path());
            m.put("field", field(a.field()));
            m.put("default", ValueJson.write(a.field(), a.defaultValue()));
        } else if (op instanceof Remove r) {
            put(m, "remove", r.path());
            m.put("field", field(r.field()));
            m.put("default", ValueJson.write(r.field(), r.defaultValue()));
            putIfSet(m, "after", r.after());
        } else if (op instanceof MoveIntoSection mv) {
            put(m, "move_into_section", mv.path());
            m.put("section", mv.section());
            putIfSet(m, "former_after", mv.formerAfter());
        } else if (op instanceof MoveOutOfSection mv) {
            put(m, "move_out_of_section", mv.path());
            putIfSet(m, "former_after", mv.formerAfter());
        } else if (op instanceof Split s) {
            put(m, "split", s.path());
            m.put("type", s.kind().typeName());
            m.put("parts", parts(s.parts()));
        } else if (op instanceof Merge s) {
            put(m, "merge", s.path());
            m.put("type", s.kind().typeName());
            m.put("parts", parts(s.parts()));
        } else if (declared && op instanceof Transform t) {
            put(m, "transform", t.path());
            m.put("name", t.name());
            m.put("lossless", t.lossless());
        } else {
            throw new IllegalArgumentException(op.describe() + ": a transform is code and has no JSON form");
        }
        return m;
    }

    private static void put(Map<String, Object> m, String op, List<String> path) {
        m.put("op", op);
        m.put("path", List.copyOf(path));
    }

    private static void putIfSet(Map<String, Object> m, String key, String anchor) {
        if (anchor != null) {
            m.put(key, anchor);
        }
    }

    private static List<Object> parts(List<Part> parts) {
        List<Object> out = new ArrayList<>();
        for (Part p : parts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("type", p.kind().typeName());
            m.put("shift", (long) p.shift());
            m.put("bits", (long) p.bits());
            out.add(m);
        }
        return out;
    }

    /** A field in {@link SchemaJson}'s form: a field object, or a subsection object for a section. */
    private static Map<String, Object> field(Field f) {
        Map<String, Object> wrapper = SchemaJson.toMap(new Schema("op", 0, 0, List.of(f)));
        return JsonValues.object(JsonValues.array(wrapper.get(f.isSection() ? "subsections" : "fields"), "$")
                .get(0), "$");
    }

    /** The operation {@code m} describes, at JSON location {@code at}. */
    static Operation read(Map<String, Object> m, String at) {
        return read(m, at, false);
    }

    /** As {@link #read(Map, String)}; with {@code declared}, a transform becomes {@link Transform#declared}. */
    static Operation read(Map<String, Object> m, String at, boolean declared) {
        String op = JsonValues.string(m, "op", at);
        List<String> path = path(m, at);
        switch (op) {
            case "rename":
                return new Rename(path, JsonValues.string(m, "to", at));
            case "retype":
                return new Retype(path, kind(m, "from", at), kind(m, "to", at));
            case "add": {
                Field f = field(m, at);
                return new Add(path, f, value(f, m, at));
            }
            case "remove": {
                Field f = field(m, at);
                return new Remove(path, f, value(f, m, at), anchor(m, "after", at));
            }
            case "move_into_section":
                return new MoveIntoSection(path, JsonValues.string(m, "section", at), null,
                        anchor(m, "former_after", at));
            case "move_out_of_section":
                return new MoveOutOfSection(path, null, anchor(m, "former_after", at));
            case "split":
                return new Split(path, kind(m, "type", at), parts(m, at));
            case "merge":
                return new Merge(path, kind(m, "type", at), parts(m, at));
            case "transform":
                if (declared) {
                    return Transform.declared(JsonValues.string(m, "name", at), path, flag(m, "lossless", at));
                }
                throw new IllegalArgumentException(at + ": a transform needs code, so it cannot come from JSON;"
                        + " declare it in Java next to the device");
            default:
                throw new IllegalArgumentException(at + ".op: unknown operation \"" + op + "\", expected one of rename,"
                        + " retype, add, remove, move_into_section, move_out_of_section, split, merge");
        }
    }

    private static List<String> path(Map<String, Object> m, String at) {
        List<String> out = new ArrayList<>();
        List<Object> items = JsonValues.array(m.get("path"), at + ".path");
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof String s)) {
                throw new IllegalArgumentException(at + ".path[" + i + "]: expected a member name, found "
                        + JsonValues.describe(items.get(i)));
            }
            out.add(s);
        }
        return out;
    }

    private static Kind kind(Map<String, Object> m, String key, String at) {
        String name = JsonValues.string(m, key, at);
        Kind k = Kind.fromTypeName(name);
        if (k == null) {
            throw new IllegalArgumentException(at + "." + key + ": unknown type \"" + name + "\"");
        }
        return k;
    }

    private static boolean flag(Map<String, Object> m, String key, String at) {
        Object v = m.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(at + "." + key + ": expected true or false, found "
                + (v == null && !m.containsKey(key) ? "nothing" : JsonValues.describe(v)));
    }

    private static String anchor(Map<String, Object> m, String key, String at) {
        return m.containsKey(key) ? JsonValues.string(m, key, at) : null;
    }

    private static Field field(Map<String, Object> m, String at) {
        Map<String, Object> f = JsonValues.object(m.get("field"), at + ".field");
        boolean section = f.containsKey("vmsd_name");
        Map<String, Object> wrapper = new LinkedHashMap<>();
        wrapper.put("vmsd_name", "op");
        wrapper.put("version", 0L);
        wrapper.put(section ? "subsections" : "fields", List.of(f));
        try {
            return SchemaJson.fromMap(wrapper).members().get(0);
        } catch (MalformedStreamException e) {
            // SchemaJson names places inside the wrapper; name them inside this file instead.
            String msg = e.getOriginalMessage().replace(section ? "$.subsections[0]" : "$.fields[0]", at + ".field");
            throw new IllegalArgumentException(msg, e);
        }
    }

    private static StateTree value(Field f, Map<String, Object> m, String at) {
        if (!m.containsKey("default")) {
            throw new IllegalArgumentException(at + ".default: missing; a " + f.describe()
                    + " needs the value the other version stands for" + (f.isSection() ? " (null: absent)" : ""));
        }
        return ValueJson.read(f, m.get("default"), at + ".default");
    }

    private static List<Part> parts(Map<String, Object> m, String at) {
        List<Part> out = new ArrayList<>();
        List<Object> items = JsonValues.array(m.get("parts"), at + ".parts");
        for (int i = 0; i < items.size(); i++) {
            String pat = at + ".parts[" + i + "]";
            Map<String, Object> p = JsonValues.object(items.get(i), pat);
            out.add(new Part(JsonValues.string(p, "name", pat), kind(p, "type", pat),
                    small(p, "shift", pat), small(p, "bits", pat)));
        }
        return out;
    }

    /** A bit count or position; anything outside 0..64 is refused here rather than wrapped by a cast. */
    private static int small(Map<String, Object> m, String key, String at) {
        long v = JsonValues.integer(m, key, at);
        if (v < 0 || v > 64) {
            throw new IllegalArgumentException(at + "." + key + ": " + v + " is not a bit position or count (0..64)");
        }
        return (int) v;
    }
}
