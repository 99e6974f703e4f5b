package dev.vmstate.spi;

import dev.vmstate.binary.ByteSink;
import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VersionException;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.internal.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The small, format-independent envelope every stream except legacy starts with, so that any
 * build (or an independent decoder) can tell what a stream is, and why it cannot read it,
 * without knowing the body's codec. Layout ({@code docs/formats/envelope.md}):
 *
 * <pre>
 * 56 4D 53 54        magic "VMST"
 * 01                 envelope version
 * be16 L             length of the rest of the envelope; the body starts L bytes later
 *   u8 n, n bytes    format id, ASCII ("cbor", "asn1-der", ...)
 *   u8 n, n bytes    schema fingerprint (32 bytes: SHA-256, all zero when not declared)
 *   u8 k             feature count, then k times: u8 n, n bytes of ASCII feature name
 * </pre>
 *
 * <p>The {@code json} format carries the same fields as the first member of its top-level object.
 * Immutable and thread-safe.
 *
 * @param formatId          the body's format
 * @param schemaFingerprint {@link #FINGERPRINT_LENGTH} bytes
 * @param features          feature names, e.g. {@link #FEATURE_CRC32C}
 * @since 0.1
 */
public record Envelope(String formatId, byte[] schemaFingerprint, List<String> features) {
    /** "VMST". */
    public static final byte[] MAGIC = {0x56, 0x4D, 0x53, 0x54};
    public static final int VERSION = 1;
    public static final int FINGERPRINT_LENGTH = 32;
    /** Each section carries a CRC32C of its state's body encoding. */
    public static final String FEATURE_CRC32C = "crc32c";

    public Envelope {
        Objects.requireNonNull(formatId, "formatId");
        schemaFingerprint = schemaFingerprint.clone();
        if (schemaFingerprint.length != FINGERPRINT_LENGTH) {
            throw new IllegalArgumentException("fingerprint must be " + FINGERPRINT_LENGTH + " bytes");
        }
        features = List.copyOf(features);
    }

    /** The envelope a writer of {@code formatId} records for {@code options}. */
    public static Envelope of(String formatId, WriteOptions options) {
        List<String> f = new ArrayList<>();
        if (options.crc32c()) {
            f.add(FEATURE_CRC32C);
        }
        return new Envelope(formatId, options.schemaFingerprint(), f);
    }

    @Override
    public byte[] schemaFingerprint() {
        return schemaFingerprint.clone();
    }

    public boolean has(String feature) {
        return features.contains(feature);
    }

    /** SHA-256 over the compact JSON of {@code schemas}, in order: which device layouts a stream was written with. */
    public static byte[] fingerprint(Collection<Schema> schemas) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Schema s : schemas) {
                md.update(Json.compact(SchemaJson.toMap(s)).getBytes(StandardCharsets.UTF_8));
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Writes the binary envelope. */
    public void write(ByteSink out) {
        ByteSink rest = new ByteSink(64);
        byte[] id = formatId.getBytes(StandardCharsets.US_ASCII);
        rest.writeU8(id.length).writeBytes(id);
        rest.writeU8(schemaFingerprint.length).writeBytes(schemaFingerprint);
        rest.writeU8(features.size());
        for (String f : features) {
            byte[] b = f.getBytes(StandardCharsets.US_ASCII);
            rest.writeU8(b.length).writeBytes(b);
        }
        out.writeBytes(MAGIC).writeU8(VERSION).writeBe16(rest.size()).writeBytes(rest.toByteArray());
    }

    /** The binary envelope of this record, as bytes. */
    public byte[] toBytes() {
        ByteSink s = new ByteSink(64);
        write(s);
        return s.toByteArray();
    }

    /** Reads a binary envelope, leaving {@code in} at the first byte of the body. */
    public static Envelope read(ByteSource in) {
        long start = in.position();
        for (int i = 0; i < MAGIC.length; i++) {
            int b = in.readU8();
            if (b != (MAGIC[i] & 0xFF)) {
                throw (MalformedStreamException) new MalformedStreamException(String.format(
                        "not a vmstate envelope: byte 0x%02X where the magic \"VMST\" has 0x%02X", b, MAGIC[i]))
                        .atOffset(start + i);
            }
        }
        int version = in.readU8();
        if (version != VERSION) {
            throw (VersionException) new VersionException("envelope version " + version
                    + " is not supported (this build reads version " + VERSION + ")").atOffset(start + 4);
        }
        int length = in.readBe16();
        long bodyStart = in.position() + length;
        String id = ascii(in, bodyStart, "format id");
        int fpLen = in.readU8();
        if (fpLen != FINGERPRINT_LENGTH) {
            throw (MalformedStreamException) new MalformedStreamException("schema fingerprint of " + fpLen
                    + " bytes, expected " + FINGERPRINT_LENGTH).atOffset(in.position() - 1);
        }
        byte[] fp = new byte[fpLen];
        in.readFully(fp);
        int k = in.readU8();
        List<String> features = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            features.add(ascii(in, bodyStart, "feature name"));
        }
        if (in.position() != bodyStart) {
            throw (MalformedStreamException) new MalformedStreamException("envelope length says the body starts at "
                    + bodyStart + ", its fields end at " + in.position()).atOffset(start + 5);
        }
        return new Envelope(id, fp, features);
    }

    private static String ascii(ByteSource in, long end, String what) {
        long at = in.position();
        int n = in.readU8();
        if (at + 1 + n > end) {
            throw (MalformedStreamException) new MalformedStreamException(what + " of " + n
                    + " bytes runs past the envelope's end").atOffset(at);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        for (byte c : b) {
            if (c < 0x20 || c > 0x7E) {
                throw (MalformedStreamException) new MalformedStreamException(what + " is not printable ASCII")
                        .atOffset(at);
            }
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** Whether {@code head} starts with the envelope magic. */
    public static boolean startsWithMagic(byte[] head, int length) {
        length = Math.min(length, head.length);
        if (length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** The format id named by a binary envelope at the start of {@code head}, or {@code null}. */
    public static String peekFormat(byte[] head, int length) {
        length = Math.min(length, head.length);
        if (!startsWithMagic(head, length) || length < 8) {
            return null;
        }
        int n = head[7] & 0xFF;
        if (8 + n > length) {
            return null;
        }
        return new String(head, 8, n, StandardCharsets.US_ASCII);
    }

    /** The JSON form, as the {@code json} format embeds it. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("magic", "VMST");
        m.put("envelope_version", (long) VERSION);
        m.put("format", formatId);
        m.put("schema_fingerprint", HexFormat.of().formatHex(schemaFingerprint));
        m.put("features", new ArrayList<Object>(features));
        return m;
    }
}
