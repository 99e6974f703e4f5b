package dev.vmstate.format.protobuf;

import dev.vmstate.spi.RecordOrder;

/**
 * The names and numbers of the {@code protobuf} format, verbatim from {@code vmstate.proto} and
 * {@code docs/formats/protobuf.md}: the field numbers of {@code Record}'s oneof and of
 * {@code Device}, the wire types, and the record names messages use. The hand-written parts of
 * reader and writer use only these, so they cannot drift from the .proto silently
 * ({@code ProtobufWireTest} checks them against the generated descriptors).
 *
 * <p>Constants only; thread-safe.
 *
 * @since 0.1
 */
public final class ProtobufConstants {
    /** The format's name, on the command line and in the envelope. */
    public static final String FORMAT = "protobuf";

    // ---- wire types (protobuf encoding guide, "Message Structure") ----
    public static final int VARINT = 0;
    public static final int I64 = 1;
    public static final int LEN = 2;

    // ---- Record: the field number of each kind of its oneof ----
    public static final int RECORD_HEADER = 1;
    public static final int RECORD_SCHEMA = 2;
    public static final int RECORD_DEVICE = 3;
    public static final int RECORD_ITERATIVE = 4;
    public static final int RECORD_RAM_BLOCKS = 5;
    public static final int RECORD_PAGE = 6;
    public static final int RECORD_EOS = 7;
    public static final int RECORD_SECTION_END = 8;
    public static final int RECORD_COMMAND = 9;
    public static final int RECORD_END = 10;
    public static final int RECORD_DESCRIPTION = 11;

    /** Record names by field number, as messages name them ({@code RecordOrder}'s names, and the internal schema record). */
    static final String[] RECORD_NAMES = {null, RecordOrder.HEADER, "schema", RecordOrder.DEVICE, RecordOrder.ITERATIVE,
        RecordOrder.RAM_BLOCKS, RecordOrder.PAGE, RecordOrder.EOS, RecordOrder.SECTION_END, RecordOrder.COMMAND,
        RecordOrder.END, RecordOrder.DESCRIPTION};

    // ---- SchemaRecord ----
    public static final int SCHEMA_ID = 1;
    public static final int SCHEMA_MAP = 2;
    public static final int SCHEMA_FINGERPRINT = 3;

    // ---- Device ----
    public static final int DEVICE_SECTION_ID = 1;
    public static final int DEVICE_IDSTR = 2;
    public static final int DEVICE_INSTANCE_ID = 3;
    public static final int DEVICE_VERSION = 4;
    public static final int DEVICE_FOOTER = 5;
    public static final int DEVICE_CRC32C = 6;
    public static final int DEVICE_SCHEMA = 7;
    public static final int DEVICE_STATE = 8;

    // ---- SectionValue ----
    public static final int SECTION_VERSION = 1;
    public static final int SECTION_BODY = 2;

    private ProtobufConstants() {
    }

    /** The tag of field {@code number} with {@code wireType}: {@code number << 3 | wireType}. */
    public static int tag(int number, int wireType) {
        return number << 3 | wireType;
    }

    /** A wire type as messages name it. */
    static String wireTypeName(int wireType) {
        return switch (wireType) {
            case VARINT -> "0 (varint)";
            case I64 -> "1 (64-bit)";
            case LEN -> "2 (length-delimited)";
            case 3 -> "3 (start group)";
            case 4 -> "4 (end group)";
            case 5 -> "5 (32-bit)";
            default -> wireType + " (invalid)";
        };
    }

    /** A record's name by its field number in {@code Record}, or "field N". */
    static String recordName(int field) {
        return field > 0 && field < RECORD_NAMES.length ? RECORD_NAMES[field] : "field " + field;
    }
}
