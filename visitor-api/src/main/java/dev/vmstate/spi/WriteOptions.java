package dev.vmstate.spi;

import java.util.Arrays;

/**
 * How to write a stream: whether each section carries a CRC32C of its state, the schema
 * fingerprint the envelope records, and whether a self-describing format carries each schema
 * whole or by reference. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class WriteOptions {
    private final boolean crc32c;
    private final byte[] schemaFingerprint;
    private final boolean schemasByReference;

    private WriteOptions(boolean crc32c, byte[] schemaFingerprint, boolean schemasByReference) {
        this.crc32c = crc32c;
        this.schemaFingerprint = schemaFingerprint.clone();
        this.schemasByReference = schemasByReference;
    }

    /** No CRCs, an all-zero fingerprint ("not declared"), schemas carried whole. */
    public static WriteOptions defaults() {
        return new WriteOptions(false, new byte[Envelope.FINGERPRINT_LENGTH], false);
    }

    /** With or without a CRC32C per section (feature {@code crc32c} of the envelope). */
    public WriteOptions withCrc32c(boolean on) {
        return new WriteOptions(on, schemaFingerprint, schemasByReference);
    }

    /**
     * Whether a format that carries each schema in the stream ({@code cbor}) writes only the
     * schema's {@linkplain Envelope#fingerprint fingerprint} instead. The stream is then as small
     * as a schema-less one, and a reader needs the schemas from {@link ReadOptions#schemas()} (the
     * device registry), as a legacy reader without a description does; it checks each against the
     * fingerprint. Formats without schema items ignore the option.
     */
    public WriteOptions withSchemasByReference(boolean on) {
        return new WriteOptions(crc32c, schemaFingerprint, on);
    }

    /** With {@code fingerprint} ({@link Envelope#fingerprint}) in the envelope. */
    public WriteOptions withSchemaFingerprint(byte[] fingerprint) {
        if (fingerprint.length != Envelope.FINGERPRINT_LENGTH) {
            throw new IllegalArgumentException("fingerprint must be " + Envelope.FINGERPRINT_LENGTH + " bytes, got "
                    + fingerprint.length);
        }
        return new WriteOptions(crc32c, fingerprint, schemasByReference);
    }

    public boolean crc32c() {
        return crc32c;
    }

    public byte[] schemaFingerprint() {
        return schemaFingerprint.clone();
    }

    public boolean schemasByReference() {
        return schemasByReference;
    }

    @Override
    public String toString() {
        return "WriteOptions{crc32c=" + crc32c + ", fingerprint=" + Arrays.toString(schemaFingerprint)
                + ", schemasByReference=" + schemasByReference + "}";
    }
}
