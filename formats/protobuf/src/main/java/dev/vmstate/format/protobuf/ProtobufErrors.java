package dev.vmstate.format.protobuf;

import dev.vmstate.error.LimitExceededException;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.error.StreamIoException;
import dev.vmstate.error.StreamWriteException;
import dev.vmstate.error.VersionException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.spi.Envelope;
import java.io.IOException;
import java.util.Collection;

/**
 * The only place the {@code protobuf} format builds its exceptions, so every message keeps one
 * shape (lower case, no final period, what was found against what was expected) and
 * {@code docs/formats/protobuf.md} §6 can list them all. Callers add the offset, section and path.
 * protobuf-java's own exceptions never leave the module: {@link #fromProtobuf} turns them into
 * a {@link MalformedStreamException}.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class ProtobufErrors {
    private ProtobufErrors() {
    }

    // ---------------------------------------------------------------- reading: framing and wire

    /** The input ended inside a record; {@code what} names it ("a record of 4096 bytes"). */
    public static MalformedStreamException truncated(String what) {
        return new MalformedStreamException("unexpected end of input inside " + what);
    }

    /** A varint whose tenth byte still has its continuation bit set. */
    public static MalformedStreamException malformedVarint(String what) {
        return new MalformedStreamException("malformed varint (more than 10 bytes) for " + what);
    }

    /** A record larger than one Java array can hold, which only a raised {@code maxSectionSize} lets through. */
    public static LimitExceededException recordTooLarge(long size) {
        return new LimitExceededException("record size (" + Long.toUnsignedString(size) + ") exceeds the maximum allowed ("
                + (Integer.MAX_VALUE - 16) + ", fixed by the protobuf format: one record is one Java array)");
    }

    /**
     * A protobuf-java parse failure (malformed varint, invalid UTF-8 in a string, a length past
     * its message, a message nested beyond the recursion limit) as a {@link MalformedStreamException}.
     */
    public static MalformedStreamException fromProtobuf(IOException e) {
        return new MalformedStreamException("invalid protobuf: " + firstSentence(e.getMessage()), e);
    }

    /**
     * As {@link #fromProtobuf(IOException)}, but messages nested deeper than protobuf-java's
     * recursion limit, {@code recursionLimit}, are a {@link LimitExceededException}.
     */
    public static VmstateException fromProtobuf(IOException e, int recursionLimit) {
        String m = e.getMessage();
        if (m != null && m.startsWith("Protocol message had too many levels of nesting")) {
            return new LimitExceededException("message nesting depth (more than " + recursionLimit
                    + ") exceeds the maximum allowed (" + recursionLimit + ", from ReadLimits.maxDepth() x 12 + 24)", e);
        }
        return fromProtobuf(e);
    }

    public static MalformedStreamException emptyRecord() {
        return new MalformedStreamException("empty record; a record holds exactly one field, its kind");
    }

    /** The first field of a record is not one of {@code Record}'s kinds. */
    public static MalformedStreamException notARecordKind(int field, int wireType) {
        return new MalformedStreamException("found field " + field + " with wire type "
                + ProtobufConstants.wireTypeName(wireType) + ", expected a record kind (field 1 to 11, length-delimited)");
    }

    /** Bytes after the record's one field. */
    public static MalformedStreamException afterRecordKind(String kind) {
        return new MalformedStreamException("found more after the " + kind
                + " field of a record; a record holds exactly one field, its kind");
    }

    /** A length-delimited value longer than what is left of its message. */
    public static MalformedStreamException pastEnd(long length, String what, long left) {
        return new MalformedStreamException("length " + Long.toUnsignedString(length) + " of " + what
                + " runs past the end of its message (" + left + " bytes left)");
    }

    public static MalformedStreamException unknownField(int field, int wireType, String where) {
        return new MalformedStreamException("unknown field " + field + " with wire type "
                + ProtobufConstants.wireTypeName(wireType) + " in " + where);
    }

    /** A known field number with another wire type than the .proto gives it. */
    public static MalformedStreamException wrongWireType(int field, String name, int found, int expected, String where) {
        return new MalformedStreamException("field " + field + " (" + name + ") of " + where + " has wire type "
                + ProtobufConstants.wireTypeName(found) + ", expected " + ProtobufConstants.wireTypeName(expected));
    }

    public static MalformedStreamException missingField(int field, String name, String where) {
        return new MalformedStreamException("missing field " + field + " (" + name + ") in " + where);
    }

    /** A value of another kind than the layout has at this place. */
    public static MalformedStreamException unexpected(String found, String expected) {
        return new MalformedStreamException("found " + found + ", expected " + expected);
    }

    /** A value a record cannot hold, e.g. an instance id on a part chunk. */
    public static MalformedStreamException badValue(String what, String problem) {
        return new MalformedStreamException(what + ": " + problem);
    }

    /** An enumerated value of the .proto this build does not know. */
    public static MalformedStreamException unknownEnum(String what, int number, Collection<String> expected) {
        return new MalformedStreamException("unknown " + what + " " + number + ", expected one of "
                + String.join(", ", expected));
    }

    /** A record out of order, as {@link dev.vmstate.spi.RecordOrder} words it. */
    public static MalformedStreamException readOrder(String violation) {
        return new MalformedStreamException(violation);
    }

    public static MalformedStreamException noEndRecord() {
        return new MalformedStreamException("the stream ends without an \"end\" record");
    }

    public static MalformedStreamException wrongFormat(String found) {
        return new MalformedStreamException("envelope names format \"" + shorten(found) + "\", expected \""
                + ProtobufConstants.FORMAT + "\"");
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

    /** A schema id out of sequence, or one no schema record has given. */
    public static MalformedStreamException badSchemaId(long id, String problem) {
        return new MalformedStreamException("schema id " + Long.toUnsignedString(id) + ": " + problem);
    }

    /** A by-reference schema record whose section's schema the reader's {@code ReadOptions.schemas()} does not know. */
    public static SchemaMismatchException noSchemaForReference(String idstr, int version, byte[] fingerprint) {
        return new SchemaMismatchException("the stream carries the schema of this section by reference (fingerprint "
                + shortHex(fingerprint) + "), and this reader knows no schema for " + idstr + " at version " + version
                + ": read it with the device registry's schemas (ReadOptions.withSchemas), or write it with schemas"
                + " embedded");
    }

    /** A by-reference schema record whose fingerprint is not that of the reader's schema. */
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

    /** A read after an earlier read failed. */
    public static MalformedStreamException readerBroken(String earlier) {
        return new MalformedStreamException("the reader stopped at an earlier failure: " + earlier);
    }

    /** A string whose bytes are not UTF-8 (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF). */
    public static MalformedStreamException badUtf8(int b, int index) {
        return new MalformedStreamException(String.format("string is not valid UTF-8: byte 0x%02X at index %d", b,
                index));
    }

    /** A device tree or schema hint with more values than the reader keeps in memory at once. */
    public static LimitExceededException tooManyValues(int max) {
        return new LimitExceededException("value count of a device tree or hint (more than " + max
                + ") exceeds the maximum allowed (" + max + ", fixed by the protobuf format)");
    }

    // ---------------------------------------------------------------- reading: state values

    /** A state field other than the member the schema has next. */
    public static MalformedStreamException fieldMismatch(String found, int field, String member, int wireType) {
        return new MalformedStreamException("found " + found + ", expected field " + field + " (" + member
                + ", wire type " + ProtobufConstants.wireTypeName(wireType) + ")");
    }

    /** A state field after the last member of its struct. */
    public static MalformedStreamException afterLastMember(int field, int wireType) {
        return new MalformedStreamException("found field " + field + " with wire type "
                + ProtobufConstants.wireTypeName(wireType)
                + " after the last member, expected the end of the struct; a state's fields come in schema order");
    }

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

    /** Packed fixed64 elements whose byte count is not a multiple of 8. */
    public static MalformedStreamException packedFixed64(long length) {
        return new MalformedStreamException("packed uint64 array of " + length + " bytes, expected a multiple of 8");
    }

    // ---------------------------------------------------------------- writing

    /** A record out of order, as {@link dev.vmstate.spi.RecordOrder} words it. */
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

    /** protobuf-java's messages are sentences ("While parsing a protocol message, ... . This could mean ..."): the first, lower case. */
    private static String firstSentence(String m) {
        if (m == null || m.isBlank()) {
            return "no detail";
        }
        String s = m.strip();
        int stop = s.indexOf(". ");
        if (stop >= 0) {
            s = s.substring(0, stop);
        }
        int nl = s.indexOf('\n');
        if (nl >= 0) {
            s = s.substring(0, nl);
        }
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

    /** {@code e} at {@code offset}, for rethrowing. */
    static <E extends VmstateException> E at(E e, long offset) {
        e.atOffset(offset);
        return e;
    }
}
