package dev.vmstate.visitor;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * How a Java enum maps to the u32 code that goes on the wire, and back. Built once per enum and
 * kept in a {@code static final} field, so visiting an enum allocates nothing.
 *
 * <p>Codes are explicit rather than ordinals, so reordering the Java constants never changes a
 * stream. Immutable and thread-safe.
 *
 * @param <E> the Java enum
 * @since 0.1
 */
public final class EnumType<E extends Enum<E>> {
    private final Class<E> type;
    private final long[] codes;
    private final Map<Long, E> byCode;
    private final Map<Long, String> names;

    private EnumType(Class<E> type, ToLongFunction<E> code) {
        this.type = type;
        E[] constants = type.getEnumConstants();
        this.codes = new long[constants.length];
        Map<Long, E> map = new HashMap<>();
        Map<Long, String> n = new LinkedHashMap<>();
        for (E e : constants) {
            long c = code.applyAsLong(e);
            if (c < 0 || c > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("code " + c + " of " + e + " is not a u32");
            }
            if (map.put(c, e) != null) {
                throw new IllegalArgumentException("code " + c + " is used twice in " + type.getName());
            }
            codes[e.ordinal()] = c;
            n.put(c, e.name());
        }
        this.byCode = map;
        this.names = Collections.unmodifiableMap(n);
    }

    /** Codes given by {@code code}, e.g. a field of the enum holding the hardware value. */
    public static <E extends Enum<E>> EnumType<E> of(Class<E> type, ToLongFunction<E> code) {
        return new EnumType<>(type, code);
    }

    /** Codes are the ordinals: only for enums whose order is part of their contract. */
    public static <E extends Enum<E>> EnumType<E> ordinal(Class<E> type) {
        return new EnumType<>(type, Enum::ordinal);
    }

    public Class<E> type() {
        return type;
    }

    /** The wire code of {@code value}. */
    public long code(E value) {
        return codes[value.ordinal()];
    }

    /** The constant with wire code {@code code}, or {@code null} when there is none. */
    public E fromCode(long code) {
        return byCode.get(code);
    }

    /** Code to name, in declaration order. */
    public Map<Long, String> names() {
        return names;
    }
}
