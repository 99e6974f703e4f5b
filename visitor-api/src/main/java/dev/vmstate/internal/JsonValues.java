package dev.vmstate.internal;

import dev.vmstate.error.MalformedStreamException;
import java.util.List;
import java.util.Map;

/** Typed access to parsed JSON members with errors that name the member. Not API. */
public final class JsonValues {
    private JsonValues() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object v, String what) {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new MalformedStreamException(what + ": expected a JSON object, found " + describe(v));
    }

    @SuppressWarnings("unchecked")
    public static List<Object> array(Object v, String what) {
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new MalformedStreamException(what + ": expected a JSON array, found " + describe(v));
    }

    public static String string(Map<String, Object> m, String key, String what) {
        Object v = m.get(key);
        if (v instanceof String s) {
            return s;
        }
        throw new MalformedStreamException(what + "." + key + ": expected a string, found " + describe(v));
    }

    public static long integer(Map<String, Object> m, String key, String what) {
        Object v = m.get(key);
        if (v instanceof Long l) {
            return l;
        }
        throw new MalformedStreamException(what + "." + key + ": expected an integer, found " + describe(v));
    }

    public static long integer(Map<String, Object> m, String key, long dflt, String what) {
        return m.containsKey(key) ? integer(m, key, what) : dflt;
    }

    public static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String s) {
            return "the string \"" + s + "\"";
        }
        return v.toString();
    }
}
