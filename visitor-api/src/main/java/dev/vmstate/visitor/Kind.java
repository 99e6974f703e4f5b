package dev.vmstate.visitor;

/**
 * The closed data model: every value a device can hold is one of these kinds, and every wire
 * format encodes every kind. See {@code docs/data-model.md}.
 *
 * <p>Integer kinds carry their range; {@link #typeName()} is the name QEMU's vmdesc uses for the
 * same thing, so a schema and a QEMU description read alike.
 *
 * @since 0.1
 */
public enum Kind {
    BOOL("bool", 1, 0, 1),
    I8("int8", 1, Byte.MIN_VALUE, Byte.MAX_VALUE),
    I16("int16", 2, Short.MIN_VALUE, Short.MAX_VALUE),
    I32("int32", 4, Integer.MIN_VALUE, Integer.MAX_VALUE),
    I64("int64", 8, Long.MIN_VALUE, Long.MAX_VALUE),
    U8("uint8", 1, 0, 0xFF),
    U16("uint16", 2, 0, 0xFFFF),
    U32("uint32", 4, 0, 0xFFFF_FFFFL),
    /** Unsigned 64-bit: every bit pattern of a Java {@code long} is valid, read as unsigned. */
    U64("uint64", 8, Long.MIN_VALUE, Long.MAX_VALUE),
    F64("float64", 8, 0, 0),
    /** UTF-8 text of variable length. */
    STR("string", -1, 0, 0),
    /** Bytes of variable length. */
    BYTES("bytes", -1, 0, 0),
    /** Bytes of a length fixed by the device (not carried by schema-less formats). */
    BUFFER("buffer", -1, 0, 0),
    /** An array of a fixed-width integer kind, of fixed length. */
    ARRAY("array", -1, 0, 0),
    /** An array of a fixed-width integer kind, of variable length. */
    VARRAY("varray", -1, 0, 0),
    /** A nested struct, or a fixed-length array of structs of one type. */
    STRUCT("struct", -1, 0, 0),
    /** A variable-length list of structs of one type. */
    LIST("list", -1, 0, 0),
    /** One of a closed set of named values, carried as its u32 code. */
    ENUM("enum", 4, 0, 0xFFFF_FFFFL),
    /** An optional group of fields (QEMU's subsection): written only when needed, read when present. */
    SECTION("section", -1, 0, 0);

    private final String typeName;
    private final int width;
    private final long min;
    private final long max;

    Kind(String typeName, int width, long min, long max) {
        this.typeName = typeName;
        this.width = width;
        this.min = min;
        this.max = max;
    }

    /** The name used in schemas ({@code uint8}, {@code struct}, ...), as in QEMU's vmdesc where QEMU has one. */
    public String typeName() {
        return typeName;
    }

    /** Bytes of the fixed-width encoding, or -1 for kinds without one. */
    public int width() {
        return width;
    }

    /** True for the eight integer kinds, the only element kinds of {@link #ARRAY} and {@link #VARRAY}. */
    public boolean isInteger() {
        return ordinal() >= I8.ordinal() && ordinal() <= U64.ordinal();
    }

    /** True for kinds with a fixed-width scalar value: bool, the integers, f64 and enum. */
    public boolean isScalar() {
        return width > 0;
    }

    /** Smallest valid value of an integer kind (for {@link #U64}, as a signed long: all values are valid). */
    public long min() {
        return min;
    }

    /** Largest valid value of an integer kind. */
    public long max() {
        return max;
    }

    /** Whether {@code value} is in range for this integer kind. */
    public boolean inRange(long value) {
        return this == U64 || this == I64 || (value >= min && value <= max);
    }

    /** The kind whose {@link #typeName()} is {@code name}, or {@code null}. */
    public static Kind fromTypeName(String name) {
        for (Kind k : values()) {
            if (k.typeName.equals(name)) {
                return k;
            }
        }
        return null;
    }
}
