package dev.vmstate.format.cbor;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonToken;

/**
 * Reads one section's {@code "state"} map into a {@link StructValue}, driven by the section's
 * schema: the schema says each key's kind, so the values carry no type tags
 * ({@code docs/formats/cbor.md} §3). Keys come in schema order, every field once, a section only
 * when present, nothing else. Fixed lengths (buffer, array, struct array) are compared with the
 * schema from the declared length, before the value is read.
 *
 * <p>Errors carry the offset of the offending item; the path is prepended on the way out (Jackson
 * 3 {@code prependPath}), so success costs nothing. One instance per section; not thread-safe.
 */
final class StateDecoder {
    private final CborInput in;
    private final ReadLimits limits;

    StateDecoder(CborInput in, ReadLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    /** Reads the state map whose {@code START_OBJECT} is the current token. */
    StructValue readState(Schema schema) {
        return struct(schema, 0);
    }

    /** The struct map whose {@code START_OBJECT} is the current token, up to and including its end. */
    private StructValue struct(Schema s, int depth) {
        long start = in.tokenOffset();
        try {
            limits.checkDepth(depth);
        } catch (VmstateException e) {
            throw e.atOffset(start);
        }
        Map<String, StateTree> got = new LinkedHashMap<>();
        String key = in.nextName();
        long keyAt = in.tokenOffset();
        for (Field f : s.members()) {
            if (key != null && key.equals(f.name())) {
                in.next();
                try {
                    got.put(key, value(f, depth));
                } catch (VmstateException e) {
                    throw e.prependField(key);
                }
                key = in.nextName();
                keyAt = in.tokenOffset();
            } else if (!f.isSection()) {
                if (key == null || s.member(key) != null && !got.containsKey(key)) {
                    // the map ended, or went on past this field: either way the field is not there
                    throw Errors.missingField(f.name()).atOffset(key == null ? start : keyAt);
                }
                throw misplaced(s, key, got).atOffset(keyAt);
            }
        }
        if (key != null) {
            throw misplaced(s, key, got).atOffset(keyAt);
        }
        return new StructValue(s.name(), got);
    }

    private static VmstateException misplaced(Schema s, String key, Map<String, StateTree> got) {
        if (s.member(key) == null) {
            return CborErrors.keyNotInSchema(key);
        }
        return got.containsKey(key) ? CborErrors.duplicateKey(key) : CborErrors.outOfSchemaOrder(key);
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
                throw in.here(CborErrors.unexpected(in.found(), "a bool (true or false)"));
            case F64:
                return new F64Value(Double.longBitsToDouble(in.f64Bits()));
            case STR:
                require(t, JsonToken.VALUE_STRING, "a text string");
                return new StrValue(in.text());
            case BYTES:
                require(t, JsonToken.VALUE_EMBEDDED_OBJECT, "a byte string");
                return new BytesValue(Kind.BYTES, in.binary());
            case BUFFER:
                require(t, JsonToken.VALUE_EMBEDDED_OBJECT, "a byte string (buffer[" + f.size() + "])");
                if (in.argument() != f.size()) {
                    throw in.here(CborErrors.lengthMismatch("buffer", in.argument(), f.size()));
                }
                return new BytesValue(Kind.BUFFER, in.binary());
            case ARRAY:
            case VARRAY:
                return integers(f, t);
            case ENUM: {
                long code = in.integerOf(Kind.ENUM);
                String name = f.enumNames().get(code);
                if (name == null) {
                    List<Long> codes = new ArrayList<>(f.enumNames().keySet());
                    codes.sort(null);
                    throw in.here(CborErrors.unknownEnumCode(code, codes));
                }
                return new EnumValue(code, name);
            }
            case STRUCT:
                if (f.length() == 0) {
                    require(t, JsonToken.START_OBJECT, "a struct (a map)");
                    return struct(f.struct(), depth + 1);
                }
                return structs(f, t, depth, Kind.STRUCT);
            case LIST:
                return structs(f, t, depth, Kind.LIST);
            case SECTION:
                return section(f, t, depth);
            default:
                throw in.here(CborErrors.badSchema("no cbor encoding for kind " + k));
        }
    }

    private void require(JsonToken found, JsonToken expected, String what) {
        if (found != expected) {
            throw in.here(CborErrors.unexpected(in.found(), what));
        }
    }

    private ArrayValue integers(Field f, JsonToken t) {
        require(t, JsonToken.START_ARRAY, "an array of " + f.element().typeName());
        // The framer checked the count against maxListLength and the bytes present, so it is safe to size by.
        long n = in.argument();
        if (f.kind() == Kind.ARRAY && n != f.length()) {
            throw in.here(CborErrors.lengthMismatch("array", n, f.length()));
        }
        long[] values = new long[(int) n];
        for (int i = 0; i < values.length; i++) {
            in.next();
            try {
                values[i] = in.integerOf(f.element());
            } catch (VmstateException e) {
                throw e.prependIndex(i);
            }
        }
        in.next(); // the end of the array: the count was definite
        return new ArrayValue(f.kind(), f.element(), values);
    }

    private ListValue structs(Field f, JsonToken t, int depth, Kind kind) {
        require(t, JsonToken.START_ARRAY, kind == Kind.LIST ? "a list (an array of maps)"
                : "a struct array (an array of maps)");
        long n = in.argument();
        if (kind == Kind.STRUCT && n != f.length()) {
            throw in.here(CborErrors.lengthMismatch("struct array", n, f.length()));
        }
        List<StructValue> items = new ArrayList<>((int) Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            try {
                require(in.next(), JsonToken.START_OBJECT, "a struct (a map)");
                items.add(struct(f.struct(), depth + 1));
            } catch (VmstateException e) {
                throw e.prependIndex(i);
            }
        }
        in.next();
        return new ListValue(kind, items);
    }

    private SectionValue section(Field f, JsonToken t, int depth) {
        require(t, JsonToken.START_OBJECT, "a section (a map of \"version\" and \"state\")");
        Keys keys = new Keys(in, "a section", in.tokenOffset());
        keys.take(CborConstants.SECTION_VERSION);
        int version = in.int32("a section version");
        long versionAt = in.tokenOffset();
        keys.take(CborConstants.SECTION_STATE);
        in.expect(JsonToken.START_OBJECT, "a section state (a map)");
        StructValue body = struct(f.struct(), depth + 1);
        keys.end();
        if (version > f.struct().version()) {
            throw CborErrors.sectionTooNew(version, f.struct().version()).atOffset(versionAt);
        }
        return new SectionValue(version, body);
    }

    /**
     * Checks what {@code SchemaJson} does not: member names unique within each struct, so that a
     * state map can be matched to the schema by key.
     */
    static void checkSchema(Schema s, String at) {
        Set<String> names = new HashSet<>();
        for (Field f : s.members()) {
            if (!names.add(f.name())) {
                throw CborErrors.badSchema(at + ": field name \"" + f.name() + "\" used twice in one struct");
            }
            if (f.struct() != null) {
                checkSchema(f.struct(), at + "." + f.name());
            }
        }
    }
}
