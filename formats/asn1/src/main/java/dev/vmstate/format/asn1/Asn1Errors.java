package dev.vmstate.format.asn1;

import dev.vmstate.error.LimitExceededException;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.error.StreamIoException;
import dev.vmstate.error.StreamWriteException;
import dev.vmstate.error.VersionException;
import dev.vmstate.spi.Envelope;
import java.io.IOException;
import java.util.Collection;

/**
 * The only place the {@code asn1-ber} and {@code asn1-der} formats build their exceptions, so every
 * message keeps one shape (lower case, no final period, what was found against what was expected,
 * the X.690 clause a rule comes from) and {@code docs/formats/asn1.md} §6 can list them all.
 * Callers add the offset, section and path.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class Asn1Errors {
    private Asn1Errors() {
    }

    // ---------------------------------------------------------------- reading: X.690 encodings

    /** The input ended inside a value; {@code what} names the innermost one. */
    public static MalformedStreamException truncated(String what) {
        return new MalformedStreamException("unexpected end of input inside " + what);
    }

    public static MalformedStreamException highTagNumber(int id) {
        return new MalformedStreamException(String.format("identifier 0x%02X uses the high-tag-number form, "
                + "which no type of the vmstate module has (X.690 8.1.2.4)", id));
    }

    public static MalformedStreamException reservedLength(int id) {
        return new MalformedStreamException(String.format("length octet 0xFF after identifier 0x%02X is reserved "
                + "(X.690 8.1.3.5)", id));
    }

    public static MalformedStreamException lengthTooLong(int id, int octets) {
        return new MalformedStreamException(String.format("length in %d octets after identifier 0x%02X; this reader "
                + "takes at most 8", octets, id));
    }

    /** DER: the length in more octets than it needs. */
    public static MalformedStreamException nonMinimalLength(int id, long length, int octets) {
        return new MalformedStreamException(String.format("length %d in %d octet(s) after identifier 0x%02X is not "
                + "minimal: DER encodes a length in the fewest octets, below 128 in the short form (X.690 10.1)",
                length, octets + 1, id));
    }

    /** DER: an indefinite length. */
    public static MalformedStreamException indefiniteInDer(int id) {
        return new MalformedStreamException(String.format("indefinite length (0x80) after identifier 0x%02X: DER "
                + "uses the definite form only (X.690 10.1)", id));
    }

    public static MalformedStreamException indefinitePrimitive(int id) {
        return new MalformedStreamException(String.format("indefinite length (0x80) after the primitive identifier "
                + "0x%02X: only a constructed value may have one (X.690 8.1.3.2)", id));
    }

    public static MalformedStreamException lengthOverrun(int id, long length, long left) {
        return new MalformedStreamException(String.format("length %d after identifier 0x%02X runs past the end of "
                + "its container, which has %d byte(s) left", length, id, left));
    }

    public static MalformedStreamException missingEndOfContents(String what) {
        return new MalformedStreamException(what + " of indefinite length has no end-of-contents octets (00 00) "
                + "before the end of its container (X.690 8.1.5)");
    }

    public static MalformedStreamException badEndOfContents(int second) {
        return new MalformedStreamException(String.format("end-of-contents octets 0x00 0x%02X, expected 0x00 0x00 "
                + "(X.690 8.1.5)", second));
    }

    /** A value of another type than the module has at this place. */
    public static MalformedStreamException unexpected(String found, String expected) {
        return new MalformedStreamException("found " + found + ", expected " + expected);
    }

    public static MalformedStreamException booleanLength(long n) {
        return new MalformedStreamException("BOOLEAN of " + n + " content octets, expected 1 (X.690 8.2.1)");
    }

    /** DER: a BOOLEAN other than 0x00 and 0xFF. */
    public static MalformedStreamException derBoolean(int octet) {
        return new MalformedStreamException(String.format("BOOLEAN content octet 0x%02X: DER encodes TRUE as 0xFF "
                + "and FALSE as 0x00 (X.690 11.1)", octet));
    }

    public static MalformedStreamException emptyInteger(String type) {
        return new MalformedStreamException(type + " with no content octets (X.690 8.3.1)");
    }

    /** An INTEGER or ENUMERATED in more octets than two's complement needs: invalid in BER and DER alike. */
    public static MalformedStreamException nonMinimalInteger(String type, int first, int second) {
        return new MalformedStreamException(String.format("%s starting 0x%02X 0x%02X is not minimal: the first "
                + "9 bits of its content octets must not all be equal (X.690 8.3.2)", type, first, second));
    }

    public static MalformedStreamException nullLength(long n) {
        return new MalformedStreamException("NULL with " + n + " content octets, expected 0 (X.690 8.8.2)");
    }

    /** DER: a string in the constructed form. */
    public static MalformedStreamException constructedString(String type, int id) {
        return new MalformedStreamException(String.format("constructed %s (identifier 0x%02X): DER encodes a string "
                + "in the primitive form only (X.690 10.2)", type, id));
    }

    public static MalformedStreamException badSegment(String found) {
        return new MalformedStreamException("found " + found + " inside a constructed string, expected an OCTET "
                + "STRING segment (X.690 8.7.3.2)");
    }

    /** DER: the elements of a SET OF out of order. */
    public static MalformedStreamException unsortedSet(String type) {
        return new MalformedStreamException("SET OF " + type + " not in ascending order of the elements' encodings: "
                + "this element sorts before the one before it (X.690 11.6)");
    }

    public static MalformedStreamException duplicateProperty(String name) {
        return new MalformedStreamException("property \"" + shorten(name) + "\" appears twice in one device node");
    }

    public static MalformedStreamException badUtf8(int b, int index) {
        return new MalformedStreamException(String.format("UTF8String is not valid UTF-8: byte 0x%02X at index %d",
                b, index));
    }

    public static MalformedStreamException float64Size(long n) {
        return new MalformedStreamException("Float64 of " + n + " content octets, expected 8");
    }

    /** Constructed values nested deeper than the reader allows. */
    public static LimitExceededException tooDeep(int max) {
        return new LimitExceededException("ASN.1 nesting depth (more than " + max + ") exceeds the maximum allowed ("
                + max + ", from ReadLimits.maxDepth() x 4 + 8)");
    }

    /** A record larger than one Java array can hold, which only a raised {@code maxSectionSize} lets through. */
    public static LimitExceededException recordTooLarge(long size) {
        return new LimitExceededException("record size (" + size + ") exceeds the maximum allowed ("
                + (Integer.MAX_VALUE - 16) + ", fixed by the asn1 formats: one record is one Java array)");
    }

    // ---------------------------------------------------------------- reading: records

    public static MalformedStreamException unknownRecord(String found) {
        return new MalformedStreamException("found " + found + " where a record starts, expected one of the "
                + "Record alternatives [0]..[10]");
    }

    /** A value the record cannot hold. */
    public static MalformedStreamException badRecord(String problem) {
        return new MalformedStreamException(problem);
    }

    /** A record out of order, as {@link dev.vmstate.spi.RecordOrder} words it. */
    public static MalformedStreamException readOrder(String violation) {
        return new MalformedStreamException(violation);
    }

    public static MalformedStreamException noEndRecord() {
        return new MalformedStreamException("the stream ends without an end record ([9] NULL)");
    }

    public static MalformedStreamException wrongFormat(String found, String expected) {
        return new MalformedStreamException("envelope names format \"" + shorten(found) + "\", expected \""
                + expected + "\"");
    }

    public static VersionException unknownFeature(String feature) {
        return new VersionException("feature \"" + shorten(feature) + "\" is not supported by this build (it reads "
                + Envelope.FEATURE_CRC32C + ")");
    }

    /** An integer outside the range of what it stands for: {@code invalid value 300 for uint8, expected 0..255}. */
    public static MalformedStreamException outOfRange(String value, String what, String min, String max) {
        return new MalformedStreamException("invalid value " + value + " for " + what + ", expected " + min + ".."
                + max);
    }

    public static MalformedStreamException badSchema(String problem) {
        return new MalformedStreamException("invalid schema: " + problem);
    }

    /** A schema id out of sequence, or one no schema value has given. */
    public static MalformedStreamException badSchemaId(long id, String problem) {
        return new MalformedStreamException("schema id " + id + ": " + problem);
    }

    public static MalformedStreamException badDeviceTree(String problem) {
        return new MalformedStreamException("invalid device tree: " + problem);
    }

    /** A read after an earlier read failed. */
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

    /** A fixed-length value (buffer, array, struct array) of another length than its schema's. */
    public static SchemaMismatchException lengthMismatch(String kind, long found, long expected) {
        return new SchemaMismatchException(kind + " of length " + found + ", expected " + expected);
    }

    /** A struct whose SEQUENCE OF Value ends before every member of its schema has a value. */
    public static MalformedStreamException structTooShort(int found, int expected) {
        return new MalformedStreamException("struct ends after " + found + " value(s), expected " + expected
                + ", one per member of its schema");
    }

    /** A struct whose SEQUENCE OF Value goes on after every member of its schema has a value. */
    public static MalformedStreamException structTooLong(int expected) {
        return new MalformedStreamException("struct goes on after its schema's " + expected + " member(s)");
    }

    // ---------------------------------------------------------------- writing

    /** A record out of order, as {@link dev.vmstate.spi.RecordOrder} words it. */
    public static StreamWriteException writeOrder(String violation) {
        return new StreamWriteException(violation);
    }

    /** A record the format cannot carry as given. */
    public static StreamWriteException writeRecord(String problem) {
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

    /** An identifier octet as messages show it: {@code INTEGER (0x02)}, {@code [CONTEXT 3] constructed (0xA3)}. */
    public static String describe(int id) {
        String name = switch (id) {
            case 0x00 -> "end-of-contents";
            case 0x01 -> "BOOLEAN";
            case 0x02 -> "INTEGER";
            case 0x04 -> "OCTET STRING";
            case 0x24 -> "constructed OCTET STRING";
            case 0x05 -> "NULL";
            case 0x0A -> "ENUMERATED";
            case 0x0C -> "UTF8String";
            case 0x2C -> "constructed UTF8String";
            case 0x30 -> "SEQUENCE";
            case 0x31 -> "SET";
            case 0x41 -> "Float64";
            case 0x61 -> "constructed Float64";
            case 0x62 -> "IntArray";
            case 0x63 -> "StructArray";
            case 0x64 -> "Section";
            default -> null;
        };
        if (name == null) {
            String[] classes = {"UNIVERSAL ", "APPLICATION ", "CONTEXT ", "PRIVATE "};
            name = "[" + classes[id >>> 6] + (id & 0x1F) + "]" + ((id & 0x20) != 0 ? " constructed" : "");
        }
        return String.format("%s (0x%02X)", name, id);
    }

    /** At most 64 characters of {@code s}, for messages about hostile input. */
    static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
