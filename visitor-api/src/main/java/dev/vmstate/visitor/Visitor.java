package dev.vmstate.visitor;

import dev.vmstate.error.Errors;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Walks the state of a {@link Visitable}, one call per field, in every direction at once: each
 * call takes the field's current value and returns the value the field should hold afterwards.
 * A save visitor returns what it was given; a load visitor returns what it read; a describe
 * visitor records the field's kind and returns the value unchanged.
 *
 * <pre>{@code
 * divider = v.u16("divider", divider);
 * fifo    = v.buffer("fifo", fifo, 16);
 * v.struct("thr_timer", thrTimer);
 * v.section("serial/thr_ipending", thrIpendingNeeded(), this::visitThrIpending);
 * }</pre>
 *
 * <p>The methods are the kinds of the closed data model ({@link Kind}). Integer kinds narrower
 * than their Java type are range-checked on save: saving 256 as a {@code u8} throws a
 * {@link dev.vmstate.error.StreamWriteException} naming the field path and the value. Unsigned
 * 64-bit values travel in a {@code long} as their bit pattern.
 *
 * <p>Field names are unique within one struct. Sections come after the fields of the struct that
 * holds them, as QEMU's subsections do.
 *
 * <p>Visitors are stateful and not thread-safe: use one per walk.
 *
 * @since 0.1
 */
public interface Visitor {
    boolean bool(String name, boolean value);

    /** Signed 8-bit, carried in an {@code int} in -128..127. */
    int i8(String name, int value);

    /** Signed 16-bit, carried in an {@code int} in -32768..32767. */
    int i16(String name, int value);

    int i32(String name, int value);

    long i64(String name, long value);

    /** Unsigned 8-bit, carried in an {@code int} in 0..255. */
    int u8(String name, int value);

    /** Unsigned 16-bit, carried in an {@code int} in 0..65535. */
    int u16(String name, int value);

    /** Unsigned 32-bit, carried in a {@code long} in 0..4294967295. */
    long u32(String name, long value);

    /** Unsigned 64-bit, carried in a {@code long} as its bit pattern. */
    long u64(String name, long value);

    double f64(String name, double value);

    /** UTF-8 text of variable length; never {@code null}. */
    String str(String name, String value);

    /** Bytes of variable length; never {@code null}. A load visitor may fill {@code value} in place when the length matches. */
    byte[] bytes(String name, byte[] value);

    /**
     * Exactly {@code size} bytes. A load visitor fills {@code value} in place when it has that
     * length, so a device may keep one array for its lifetime.
     */
    byte[] buffer(String name, byte[] value, int size);

    /**
     * A fixed-length array of the integer kind {@code element}; the length is {@code values.length}.
     * A load visitor fills {@code values} in place.
     */
    long[] array(String name, Kind element, long[] values);

    /** A variable-length array of the integer kind {@code element}. */
    long[] varray(String name, Kind element, long[] values);

    /** A nested struct, visited in place. */
    <T extends Visitable> T struct(String name, T value);

    /** A fixed-length array of structs of one type, each visited in place (QEMU's struct array). */
    <T extends Visitable> T[] structs(String name, T[] values);

    /**
     * A variable-length list of structs. A load visitor returns a list with one element per entry
     * read: it may load into {@code values}' own elements in place when the lengths match (so
     * {@code values} must then be mutable or its elements reusable), and makes the others with
     * {@code factory}; a describe visitor asks the factory for the element type.
     */
    <T extends Visitable> List<T> list(String name, List<T> values, Supplier<T> factory);

    /**
     * One of a closed set of values, as its u32 {@code code}; {@code names} maps every valid code
     * to its name. The primitive behind {@link #enumeration}; generic states call it directly.
     * A code outside {@code names} fails on save and on load.
     */
    long enumCode(String name, long code, Map<Long, String> names);

    /** One of a closed set of values, carried as its u32 code from {@code type}. */
    default <E extends Enum<E>> E enumeration(String name, E value, EnumType<E> type) {
        if (value == null) {
            throw Errors.nullValue(name, "enum");
        }
        long code = enumCode(name, type.code(value), type.names());
        E result = type.fromCode(code);
        if (result == null) {
            throw Errors.unknownEnumCode(name, code, type.type().getSimpleName());
        }
        return result;
    }

    /**
     * An optional section (QEMU's subsection) named {@code name} with its own {@code version}.
     * Saving writes {@code body} only if {@code needed}; loading visits {@code body} only if the
     * input holds the section. Returns whether {@code body} was visited with data.
     */
    boolean section(String name, int version, boolean needed, Visitable body);

    /** A version-1 section; see {@link #section(String, int, boolean, Visitable)}. */
    default boolean section(String name, boolean needed, Visitable body) {
        return section(name, 1, needed, body);
    }

    /** True when values flow from the visitor into the object (load, tree in, clone target). */
    boolean isInput();

    /**
     * Marks the member visited next (a field or a section) as <em>must-understand</em>, and returns
     * this visitor so the call reads as a prefix:
     * <pre>{@code
     * v.mustUnderstand().section("vs-virtio-dev/inflight", inflight.length > 0, inflightBody);
     * }</pre>
     * A reader whose model lacks such a member refuses the state, naming its path, instead of
     * skipping it (docs/compat.md §5): use it for state that cannot be dropped without breaking the
     * guest, such as requests in flight. Only the describe visitor records the mark; every other
     * visitor ignores it, so the mark costs nothing on save and load.
     */
    default Visitor mustUnderstand() {
        return this;
    }

    // ---- presentation hints: the same calls, with a hint a describe visitor records ----

    default int i8(String name, int value, Hint hint) {
        return i8(name, value);
    }

    default int i16(String name, int value, Hint hint) {
        return i16(name, value);
    }

    default int i32(String name, int value, Hint hint) {
        return i32(name, value);
    }

    default long i64(String name, long value, Hint hint) {
        return i64(name, value);
    }

    default int u8(String name, int value, Hint hint) {
        return u8(name, value);
    }

    default int u16(String name, int value, Hint hint) {
        return u16(name, value);
    }

    default long u32(String name, long value, Hint hint) {
        return u32(name, value);
    }

    default long u64(String name, long value, Hint hint) {
        return u64(name, value);
    }
}
