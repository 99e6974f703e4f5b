package dev.vmstate.format.json;

import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.visitor.Kind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * The reader's view of jackson-core's {@link JsonParser}: typed reads of the next value, each
 * failure a {@link VmstateException} carrying the byte offset of the offending token, never a
 * {@link JacksonException}. Strings, hex and base64 are length-checked against {@link ReadLimits}
 * before they are decoded.
 *
 * <p>Not thread-safe.
 */
final class JsonInput {
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /**
     * Values one schema or device tree may hold: about a hundred times the largest real schema,
     * and little enough memory (about 100 MiB) that a hostile one cannot exhaust the heap.
     */
    static final int MAX_PLAIN_VALUES = 1 << 20;

    private final JsonParser p;
    private final long base;
    private final ReadLimits limits;
    private final long maxStringChars;

    JsonInput(JsonParser p, long base, ReadLimits limits, long maxStringChars) {
        this.p = p;
        this.base = base;
        this.limits = limits;
        this.maxStringChars = maxStringChars;
    }

    ReadLimits limits() {
        return limits;
    }

    // ---------------------------------------------------------------- tokens and offsets

    JsonToken next() {
        try {
            return p.nextToken();
        } catch (JacksonException e) {
            throw jackson(e);
        }
    }

    JsonToken current() {
        return p.currentToken();
    }

    /** Offset of the first byte of the current token. */
    long tokenOffset() {
        long o = p.currentTokenLocation().getByteOffset();
        return o < 0 ? -1 : base + o;
    }

    /** Offset of the next byte the parser has not consumed. */
    long offset() {
        long o = p.currentLocation().getByteOffset();
        return o < 0 ? -1 : base + o;
    }

    /** Whether the parser counts bytes: it does for UTF-8, not when jackson fell back to UTF-16/32. */
    boolean byteBased() {
        return p.currentTokenLocation().getByteOffset() >= 0;
    }

    VmstateException jackson(JacksonException e) {
        long o = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
        if (e instanceof StreamConstraintsException) {
            // jackson reports where it stopped counting; the offending item starts at the current token.
            o = -1;
        }
        long at = o >= 0 ? base + o : tokenOffset();
        return JsonErrors.fromJackson(e, at >= 0 ? at : offset(), maxStringChars);
    }

    /** {@code e} at the current token. */
    <E extends VmstateException> E here(E e) {
        e.atOffset(tokenOffset());
        return e;
    }

    void expect(JsonToken t, String what) {
        JsonToken found = next();
        if (found != t) {
            throw here(JsonErrors.unexpected(found, what));
        }
    }

    /** The next member name, or {@code null} at the end of the object. */
    String nextName() {
        JsonToken t = next();
        if (t == JsonToken.END_OBJECT) {
            return null;
        }
        if (t != JsonToken.PROPERTY_NAME) {
            throw here(JsonErrors.unexpected(t, "a member name or the end of the object"));
        }
        try {
            return p.currentName();
        } catch (JacksonException e) {
            throw jackson(e);
        }
    }

    // ---------------------------------------------------------------- record members

    /** The next value, a string of at most {@code ReadLimits.maxStringLength()} UTF-8 bytes. */
    String string(String what) {
        JsonToken t = next();
        if (t != JsonToken.VALUE_STRING) {
            throw here(JsonErrors.unexpected(t, what + " (a string)"));
        }
        return text();
    }

    /** The next value: a string as {@link #string}, or {@code null}. */
    String stringOrNull(String what) {
        JsonToken t = next();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw here(JsonErrors.unexpected(t, what + " (a string or null)"));
        }
        return text();
    }

    /** The current string token, checked against the string limit and for unpaired surrogates. */
    String text() {
        return checkedString(false);
    }

    /** The current string token, checked for unpaired surrogates and against one of two limits. */
    private String checkedString(boolean asBytes) {
        String s;
        try {
            s = p.getString();
        } catch (JacksonException e) {
            throw jackson(e);
        }
        int bad = unpairedSurrogate(s);
        if (bad >= 0) {
            throw here(JsonErrors.unpairedSurrogate(s.charAt(bad)));
        }
        try {
            if (asBytes) {
                limits.checkBytesLength(utf8Length(s));
            } else {
                limits.checkStringLength(utf8Length(s));
            }
        } catch (VmstateException e) {
            throw here(e);
        }
        return s;
    }

    /**
     * The next value, a string of at most {@code ReadLimits.maxBytesLength()} UTF-8 bytes: text
     * that stands for bytes, such as the description trailer.
     */
    String longString(String what) {
        JsonToken t = next();
        if (t != JsonToken.VALUE_STRING) {
            throw here(JsonErrors.unexpected(t, what + " (a string)"));
        }
        return checkedString(true);
    }

    boolean bool(String what) {
        JsonToken t = next();
        if (t == JsonToken.VALUE_TRUE) {
            return true;
        }
        if (t == JsonToken.VALUE_FALSE) {
            return false;
        }
        throw here(JsonErrors.unexpected(t, what + " (true or false)"));
    }

    int int32(String what) {
        return (int) integer(what, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    long int64(String what) {
        return integer(what, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** The next value, an integer in {@code [min, max]}. */
    long integer(String what, long min, long max) {
        JsonToken t = next();
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw here(JsonErrors.unexpected(t, what + " (an integer)"));
        }
        try {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw here(JsonErrors.outOfRange(p.getString(), what, Long.toString(min), Long.toString(max)));
            }
            long v = p.getLongValue();
            if (v < min || v > max) {
                throw here(JsonErrors.outOfRange(Long.toString(v), what, Long.toString(min), Long.toString(max)));
            }
            return v;
        } catch (JacksonException e) {
            throw jackson(e);
        }
    }

    /** The next value, lower- or upper-case hex of at most {@code ReadLimits.maxBytesLength()} bytes. */
    byte[] hex(String what) {
        JsonToken t = next();
        if (t != JsonToken.VALUE_STRING) {
            throw here(JsonErrors.unexpected(t, what + " (a hex string)"));
        }
        return hexOfCurrent(-1);
    }

    /**
     * The current string token as hex; {@code exactBytes} >= 0 demands that many bytes (a
     * buffer), checked with the limit before anything is decoded.
     */
    byte[] hexOfCurrent(int exactBytes) {
        try {
            int len = p.getStringLength();
            long bytes = (len + 1L) / 2;
            try {
                limits.checkBytesLength(bytes);
            } catch (VmstateException e) {
                throw here(e);
            }
            if ((len & 1) != 0) {
                throw here(JsonErrors.oddHex(len));
            }
            if (exactBytes >= 0 && bytes != exactBytes) {
                throw here(JsonErrors.lengthMismatch("buffer", bytes, exactBytes));
            }
            return decodeHex((int) bytes);
        } catch (JacksonException e) {
            throw jackson(e);
        }
    }

    /**
     * The next value, hex of exactly {@code bytes} bytes: for fixed-size values such as the
     * schema fingerprint, which no {@code ReadLimits} setting should be able to refuse.
     */
    byte[] fixedHex(String what, int bytes, java.util.function.IntFunction<VmstateException> wrongLength) {
        JsonToken t = next();
        if (t != JsonToken.VALUE_STRING) {
            throw here(JsonErrors.unexpected(t, what + " (a hex string)"));
        }
        try {
            int len = p.getStringLength();
            if (len != 2 * bytes) {
                throw here(wrongLength.apply(len));
            }
            return decodeHex(bytes);
        } catch (JacksonException e) {
            throw jackson(e);
        }
    }

    /** The current string token, whose length was checked to be {@code 2 * bytes}, decoded from jackson's buffer. */
    private byte[] decodeHex(int bytes) {
        char[] c = p.getStringCharacters();
        int off = p.getStringOffset();
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            out[i] = (byte) (nibble(c[off + 2 * i], 2 * i) << 4 | nibble(c[off + 2 * i + 1], 2 * i + 1));
        }
        return out;
    }

    private int nibble(char c, int index) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw here(JsonErrors.badHexDigit(c, index));
    }

    /** The next value, base64 (RFC 4648 section 4) of at most {@code ReadLimits.maxBytesLength()} bytes. */
    byte[] base64(String what) {
        JsonToken t = next();
        if (t != JsonToken.VALUE_STRING) {
            throw here(JsonErrors.unexpected(t, what + " (a base64 string)"));
        }
        try {
            int len = p.getStringLength();
            try {
                limits.checkBytesLength(len / 4L * 3);
            } catch (VmstateException e) {
                throw here(e);
            }
            char[] c = p.getStringCharacters();
            int off = p.getStringOffset();
            byte[] ascii = new byte[len];
            for (int i = 0; i < len; i++) {
                char ch = c[off + i];
                if (ch > 0x7F) {
                    throw here(JsonErrors.badBase64(String.format("non-ASCII character U+%04X at index %d", (int) ch, i)));
                }
                ascii[i] = (byte) ch;
            }
            try {
                return Base64.getDecoder().decode(ascii);
            } catch (IllegalArgumentException e) {
                throw here(JsonErrors.badBase64(e.getMessage()));
            }
        } catch (JacksonException e) {
            throw jackson(e);
        }
    }

    // ---------------------------------------------------------------- state values

    /** The current token as an integer of {@code kind}, range-checked. */
    long integerOf(Kind kind) {
        JsonToken t = current();
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw here(JsonErrors.unexpected(t, "an integer (" + kind.typeName() + ")"));
        }
        try {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                BigInteger b = p.getBigIntegerValue();
                if (kind == Kind.U64 && b.signum() >= 0 && b.compareTo(U64_MAX) <= 0) {
                    return b.longValue();
                }
                throw here(rangeError(b.toString(), kind));
            }
            long v = p.getLongValue();
            if (kind == Kind.U64 ? v < 0 : !kind.inRange(v)) {
                throw here(rangeError(Long.toString(v), kind));
            }
            return v;
        } catch (JacksonException e) {
            throw jackson(e);
        }
    }

    private static VmstateException rangeError(String value, Kind kind) {
        if (kind == Kind.U64) {
            return JsonErrors.outOfRange(value, kind.typeName(), "0", U64_MAX.toString());
        }
        return JsonErrors.outOfRange(value, kind.typeName(), Long.toString(kind.min()), Long.toString(kind.max()));
    }

    /** The current token as a float64: a finite JSON number, or its raw bits as {@code "0x"} and 16 hex digits. */
    double f64() {
        JsonToken t = current();
        try {
            if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
                double d = p.getDoubleValue();
                if (Double.isInfinite(d) || Double.isNaN(d)) {
                    throw here(JsonErrors.f64Overflow(p.getString()));
                }
                return d;
            }
            if (t == JsonToken.VALUE_STRING) {
                String s = p.getString();
                if (s.length() != 18 || s.charAt(0) != '0' || (s.charAt(1) != 'x' && s.charAt(1) != 'X')) {
                    throw here(JsonErrors.badF64(s));
                }
                long bits = 0;
                for (int i = 2; i < 18; i++) {
                    int d = Character.digit(s.charAt(i), 16);
                    if (d < 0) {
                        throw here(JsonErrors.badF64(s));
                    }
                    bits = bits << 4 | d;
                }
                return Double.longBitsToDouble(bits);
            }
        } catch (JacksonException e) {
            throw jackson(e);
        }
        throw here(JsonErrors.unexpected(t, "a float64 (a number, or a string of its raw bits)"));
    }

    // ---------------------------------------------------------------- generic JSON (schema, device tree)

    /**
     * The current value as plain Java values, as {@code dev.vmstate.internal.Json} builds them
     * ({@code LinkedHashMap}, {@code ArrayList}, {@code String}, {@code Long} or {@code BigInteger},
     * {@code Double}, {@code Boolean}, {@code null}), nested at most {@code maxDepth} levels and
     * holding at most {@link #MAX_PLAIN_VALUES} values, so a hostile schema cannot exhaust the heap.
     */
    Object generic(int maxDepth) {
        return generic(0, maxDepth, new int[] {MAX_PLAIN_VALUES});
    }

    private Object generic(int depth, int maxDepth, int[] budget) {
        if (--budget[0] < 0) {
            throw here(JsonErrors.jsonTooLarge(MAX_PLAIN_VALUES));
        }
        JsonToken t = current();
        try {
            switch (t) {
                case START_OBJECT: {
                    if (depth >= maxDepth) {
                        throw here(JsonErrors.jsonTooDeep(maxDepth));
                    }
                    Map<String, Object> map = new LinkedHashMap<>();
                    String name;
                    while ((name = nextName()) != null) {
                        if (map.containsKey(name)) {
                            throw here(JsonErrors.duplicateMember(name));
                        }
                        next();
                        map.put(name, generic(depth + 1, maxDepth, budget));
                    }
                    return map;
                }
                case START_ARRAY: {
                    if (depth >= maxDepth) {
                        throw here(JsonErrors.jsonTooDeep(maxDepth));
                    }
                    List<Object> list = new ArrayList<>();
                    while (next() != JsonToken.END_ARRAY) {
                        list.add(generic(depth + 1, maxDepth, budget));
                    }
                    return list;
                }
                case VALUE_STRING:
                    return text();
                case VALUE_NUMBER_INT:
                    return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue()
                            : (Object) p.getLongValue();
                case VALUE_NUMBER_FLOAT:
                    return p.getDoubleValue();
                case VALUE_TRUE:
                    return Boolean.TRUE;
                case VALUE_FALSE:
                    return Boolean.FALSE;
                case VALUE_NULL:
                    return null;
                default:
                    throw here(JsonErrors.unexpected(t, "a JSON value"));
            }
        } catch (JacksonException e) {
            throw jackson(e);
        }
    }

    // ---------------------------------------------------------------- text helpers

    /** Index of the first unpaired surrogate in {@code s}, or -1. */
    static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Bytes of {@code s} in UTF-8, counted without encoding it; surrogate pairs count 4. */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
