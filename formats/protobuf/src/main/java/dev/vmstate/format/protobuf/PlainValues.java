package dev.vmstate.format.protobuf;

import com.google.protobuf.Message;
import dev.vmstate.format.protobuf.internal.NullValue;
import dev.vmstate.format.protobuf.internal.PlainEntry;
import dev.vmstate.format.protobuf.internal.PlainList;
import dev.vmstate.format.protobuf.internal.PlainMap;
import dev.vmstate.format.protobuf.internal.PlainValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plain values {@code DeviceTree.toMap} and a schema's hints make (maps in their order,
 * lists, strings, integers, booleans, null), to and from the {@code PlainMap} and
 * {@code PlainValue} messages of {@code vmstate.proto}. Reading checks what protobuf-java's parser lets through: unknown fields,
 * a value with no kind, a key twice in one map, and at most {@value #MAX_VALUES} values.
 *
 * <p>Stateless and thread-safe.
 */
final class PlainValues {
    /**
     * Values one schema or device tree may hold: about a hundred times the largest real schema,
     * and little enough memory that a hostile one cannot exhaust the heap.
     */
    static final int MAX_VALUES = 1 << 20;

    private PlainValues() {
    }

    // ---------------------------------------------------------------- writing

    /** {@code map} as a {@code PlainMap}; fails on a string with an unpaired surrogate or a value of no plain kind. */
    static PlainMap map(Map<?, ?> map) {
        PlainMap.Builder b = PlainMap.newBuilder();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            ProtoOut.checkText(key);
            b.addEntries(PlainEntry.newBuilder().setKey(key).setValue(value(e.getValue())));
        }
        return b.build();
    }

    /** One plain value: a scalar, list or map. */
    static PlainValue value(Object v) {
        PlainValue.Builder b = PlainValue.newBuilder();
        if (v == null) {
            b.setNullValue(NullValue.NULL_VALUE);
        } else if (v instanceof String s) {
            ProtoOut.checkText(s);
            b.setStringValue(s);
        } else if (v instanceof Boolean bool) {
            b.setBoolValue(bool);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            b.setIntValue(((Number) v).longValue());
        } else if (v instanceof Map<?, ?> m) {
            b.setMapValue(map(m));
        } else if (v instanceof List<?> l) {
            PlainList.Builder list = PlainList.newBuilder();
            for (Object o : l) {
                list.addValues(value(o));
            }
            b.setListValue(list);
        } else {
            throw ProtobufErrors.badRecord("no protobuf form for a " + v.getClass().getName());
        }
        return b.build();
    }

    // ---------------------------------------------------------------- reading

    /** {@code map} as a {@code LinkedHashMap} of plain values; {@code what} names it in messages ("the schema"). */
    static Map<String, Object> toMap(PlainMap map, String what) {
        return toMap(map, what, new int[] {MAX_VALUES});
    }

    /** {@code v} as a plain Java value; {@code what} names it in messages. */
    static Object toJava(PlainValue v, String what) {
        return toJava(v, what, new int[] {MAX_VALUES});
    }

    private static Map<String, Object> toMap(PlainMap map, String what, int[] budget) {
        known(map, what);
        Map<String, Object> out = new LinkedHashMap<>();
        for (PlainEntry e : map.getEntriesList()) {
            known(e, what);
            if (out.containsKey(e.getKey())) {
                throw ProtobufErrors.badValue(what, "duplicate key \"" + ProtobufErrors.shorten(e.getKey()) + "\"");
            }
            if (!e.hasValue()) {
                throw ProtobufErrors.badValue(what, "key \"" + ProtobufErrors.shorten(e.getKey()) + "\" has no value");
            }
            out.put(e.getKey(), toJava(e.getValue(), what, budget));
        }
        return out;
    }

    private static Object toJava(PlainValue v, String what, int[] budget) {
        if (--budget[0] < 0) {
            throw ProtobufErrors.tooManyValues(MAX_VALUES);
        }
        known(v, what);
        switch (v.getKindCase()) {
            case NULL_VALUE:
                if (v.getNullValueValue() != NullValue.NULL_VALUE_VALUE) {
                    throw ProtobufErrors.unknownEnum("null value", v.getNullValueValue(), List.of("0 (NULL_VALUE)"));
                }
                return null;
            case BOOL_VALUE:
                return v.getBoolValue();
            case INT_VALUE:
                return v.getIntValue();
            case STRING_VALUE:
                return v.getStringValue();
            case LIST_VALUE: {
                PlainList l = v.getListValue();
                known(l, what);
                List<Object> out = new ArrayList<>(Math.min(16, l.getValuesCount()));
                for (PlainValue item : l.getValuesList()) {
                    out.add(toJava(item, what, budget));
                }
                return out;
            }
            case MAP_VALUE:
                return toMap(v.getMapValue(), what, budget);
            default:
                throw ProtobufErrors.badValue(what, "a plain value with no kind set");
        }
    }

    /** Fails on a field protobuf-java kept as unknown: a field number the .proto lacks, or a known one of another wire type. */
    static void known(Message m, String what) {
        if (!m.getUnknownFields().asMap().isEmpty()) {
            int field = m.getUnknownFields().asMap().keySet().iterator().next();
            String where = what + " (message " + m.getDescriptorForType().getName() + ")";
            var known = m.getDescriptorForType().findFieldByNumber(field);
            throw known != null
                    ? ProtobufErrors.badValue(where, "field " + field + " (" + known.getName()
                            + ") has another wire type than its type, " + known.getType().name().toLowerCase(java.util.Locale.ROOT))
                    : ProtobufErrors.badValue(where, "unknown field " + field);
        }
    }
}
