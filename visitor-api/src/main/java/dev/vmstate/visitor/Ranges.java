package dev.vmstate.visitor;

import dev.vmstate.error.Errors;

/**
 * Range checks shared by every visitor that takes values from a device (save, tree out,
 * recording): a value its kind cannot carry fails with the field name and the value, never
 * silently truncated.
 *
 * @since 0.1
 */
public final class Ranges {
    private Ranges() {
    }

    public static int i8(String name, int v) {
        if (v < Byte.MIN_VALUE || v > Byte.MAX_VALUE) {
            throw Errors.outOfRange(name, "int8", v, Byte.MIN_VALUE, Byte.MAX_VALUE);
        }
        return v;
    }

    public static int i16(String name, int v) {
        if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
            throw Errors.outOfRange(name, "int16", v, Short.MIN_VALUE, Short.MAX_VALUE);
        }
        return v;
    }

    public static int u8(String name, int v) {
        if ((v & ~0xFF) != 0) {
            throw Errors.outOfRange(name, "uint8", v, 0, 0xFF);
        }
        return v;
    }

    public static int u16(String name, int v) {
        if ((v & ~0xFFFF) != 0) {
            throw Errors.outOfRange(name, "uint16", v, 0, 0xFFFF);
        }
        return v;
    }

    public static long u32(String name, long v) {
        if ((v & ~0xFFFF_FFFFL) != 0) {
            throw Errors.outOfRange(name, "uint32", v, 0, 0xFFFF_FFFFL);
        }
        return v;
    }

    /** Checks {@code v} against any integer kind. */
    public static long check(String name, Kind kind, long v) {
        if (!kind.inRange(v)) {
            throw Errors.outOfRange(name, kind.typeName(), v, kind.min(), kind.max());
        }
        return v;
    }

    /** Checks every element of an integer array; the failing element is named by its index. */
    public static long[] checkArray(String name, Kind element, long[] values) {
        if (values == null) {
            throw Errors.nullValue(name, element.typeName() + " array");
        }
        if (element == Kind.I64 || element == Kind.U64) {
            return values;
        }
        for (int i = 0; i < values.length; i++) {
            if (!element.inRange(values[i])) {
                throw (dev.vmstate.error.StreamWriteException) new dev.vmstate.error.StreamWriteException(
                        "invalid value " + values[i] + " for " + element.typeName() + ", expected "
                        + element.min() + ".." + element.max()).prependIndex(i).prependField(name);
            }
        }
        return values;
    }

    /** Checks that {@code code} is one of {@code names}' codes. */
    public static long enumCode(String name, long code, java.util.Map<Long, String> names) {
        if (!names.containsKey(code)) {
            throw (dev.vmstate.error.StreamWriteException) new dev.vmstate.error.StreamWriteException(
                    "invalid enum code " + code + ", expected one of " + names.keySet()).prependField(name);
        }
        return code;
    }

    public static <T> T notNull(String name, String kind, T value) {
        if (value == null) {
            throw Errors.nullValue(name, kind);
        }
        return value;
    }
}
