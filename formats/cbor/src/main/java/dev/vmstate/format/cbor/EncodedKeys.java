package dev.vmstate.format.cbor;

/**
 * The keys and record kinds of the format as encoded CBOR text strings, head included: the
 * writer copies them instead of encoding each key of each record again, and the reader's fast
 * path ({@link ItemScan}) compares against them.
 */
final class EncodedKeys {
    static final byte[] RECORD = text(CborConstants.RECORD);
    static final byte[] DEVICE = text(CborConstants.DEVICE);
    static final byte[] SCHEMA_RECORD = text(CborConstants.SCHEMA_RECORD);
    static final byte[] SCHEMA_ID = text(CborConstants.SCHEMA_ID);
    static final byte[] SCHEMA = text(CborConstants.SCHEMA);
    static final byte[] FINGERPRINT = text(CborConstants.FINGERPRINT);
    static final byte[] SECTION_ID = text(CborConstants.SECTION_ID);
    static final byte[] IDSTR = text(CborConstants.IDSTR);
    static final byte[] INSTANCE_ID = text(CborConstants.INSTANCE_ID);
    static final byte[] VERSION = text(CborConstants.VERSION);
    static final byte[] FOOTER = text(CborConstants.FOOTER);
    static final byte[] CRC32C = text(CborConstants.CRC32C);
    static final byte[] STATE = text(CborConstants.STATE);
    static final byte[] HEADER = text(CborConstants.HEADER);
    static final byte[] END = text(CborConstants.END);
    static final byte[] STREAM_VERSION = text(CborConstants.STREAM_VERSION);
    static final byte[] MACHINE_TYPE = text(CborConstants.MACHINE_TYPE);
    static final byte[] CONFIGURATION_EXTRA = text(CborConstants.CONFIGURATION_EXTRA);
    static final byte[] DEVICE_TREE = text(CborConstants.DEVICE_TREE);

    private EncodedKeys() {
    }

    /** The CBOR text string of an ASCII constant, head included. */
    static byte[] text(String s) {
        byte[] b = new byte[1 + s.length()];
        b[0] = (byte) (0x60 | s.length()); // every key is shorter than 24 bytes
        for (int i = 0; i < s.length(); i++) {
            b[1 + i] = (byte) s.charAt(i);
        }
        return b;
    }
}
