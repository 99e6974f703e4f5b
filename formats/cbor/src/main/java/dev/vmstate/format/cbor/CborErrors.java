package dev.vmstate.format.cbor;

import dev.vmstate.error.LimitExceededException;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.error.StreamIoException;
import dev.vmstate.error.StreamWriteException;
import dev.vmstate.error.VersionException;
import dev.vmstate.error.VmstateException;
import java.io.IOException;
import java.util.Collection;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * The only place the {@code cbor} format builds its exceptions, so every message keeps one shape
 * (lower case, no final period, what was found against what was expected) and
 * {@code docs/formats/cbor.md} §6 can list them all. Callers add the offset, section and path.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class CborErrors {
    private CborErrors() {
    }

    // ---------------------------------------------------------------- reading: CBOR well-formedness

    /** The input ended inside an item; {@code what} names the innermost one ("a byte string of 4096 bytes"). */
    public static MalformedStreamException truncated(String what) {
        return new MalformedStreamException("unexpected end of input inside " + what);
    }

    /** Major type 6: the format writes no tags, so none is accepted. */
    public static MalformedStreamException tag(int initialByte) {
        return new MalformedStreamException(String.format(
                "found a tag (initial byte 0x%02X); the cbor format uses no tags", initialByte));
    }

    /** An indefinite-length string, array or map (additional information 31). */
    public static MalformedStreamException indefinite(String what, int initialByte) {
        return new MalformedStreamException(String.format(
                "found an indefinite-length %s (initial byte 0x%02X); the cbor format uses definite lengths only",
                what, initialByte));
    }

    /** Additional information 28..30, or 31 on an integer: not well-formed CBOR. */
    public static MalformedStreamException notWellFormed(int initialByte) {
        return new MalformedStreamException(String.format(
                "initial byte 0x%02X is not well-formed CBOR (additional information %d)", initialByte,
                initialByte & 0x1F));
    }

    /** An argument in more bytes than preferred serialization (RFC 8949 §4.1) uses. */
    public static MalformedStreamException notPreferred(int initialByte, String argument, int bytes, int preferred) {
        return new MalformedStreamException(String.format(
                "argument %s after initial byte 0x%02X takes %d byte(s) where preferred serialization uses %d",
                argument, initialByte, bytes, preferred));
    }

    /** A major type 7 value other than false, true, null and a float64. */
    public static MalformedStreamException simpleValue(String what, int initialByte) {
        return new MalformedStreamException(String.format(
                "found %s (initial byte 0x%02X); the cbor format uses false, true, null and float64 (0xFB) only",
                what, initialByte));
    }

    /** A map key that is not a text string. */
    public static MalformedStreamException keyNotText(String found) {
        return new MalformedStreamException("found " + found + " as a map key; every key is a text string");
    }

    /** A text string whose bytes are not UTF-8 (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF). */
    public static MalformedStreamException badUtf8(int b, int index) {
        return new MalformedStreamException(String.format(
                "text string is not valid UTF-8: byte 0x%02X at index %d", b, index));
    }

    /** Containers nested deeper than the reader allows. */
    public static LimitExceededException tooDeep(int max) {
        return new LimitExceededException("CBOR nesting depth (more than " + max + ") exceeds the maximum allowed ("
                + max + ", from ReadLimits.maxDepth() x 4 + 8)");
    }

    /** A schema or device tree with more values than the reader keeps in memory at once. */
    public static LimitExceededException tooManyValues(int max) {
        return new LimitExceededException("value count of a schema or device tree (more than " + max
                + ") exceeds the maximum allowed (" + max + ", fixed by the cbor format)");
    }

    /** An item larger than one Java array can hold, which only a raised {@code maxSectionSize} lets through. */
    public static LimitExceededException itemTooLarge(long size) {
        return new LimitExceededException("item size (" + size + ") exceeds the maximum allowed ("
                + (Integer.MAX_VALUE - 16) + ", fixed by the cbor format: one item is one Java array)");
    }

    /**
     * A jackson-dataformat-cbor failure as a {@link VmstateException}. The framing checks come
     * first, so this is a backstop: a stream constraint becomes a {@link LimitExceededException},
     * anything else a {@link MalformedStreamException}.
     */
    public static VmstateException fromJackson(JacksonException e) {
        String m = firstLine(e.getOriginalMessage());
        if (e instanceof StreamConstraintsException) {
            return new LimitExceededException(m, e);
        }
        return new MalformedStreamException("invalid CBOR: " + m, e);
    }

    // ---------------------------------------------------------------- reading: records and keys

    /** A value of another type than the layout has at this place. */
    public static MalformedStreamException unexpected(String found, String expected) {
        return new MalformedStreamException("found " + found + ", expected " + expected);
    }

    public static MalformedStreamException recordFirst(String found) {
        return new MalformedStreamException("found " + found + " at the start of a record, expected the key \""
                + CborConstants.RECORD + "\"");
    }

    public static MalformedStreamException missingKey(String key, String where) {
        return new MalformedStreamException("missing key \"" + key + "\" in " + where);
    }

    public static MalformedStreamException unknownKey(String key, String where) {
        return new MalformedStreamException("unknown key \"" + shorten(key) + "\" in " + where);
    }

    /** A key of the layout in another place than the layout's order. */
    public static MalformedStreamException misplacedKey(String found, String expected, String where) {
        return new MalformedStreamException("found key \"" + shorten(found) + "\" where " + where + " has \""
                + expected + "\"");
    }

    public static MalformedStreamException duplicateKey(String key) {
        return new MalformedStreamException("duplicate key \"" + shorten(key) + "\"");
    }

    /** A key whose value must be one of a closed set of strings. */
    public static MalformedStreamException unknownValue(String key, String value, Collection<String> expected) {
        return new MalformedStreamException("unknown " + key + " \"" + shorten(value) + "\", expected one of "
                + String.join(", ", expected));
    }

    /** A value the record cannot hold, e.g. a start-only key on a part chunk. */
    public static MalformedStreamException badKey(String key, String problem) {
        return new MalformedStreamException("key \"" + key + "\": " + problem);
    }

    /** A record out of order, as {@link RecordOrder} words it. */
    public static MalformedStreamException readOrder(String violation) {
        return new MalformedStreamException(violation);
    }

    public static MalformedStreamException noEndRecord() {
        return new MalformedStreamException("the stream ends without an \"" + CborConstants.END + "\" record");
    }

    public static MalformedStreamException wrongFormat(String found) {
        return new MalformedStreamException("envelope names format \"" + shorten(found) + "\", expected \""
                + CborConstants.FORMAT + "\"");
    }

    public static VersionException unknownFeature(String feature) {
        return new VersionException("feature \"" + shorten(feature) + "\" is not supported by this build (it reads "
                + dev.vmstate.spi.Envelope.FEATURE_CRC32C + ")");
    }

    /** An integer outside the range of what it stands for: {@code invalid value 300 for uint8, expected 0..255}. */
    public static MalformedStreamException outOfRange(String value, String what, String min, String max) {
        return new MalformedStreamException("invalid value " + value + " for " + what + ", expected " + min + ".."
                + max);
    }

    public static MalformedStreamException badSchema(String problem) {
        return new MalformedStreamException("invalid schema: " + problem);
    }

    /** A read after an earlier read failed. */
    /** A schema id out of sequence, or one no schema item has given. */
    public static MalformedStreamException badSchemaId(long id, String problem) {
        return new MalformedStreamException("schema id " + id + ": " + problem);
    }

    public static SchemaMismatchException noSchemaForReference(String idstr, int version, byte[] fingerprint) {
        return new SchemaMismatchException("the stream carries the schema of this section by reference (fingerprint "
                + shortHex(fingerprint) + "), and this reader knows no schema for " + idstr + " at version " + version
                + ": read it with the device registry's schemas (ReadOptions.withSchemas), or write it with schemas"
                + " embedded");
    }

    public static SchemaMismatchException referenceMismatch(String idstr, int version, byte[] expected,
            byte[] actual) {
        return new SchemaMismatchException("the stream's schema of this section (fingerprint " + shortHex(expected)
                + ") is not this reader's schema of " + idstr + " at version " + version + " (fingerprint "
                + shortHex(actual) + "): the writer's device model differs; write the stream with schemas embedded");
    }

    /** The first 8 bytes of a fingerprint in hex, as git abbreviates a hash. */
    private static String shortHex(byte[] f) {
        return java.util.HexFormat.of().formatHex(f, 0, Math.min(8, f.length));
    }

    public static MalformedStreamException readerBroken(String earlier) {
        return new MalformedStreamException("the reader stopped at an earlier failure: " + earlier);
    }

    // ---------------------------------------------------------------- reading: state values

    public static MalformedStreamException unknownEnumCode(long code, Collection<Long> codes) {
        return new MalformedStreamException("invalid enum code " + Long.toUnsignedString(code) + ", expected one of "
                + codes);
    }

    public static VersionException sectionTooNew(long version, int supported) {
        return new VersionException("section version " + version + " is newer than the supported " + supported);
    }

    public static SchemaMismatchException keyNotInSchema(String key) {
        return new SchemaMismatchException("key \"" + shorten(key) + "\" is not in the schema");
    }

    /** A state key of the schema in another place than the schema's order. */
    public static MalformedStreamException outOfSchemaOrder(String found) {
        return new MalformedStreamException("key \"" + shorten(found)
                + "\" out of schema order; a state's keys come in the order of its schema");
    }

    /** A fixed-length value (buffer, array, struct array) of another length than its schema's. */
    public static SchemaMismatchException lengthMismatch(String kind, long found, long expected) {
        return new SchemaMismatchException(kind + " of length " + found + ", expected " + expected);
    }

    // ---------------------------------------------------------------- writing

    /** A record out of order, as {@link RecordOrder} words it. */
    public static StreamWriteException writeOrder(String violation) {
        return new StreamWriteException(violation);
    }

    /** A record the format cannot carry as given. */
    public static StreamWriteException badRecord(String problem) {
        return new StreamWriteException(problem);
    }

    /** A state member that does not fit the section's schema; the caller prepends the path. */
    public static StreamWriteException stateMismatch(String found, String expected) {
        return new StreamWriteException("state does not fit its schema: found " + found + ", expected " + expected);
    }

    public static StreamWriteException missingStateField() {
        return new StreamWriteException("state does not fit its schema: the field is missing");
    }

    public static StreamWriteException extraStateMembers(Collection<String> names) {
        return new StreamWriteException("state does not fit its schema: member(s) " + String.join(", ", names)
                + " not in the schema");
    }

    public static StreamWriteException writeSurrogate(char c) {
        return new StreamWriteException(String.format(
                "string holds an unpaired surrogate U+%04X, which UTF-8 cannot carry", (int) c));
    }

    /** The output failed. */
    public static StreamIoException writeFailed(IOException e) {
        return new StreamIoException("write failed: " + e.getMessage(), e);
    }

    /** A write after an earlier write failed half-way through a record. */
    public static StreamWriteException writerBroken(String earlier) {
        return new StreamWriteException("the writer stopped at an earlier failure: " + earlier);
    }

    // ---------------------------------------------------------------- helpers

    private static String firstLine(String m) {
        if (m == null) {
            return "no detail";
        }
        int nl = m.indexOf('\n');
        String s = nl < 0 ? m : m.substring(0, nl);
        while (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    static String shorten(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
