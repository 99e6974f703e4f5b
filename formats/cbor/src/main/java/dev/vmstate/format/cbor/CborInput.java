package dev.vmstate.format.cbor;

import dev.vmstate.error.VmstateException;
import dev.vmstate.visitor.Kind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.dataformat.cbor.CBORFactory;

/**
 * The reader's view of one framed item ({@link ItemFramer}) through jackson-dataformat-cbor's
 * streaming {@link JsonParser}: typed reads of the next value, each failure a
 * {@link VmstateException} at the absolute offset of the offending item's first byte, never a
 * {@link JacksonException}.
 *
 * <p>Jackson tokenizes and decodes text; integers and float64 bits are taken from the item's own
 * bytes at the token's offset, so a u64 above 2^63 and a NaN payload are exact and need no
 * {@code BigInteger}. The framer has already checked every length, the nesting and the subset of
 * CBOR the format uses, so what remains here is the layout.
 *
 * <p>Not thread-safe.
 */
final class CborInput {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    /**
     * Values one schema or device tree may hold: about a hundred times the largest real schema,
     * and little enough memory (about 100 MiB) that a hostile one cannot exhaust the heap.
     */
    static final int MAX_PLAIN_VALUES = 1 << 20;

    private final CBORFactory factory;
    private final ItemFramer frame;
    private JsonParser p;
    private byte[] buf;
    private long base;

    CborInput(CBORFactory factory, ItemFramer frame) {
        this.factory = factory;
        this.frame = frame;
    }

    /** Starts on the item the framer has just read. */
    void open() {
        close();
        buf = frame.buffer();
        base = frame.start();
        try {
            p = factory.createParser(ObjectReadContext.empty(), buf, 0, frame.length());
        } catch (JacksonException e) {
            throw CborErrors.fromJackson(e).atOffset(base);
        }
    }

    void close() {
        if (p != null) {
            try {
                p.close();
            } catch (JacksonException e) {
                // an in-memory parser has nothing to release that matters
            }
            p = null;
        }
    }

    // ---------------------------------------------------------------- tokens and offsets

    JsonToken next() {
        try {
            return p.nextToken();
        } catch (JacksonException e) {
            throw CborErrors.fromJackson(e).atOffset(tokenOffset());
        }
    }

    JsonToken current() {
        return p.currentToken();
    }

    private int relative() {
        long o = p.currentTokenLocation().getByteOffset();
        return o < 0 ? 0 : (int) o;
    }

    /** Absolute offset of the first byte of the current token. */
    long tokenOffset() {
        return base + relative();
    }

    /** {@code e} at the current token. */
    <E extends VmstateException> E here(E e) {
        e.atOffset(tokenOffset());
        return e;
    }

    private int initialByte() {
        return buf[relative()] & 0xFF;
    }

    /** What the current token is, for "found X, expected Y". */
    String found() {
        JsonToken t = current();
        if (t == null) {
            return "the end of the item";
        }
        return switch (t) {
            case END_OBJECT -> "the end of the map";
            case END_ARRAY -> "the end of the array";
            case PROPERTY_NAME -> "key \"" + CborErrors.shorten(p.currentName()) + "\"";
            default -> ItemFramer.describe(initialByte());
        };
    }

    /** The argument of the current token's head: the count of an array or map, an integer's magnitude. */
    long argument() {
        int at = relative();
        int ai = buf[at] & 0x1F;
        if (ai < 24) {
            return ai;
        }
        int n = 1 << (ai - 24);
        long v = 0;
        for (int i = 1; i <= n; i++) {
            v = v << 8 | (buf[at + i] & 0xFF);
        }
        return v;
    }

    /** The next key, or {@code null} at the end of the map. */
    String nextName() {
        JsonToken t = next();
        if (t == JsonToken.END_OBJECT) {
            return null;
        }
        if (t != JsonToken.PROPERTY_NAME) {
            throw here(CborErrors.unexpected(found(), "a key or the end of the map"));
        }
        try {
            return p.currentName();
        } catch (JacksonException e) {
            throw CborErrors.fromJackson(e).atOffset(tokenOffset());
        }
    }

    /** Skips the current value, a container with all it holds. */
    void skipValue() {
        try {
            p.skipChildren();
        } catch (JacksonException e) {
            throw CborErrors.fromJackson(e).atOffset(tokenOffset());
        }
    }

    /** Fails unless the next token is {@code t}. */
    void expect(JsonToken t, String what) {
        if (next() != t) {
            throw here(CborErrors.unexpected(found(), what));
        }
    }

    // ---------------------------------------------------------------- record members

    String string(String what) {
        if (next() != JsonToken.VALUE_STRING) {
            throw here(CborErrors.unexpected(found(), what + " (a text string)"));
        }
        return text();
    }

    String stringOrNull(String what) {
        JsonToken t = next();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw here(CborErrors.unexpected(found(), what + " (a text string or null)"));
        }
        return text();
    }

    boolean bool(String what) {
        JsonToken t = next();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        throw here(CborErrors.unexpected(found(), what + " (true or false)"));
    }

    int int32(String what) {
        return (int) integer(what, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    long int64(String what) {
        return integer(what, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** The next value, an integer in {@code [min, max]}. */
    long integer(String what, long min, long max) {
        if (next() != JsonToken.VALUE_NUMBER_INT) {
            throw here(CborErrors.unexpected(found(), what + " (an integer)"));
        }
        long arg = argument();
        boolean negative = (initialByte() >>> 5) == 1;
        // arg < 0 is an argument of 2^63 or more: beyond a long on either side.
        long v = negative ? -1 - arg : arg;
        if (arg < 0 || v < min || v > max) {
            throw here(CborErrors.outOfRange(valueText(), what, Long.toString(min), Long.toString(max)));
        }
        return v;
    }

    /** The next value, a byte string. */
    byte[] bytes(String what) {
        if (next() != JsonToken.VALUE_EMBEDDED_OBJECT) {
            throw here(CborErrors.unexpected(found(), what + " (a byte string)"));
        }
        return binary();
    }

    // ---------------------------------------------------------------- current values

    /** The current text string. */
    String text() {
        try {
            return p.getString();
        } catch (JacksonException e) {
            throw CborErrors.fromJackson(e).atOffset(tokenOffset());
        }
    }

    /** The current byte string. */
    byte[] binary() {
        try {
            return p.getBinaryValue();
        } catch (JacksonException e) {
            throw CborErrors.fromJackson(e).atOffset(tokenOffset());
        }
    }

    /** The current integer as its value's text, exact at any size: for messages. */
    private String valueText() {
        long arg = argument();
        if ((initialByte() >>> 5) == 0) {
            return Long.toUnsignedString(arg);
        }
        BigInteger magnitude = BigInteger.valueOf(arg);
        if (arg < 0) {
            magnitude = magnitude.add(TWO_64);
        }
        return magnitude.add(BigInteger.ONE).negate().toString();
    }

    /** The current token as an integer of {@code kind} (or an enum code), range-checked; u64 as its bits. */
    long integerOf(Kind kind) {
        if (current() != JsonToken.VALUE_NUMBER_INT) {
            throw here(CborErrors.unexpected(found(), "an integer (" + kind.typeName() + ")"));
        }
        long arg = argument();
        boolean negative = (initialByte() >>> 5) == 1;
        if (kind == Kind.U64) {
            if (negative) {
                throw here(CborErrors.outOfRange(valueText(), kind.typeName(), "0", "18446744073709551615"));
            }
            return arg;
        }
        long v = negative ? -1 - arg : arg;
        if (arg < 0 || v < kind.min() || v > kind.max()) {
            throw here(CborErrors.outOfRange(valueText(), kind.typeName(), Long.toString(kind.min()),
                    Long.toString(kind.max())));
        }
        return v;
    }

    /** The current token as a float64's raw bits, NaN payload included. */
    long f64Bits() {
        if (current() != JsonToken.VALUE_NUMBER_FLOAT || initialByte() != CborConstants.FLOAT64) {
            throw here(CborErrors.unexpected(found(), "a float64 (0xFB and 8 bytes)"));
        }
        int at = relative();
        long bits = 0;
        for (int i = 1; i <= 8; i++) {
            bits = bits << 8 | (buf[at + i] & 0xFF);
        }
        return bits;
    }

    // ---------------------------------------------------------------- plain values (schema, device tree)

    /**
     * The current value as plain Java values ({@code LinkedHashMap}, {@code ArrayList},
     * {@code String}, {@code Long}, {@code Boolean}, {@code null}), as {@code SchemaJson.fromMap}
     * and {@code DeviceTree.fromMap} take them; at most {@link #MAX_PLAIN_VALUES} values.
     */
    Object plain() {
        return plain(new int[] {MAX_PLAIN_VALUES});
    }

    private Object plain(int[] budget) {
        if (--budget[0] < 0) {
            throw here(CborErrors.tooManyValues(MAX_PLAIN_VALUES));
        }
        JsonToken t = current();
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                String name;
                while ((name = nextName()) != null) {
                    if (map.containsKey(name)) {
                        throw here(CborErrors.duplicateKey(name));
                    }
                    next();
                    map.put(name, plain(budget));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>((int) Math.min(16, argument()));
                while (next() != JsonToken.END_ARRAY) {
                    list.add(plain(budget));
                }
                return list;
            }
            case VALUE_STRING:
                return text();
            case VALUE_NUMBER_INT: {
                long arg = argument();
                if (arg < 0) {
                    throw here(CborErrors.outOfRange(valueText(), "an integer of a schema or device tree",
                            Long.toString(Long.MIN_VALUE), Long.toString(Long.MAX_VALUE)));
                }
                return (initialByte() >>> 5) == 1 ? -1 - arg : arg;
            }
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw here(CborErrors.unexpected(found(), "a map, array, text string, integer, true, false or null"));
        }
    }
}
