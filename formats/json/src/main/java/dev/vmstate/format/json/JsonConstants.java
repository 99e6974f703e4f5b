package dev.vmstate.format.json;

import dev.vmstate.spi.RecordOrder;

/**
 * The names of the {@code json} format, verbatim from {@code docs/formats/json.md}: top-level
 * members, record kinds, record members and the spellings of enumerated values. Reader and writer
 * use only these, so the spec and the code cannot drift apart silently.
 *
 * <p>Constants only; thread-safe.
 *
 * @since 0.1
 */
public final class JsonConstants {
    /** The format's name, on the command line and in the envelope. */
    public static final String FORMAT = "json";

    // ---- top level ----
    /** The envelope, the first member of the top-level object. */
    public static final String VMSTATE = "vmstate";
    /** The array of records, the second and last member of the top-level object. */
    public static final String RECORDS = "records";

    // ---- envelope (the names Envelope.toMap() writes) ----
    public static final String ENV_MAGIC = "magic";
    public static final String ENV_VERSION = "envelope_version";
    public static final String ENV_FORMAT = "format";
    public static final String ENV_FINGERPRINT = "schema_fingerprint";
    public static final String ENV_FEATURES = "features";
    /** The value of {@link #ENV_MAGIC}. */
    public static final String MAGIC = "VMST";

    // ---- record kinds: the value of the first member of each record ----
    /** The member naming a record's kind; always the record's first member. */
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
    /** A zero page's fill byte, as a number. */
    public static final String FILL = "fill";
    /** A raw or XBZRLE page's bytes, in base64; a command's payload, in hex. */
    public static final String DATA = "data";

    // ---- command, description ----
    public static final String COMMAND_NUMBER = "command";
    /** The description as JSON text, when its bytes are valid UTF-8. */
    public static final String JSON = "json";
    /** The description's bytes in hex, when they are not valid UTF-8. */
    public static final String HEX = "hex";
    /** {@code true}: the writer of another format is to generate the description. */
    public static final String GENERATE = "generate";

    // ---- state values ----
    /** An enum value's code. */
    public static final String ENUM_CODE = "code";
    /** An enum value's name, as the schema gives it. */
    public static final String ENUM_NAME = "name";
    /** A present section's version. */
    public static final String SECTION_VERSION = "version";
    /** A present section's body. */
    public static final String SECTION_STATE = "state";

    private JsonConstants() {
    }
}
