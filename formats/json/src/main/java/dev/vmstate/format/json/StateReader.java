package dev.vmstate.format.json;

import dev.vmstate.error.Errors;
import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonToken;

/**
 * Reads one section's {@code "state"} object into a {@link StructValue}, driven by the section's
 * schema: the schema says each member's kind, so the JSON needs no type tags. Members may come in
 * any order; each field must be there once, a section may be absent, and nothing else may be.
 * Every length is checked against {@link ReadLimits} while it is counted, so a hostile list fails
 * before it is held in memory.
 *
 * <p>Errors carry the byte offset of the offending token; the path is prepended on the way out
 * (Jackson 3 {@code prependPath}), so success costs nothing. One instance per section; not
 * thread-safe.
 */
final class StateReader {
    private final JsonInput in;
    private final ReadLimits limits;
    private final long sectionStart;
    private final Map<Schema, Map<String, Field>> byName = new IdentityHashMap<>();

    StateReader(JsonInput in, long sectionStart) {
        this.in = in;
        this.limits = in.limits();
        this.sectionStart = sectionStart;
    }

    /** Reads the state object whose {@code START_OBJECT} is the current token. */
    StructValue readState(Schema schema) {
        return struct(schema, 0);
    }

    private Field member(Schema s, String name) {
        Map<String, Field> m = byName.get(s);
        if (m == null) {
            m = new HashMap<>();
            for (Field f : s.members()) {
                m.put(f.name(), f);
            }
            byName.put(s, m);
        }
        return m.get(name);
    }

    /** The struct whose {@code START_OBJECT} is the current token. */
    private StructValue struct(Schema s, int depth) {
        long start = in.tokenOffset();
        try {
            limits.checkDepth(depth);
        } catch (VmstateException e) {
            throw e.atOffset(start);
        }
        Map<String, StateTree> got = new HashMap<>();
        String name;
        while ((name = in.nextName()) != null) {
            Field f = member(s, name);
            if (f == null) {
                throw in.here(JsonErrors.unknownStateMember(name));
            }
            if (got.containsKey(name)) {
                throw in.here(JsonErrors.duplicateMember(name));
            }
            in.next();
            try {
                got.put(name, value(f, depth));
            } catch (VmstateException e) {
                throw e.prependField(name);
            }
        }
        Map<String, StateTree> ordered = new LinkedHashMap<>();
        for (Field f : s.members()) {
            StateTree t = got.get(f.name());
            if (t != null) {
                ordered.put(f.name(), t);
            } else if (!f.isSection()) {
                throw Errors.missingField(f.name()).atOffset(start);
            }
        }
        try {
            limits.checkSectionSize(in.offset() - sectionStart);
        } catch (VmstateException e) {
            throw e.atOffset(start);
        }
        return new StructValue(s.name(), ordered);
    }

    /** The value of {@code f} whose first token is the current one. */
    private StateTree value(Field f, int depth) {
        Kind k = f.kind();
        if (k.isInteger()) {
            return new IntValue(k, in.integerOf(k));
        }
        JsonToken t = in.current();
        switch (k) {
            case BOOL:
                if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                    return new BoolValue(t == JsonToken.VALUE_TRUE);
                }
                throw in.here(JsonErrors.unexpected(t, "a bool (true or false)"));
            case F64:
                return new F64Value(in.f64());
            case STR:
                require(t, JsonToken.VALUE_STRING, "a string");
                return new StrValue(in.text());
            case BYTES:
                require(t, JsonToken.VALUE_STRING, "bytes (a hex string)");
                return new BytesValue(Kind.BYTES, in.hexOfCurrent(-1));
            case BUFFER:
                require(t, JsonToken.VALUE_STRING, "a buffer (a hex string)");
                return new BytesValue(Kind.BUFFER, in.hexOfCurrent(f.size()));
            case ARRAY:
            case VARRAY:
                return integers(f, t);
            case ENUM:
                return enumeration(f, t);
            case STRUCT:
                if (f.length() == 0) {
                    require(t, JsonToken.START_OBJECT, "a struct (an object)");
                    return struct(f.struct(), depth + 1);
                }
                return structs(f, t, depth, Kind.STRUCT);
            case LIST:
                return structs(f, t, depth, Kind.LIST);
            case SECTION:
                return section(f, t, depth);
            default:
                throw in.here(JsonErrors.badSchema("no json encoding for kind " + k));
        }
    }

    private void require(JsonToken found, JsonToken expected, String what) {
        if (found != expected) {
            throw in.here(JsonErrors.unexpected(found, what));
        }
    }

    private ArrayValue integers(Field f, JsonToken t) {
        String what = f.kind() == Kind.ARRAY ? "an array of " + f.element().typeName() : "a varray of "
                + f.element().typeName();
        require(t, JsonToken.START_ARRAY, what);
        long start = in.tokenOffset();
        long[] values = new long[Math.min(16, Math.max(1, f.kind() == Kind.ARRAY ? f.length() : 16))];
        int n = 0;
        while (in.next() != JsonToken.END_ARRAY) {
            if (n >= limits.maxListLength()) {
                throw in.here(JsonErrors.listTooLong(limits.maxListLength()));
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, (int) Math.min((long) values.length * 2, limits.maxListLength()));
            }
            try {
                values[n] = in.integerOf(f.element());
            } catch (VmstateException e) {
                throw e.prependIndex(n);
            }
            n++;
        }
        if (f.kind() == Kind.ARRAY && n != f.length()) {
            throw JsonErrors.lengthMismatch("array", n, f.length()).atOffset(start);
        }
        return new ArrayValue(f.kind(), f.element(), n == values.length ? values : Arrays.copyOf(values, n));
    }

    private EnumValue enumeration(Field f, JsonToken t) {
        require(t, JsonToken.START_OBJECT, "an enum (an object with \"code\" and \"name\")");
        long start = in.tokenOffset();
        Long code = null;
        String name = null;
        long nameOffset = -1;
        String member;
        while ((member = in.nextName()) != null) {
            if (JsonConstants.ENUM_CODE.equals(member) && code == null) {
                in.next();
                code = in.integerOf(Kind.ENUM);
                if (!f.enumNames().containsKey(code)) {
                    throw in.here(JsonErrors.unknownEnumCode(code, sorted(f.enumNames().keySet())));
                }
            } else if (JsonConstants.ENUM_NAME.equals(member) && nameOffset < 0) {
                name = in.string("an enum name");
                nameOffset = in.tokenOffset();
            } else {
                throw in.here(JsonConstants.ENUM_CODE.equals(member) || JsonConstants.ENUM_NAME.equals(member)
                        ? JsonErrors.duplicateMember(member) : JsonErrors.unknownMember(member, "an enum value"));
            }
        }
        if (code == null) {
            throw JsonErrors.missingMember(JsonConstants.ENUM_CODE, "an enum value").atOffset(start);
        }
        String schemaName = f.enumNames().get(code);
        if (name != null && !name.equals(schemaName)) {
            throw JsonErrors.enumNameMismatch(name, code, schemaName).atOffset(nameOffset);
        }
        return new EnumValue(code, schemaName);
    }

    private static List<Long> sorted(Set<Long> codes) {
        List<Long> l = new ArrayList<>(codes);
        l.sort(null);
        return l;
    }

    private ListValue structs(Field f, JsonToken t, int depth, Kind kind) {
        require(t, JsonToken.START_ARRAY, kind == Kind.LIST ? "a list (an array of objects)"
                : "a struct array (an array of objects)");
        long start = in.tokenOffset();
        List<StructValue> items = new ArrayList<>();
        JsonToken e;
        while ((e = in.next()) != JsonToken.END_ARRAY) {
            int i = items.size();
            if (i >= limits.maxListLength()) {
                throw in.here(JsonErrors.listTooLong(limits.maxListLength()));
            }
            try {
                require(e, JsonToken.START_OBJECT, "a struct (an object)");
                items.add(struct(f.struct(), depth + 1));
            } catch (VmstateException x) {
                throw x.prependIndex(i);
            }
        }
        if (kind == Kind.STRUCT && items.size() != f.length()) {
            throw JsonErrors.lengthMismatch("struct array", items.size(), f.length()).atOffset(start);
        }
        return new ListValue(kind, items);
    }

    private SectionValue section(Field f, JsonToken t, int depth) {
        require(t, JsonToken.START_OBJECT, "a section (an object with \"version\" and \"state\")");
        long start = in.tokenOffset();
        Integer version = null;
        long versionOffset = -1;
        StructValue body = null;
        Set<String> seen = new HashSet<>();
        String member;
        while ((member = in.nextName()) != null) {
            if (!seen.add(member)) {
                throw in.here(JsonErrors.duplicateMember(member));
            }
            if (JsonConstants.SECTION_VERSION.equals(member)) {
                version = in.int32("a section version");
                versionOffset = in.tokenOffset();
            } else if (JsonConstants.SECTION_STATE.equals(member)) {
                in.expect(JsonToken.START_OBJECT, "a section state (an object)");
                body = struct(f.struct(), depth + 1);
            } else {
                throw in.here(JsonErrors.unknownMember(member, "a section"));
            }
        }
        if (version == null) {
            throw JsonErrors.missingMember(JsonConstants.SECTION_VERSION, "a section")
                    .atOffset(start);
        }
        if (body == null) {
            throw JsonErrors.missingMember(JsonConstants.SECTION_STATE, "a section")
                    .atOffset(start);
        }
        if (version > f.struct().version()) {
            throw JsonErrors.sectionTooNew(version, f.struct().version()).atOffset(versionOffset);
        }
        return new SectionValue(version, body);
    }

    /**
     * Checks what {@code SchemaJson} does not: member names unique within each struct, so that
     * a state object can be matched to the schema by name.
     */
    static void checkSchema(Schema s, String at) {
        Set<String> names = new HashSet<>();
        for (Field f : s.members()) {
            if (!names.add(f.name())) {
                throw JsonErrors.badSchema(at + ": field name \"" + f.name() + "\" used twice in one struct");
            }
            if (f.struct() != null) {
                checkSchema(f.struct(), at + "." + f.name());
            }
        }
    }
}
