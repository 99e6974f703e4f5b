package dev.vmstate.format.cbor;

import dev.vmstate.spi.RecordOrder;

/**
 * The names and bytes of the {@code cbor} format, verbatim from {@code docs/formats/cbor.md}:
 * record kinds, map keys, the spellings of enumerated values, and the CBOR initial bytes the
 * format uses (RFC 8949 §3). Reader and writer use only these, so the spec and the code cannot
 * drift apart silently.
 *
 * <p>Constants only; thread-safe.
 *
 * @since 0.1
 */
public final class CborConstants {
    /** The format's name, on the command line and in the envelope. */
    public static final String FORMAT = "cbor";

    // ---- record kinds: the value of the first key of each record map ----
    /** The key naming a record's kind; always the first key of a record map. */
    public static final String RECORD = "record";
    public static final String HEADER = RecordOrder.HEADER;
    public static final String DEVICE = RecordOrder.DEVICE;
    public static final String ITERATIVE = RecordOrder.ITERATIVE;
    public static final String RAM_BLOCKS = RecordOrder.RAM_BLOCKS;
    public static final String PAGE = RecordOrder.PAGE;
    public static final String EOS = RecordOrder.EOS;
    public static final String SECTION_END = RecordOrder.SECTION_END;
    public static final String COMMAND = RecordOrder.COMMAND;
    public static final String END = RecordOrder.END;
    public static final String DESCRIPTION = RecordOrder.DESCRIPTION;

    // ---- header ----
    public static final String STREAM_VERSION = "stream_version";
    public static final String MACHINE_TYPE = "machine_type";
    public static final String CONFIGURATION_EXTRA = "configuration_extra";
    public static final String DEVICE_TREE = "device_tree";

    // ---- device, iterative, section_end ----
    public static final String SECTION_ID = "section_id";
    public static final String IDSTR = "idstr";
    public static final String INSTANCE_ID = "instance_id";
    public static final String VERSION = "version";
    public static final String FOOTER = "footer";
    public static final String CRC32C = "crc32c";
    public static final String SCHEMA = "schema";
    public static final String STATE = "state";
    /** The record kind of a stream's schema item, internal to the format (no {@code StreamRecord}). */
    public static final String SCHEMA_RECORD = "schema";
    /** A schema item's id, which device items name under {@code "schema"}. */
    public static final String SCHEMA_ID = "id";
    /** The key of a by-reference schema item: the schema's SHA-256 fingerprint instead of the schema. */
    public static final String FINGERPRINT = "fingerprint";
    public static final String TYPE = "type";
    public static final String TYPE_START = "start";
    public static final String TYPE_PART = "part";
    public static final String TYPE_END = "end";

    // ---- ram_blocks, page ----
    public static final String TOTAL_BYTES = "total_bytes";
    public static final String BLOCKS = "blocks";
    public static final String NAME = "name";
    public static final String USED_LENGTH = "used_length";
    public static final String BLOCK = "block";
    public static final String OFFSET = "offset";
    public static final String CONTINUED = "continued";
    public static final String ENCODING = "encoding";
    public static final String ENCODING_ZERO = "zero";
    public static final String ENCODING_RAW = "raw";
    public static final String ENCODING_XBZRLE = "xbzrle";
    /** A zero page's fill byte, as an unsigned integer. */
    public static final String FILL = "fill";
    /** A raw or XBZRLE page's bytes, a command's payload: a byte string. */
    public static final String DATA = "data";

    // ---- command, description ----
    public static final String COMMAND_NUMBER = "command";
    /** The description's bytes (QEMU's vmdesc JSON), exactly as read, as a byte string. */
    public static final String JSON = "json";
    /** {@code true}: the writer of another format is to generate the description. */
    public static final String GENERATE = "generate";

    // ---- state values ----
    /** A present section's version. */
    public static final String SECTION_VERSION = "version";
    /** A present section's body. */
    public static final String SECTION_STATE = "state";

    // ---- CBOR initial bytes (RFC 8949 §3.1, §3.3) ----
    /** Major type 0, unsigned integer, with an 8-byte argument: a u64 at or above 2^63. */
    public static final int UINT64 = 0x1B;
    /** Major type 1, negative integer, with an 8-byte argument. */
    public static final int NINT64 = 0x3B;
    public static final int FALSE = 0xF4;
    public static final int TRUE = 0xF5;
    public static final int NULL = 0xF6;
    /** Major type 7, IEEE 754 binary64: every float64 of the data model, always 8 bytes. */
    public static final int FLOAT64 = 0xFB;

    private CborConstants() {
    }
}
