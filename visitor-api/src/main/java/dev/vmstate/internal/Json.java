package dev.vmstate.internal;

import dev.vmstate.error.MalformedStreamException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * JSON to and from plain values ({@code Map} with insertion order, {@code List}, {@code String},
 * {@code Long}/{@code BigInteger}/{@code Double}, {@code Boolean}, {@code null}). Parsing goes
 * through jackson-core's streaming parser; writing is ours so the layout (one member per line,
 * two-space indent, or QEMU's compact {@code ", "} / {@code ": "} style) is exactly what the docs
 * show. Not API.
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /** Parses one JSON document; a syntax error is a {@link MalformedStreamException} with the offset. */
    public static Object parse(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new MalformedStreamException("empty JSON document");
            }
            Object value = read(p, t, 0);
            if (p.nextToken() != null) {
                throw (MalformedStreamException) new MalformedStreamException("trailing data after the JSON document")
                        .atOffset(p.currentTokenLocation().getCharOffset());
            }
            return value;
        } catch (JacksonException e) {
            long offset = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
            throw (MalformedStreamException) new MalformedStreamException("invalid JSON: " + e.getOriginalMessage(), e)
                    .atOffset(offset);
        }
    }

    private static Object read(JsonParser p, JsonToken t, int depth) {
        if (depth > 256) {
            throw new MalformedStreamException("JSON nested deeper than 256 levels");
        }
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                JsonToken n;
                while ((n = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                    String name = p.currentName();
                    if (map.containsKey(name)) {
                        throw (MalformedStreamException) new MalformedStreamException("duplicate member \"" + name + "\"")
                                .atOffset(p.currentTokenLocation().getCharOffset());
                    }
                    map.put(name, read(p, p.nextToken(), depth + 1));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(read(p, n, depth + 1));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getString();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new MalformedStreamException("unexpected JSON token " + t);
        }
    }

    /** Writes {@code value} with one member per line and two-space indentation. */
    public static String pretty(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0, true);
        return sb.append('\n').toString();
    }

    /** Writes {@code value} on one line in QEMU's vmdesc style: {@code ", "} and {@code ": "}. */
    public static String compact(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0, false);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int indent, boolean pretty) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer || v instanceof BigInteger
                || v instanceof Short || v instanceof Byte) {
            sb.append(v);
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                quote(sb, d.toString());
            } else {
                sb.append(d);
            }
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(pretty ? "," : ", ");
                }
                first = false;
                if (pretty) {
                    newline(sb, indent + 1);
                }
                quote(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), indent + 1, pretty);
            }
            if (pretty) {
                newline(sb, indent);
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                sb.append("[]");
                return;
            }
            boolean scalars = l.stream().noneMatch(x -> x instanceof Map || x instanceof List);
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(pretty && !scalars ? "," : ", ");
                }
                if (pretty && !scalars) {
                    newline(sb, indent + 1);
                }
                write(sb, l.get(i), indent + 1, pretty);
            }
            if (pretty && !scalars) {
                newline(sb, indent);
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
    }

    private static void newline(StringBuilder sb, int indent) {
        sb.append('\n');
        sb.append("  ".repeat(indent));
    }

    /** Appends {@code s} as a JSON string; control and non-ASCII characters as {@code \\uXXXX}, as QEMU does. */
    public static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7E) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
