package dev.vmstate.spi;

import java.util.Arrays;

/**
 * How to write a stream: whether each section carries a CRC32C of its state, and the schema
 * fingerprint the envelope records. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class WriteOptions {
    private final boolean crc32c;
    private final byte[] schemaFingerprint;

    private WriteOptions(boolean crc32c, byte[] schemaFingerprint) {
        this.crc32c = crc32c;
        this.schemaFingerprint = schemaFingerprint.clone();
    }

    /** No CRCs, an all-zero fingerprint ("not declared"). */
    public static WriteOptions defaults() {
        return new WriteOptions(false, new byte[Envelope.FINGERPRINT_LENGTH]);
    }

    /** With or without a CRC32C per section (feature {@code crc32c} of the envelope). */
    public WriteOptions withCrc32c(boolean on) {
        return new WriteOptions(on, schemaFingerprint);
    }

    /** With {@code fingerprint} ({@link Envelope#fingerprint}) in the envelope. */
    public WriteOptions withSchemaFingerprint(byte[] fingerprint) {
        if (fingerprint.length != Envelope.FINGERPRINT_LENGTH) {
            throw new IllegalArgumentException("fingerprint must be " + Envelope.FINGERPRINT_LENGTH + " bytes, got "
                    + fingerprint.length);
        }
        return new WriteOptions(crc32c, fingerprint);
    }

    public boolean crc32c() {
        return crc32c;
    }

    public byte[] schemaFingerprint() {
        return schemaFingerprint.clone();
    }

    @Override
    public String toString() {
        return "WriteOptions{crc32c=" + crc32c + ", fingerprint=" + Arrays.toString(schemaFingerprint) + "}";
    }
}
