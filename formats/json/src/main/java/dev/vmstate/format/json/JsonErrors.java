package dev.vmstate.format.json;

import dev.vmstate.spi.RecordOrder;
import dev.vmstate.error.LimitExceededException;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.error.StreamIoException;
import dev.vmstate.error.StreamWriteException;
import dev.vmstate.error.VersionException;
import dev.vmstate.error.VmstateException;
import java.util.Collection;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;

/**
 * The only place the {@code json} format builds its exceptions, so every message keeps one shape
 * (lower case, no final period, what was found against what was expected) and
 * {@code docs/formats/json.md} §6 can list them all. Callers add the offset, section and path.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class JsonErrors {
    private JsonErrors() {
    }

    // ---------------------------------------------------------------- reading: JSON syntax

    /**
     * A jackson-core failure as a {@link VmstateException}: the end of input, a syntax error, a
     * jackson stream constraint (a {@link LimitExceededException} naming the {@code ReadLimits}
     * setting it was derived from) or an I/O error (a {@link StreamIoException}).
     */
    public static VmstateException fromJackson(JacksonException e, long offset, long maxStringChars) {
        VmstateException x;
        if (e instanceof UnexpectedEndOfInputException) {
            x = new MalformedStreamException("unexpected end of input inside the JSON document", e);
        } else if (e instanceof StreamConstraintsException) {
            x = constraint(e, maxStringChars);
        } else if (e instanceof JacksonIOException && e.getCause() != null) {
            x = new StreamIoException("read failed: " + e.getCause().getMessage(), e.getCause());
        } else {
            x = new MalformedStreamException("invalid JSON: " + firstLine(e.getOriginalMessage()), e);
        }
        return x.atOffset(offset);
    }

    private static VmstateException constraint(JacksonException e, long maxStringChars) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.startsWith("String value length")) {
            return new LimitExceededException("JSON string length (more than " + maxStringChars
                    + " characters) exceeds the maximum allowed (" + maxStringChars
                    + ", from ReadLimits.maxBytesLength() x 2 or ReadLimits.maxStringLength())", e);
        }
        if (m.startsWith("Document length")) {
            return new LimitExceededException("stream size" + rest(m, "Document length", "ReadLimits.maxStreamSize()"), e);
        }
        if (m.startsWith("Document nesting depth")) {
            return new LimitExceededException("JSON nesting depth"
                    + rest(m, "Document nesting depth", "ReadLimits.maxDepth() x 4 + 16"), e);
        }
        if (m.startsWith("Number value length")) {
            return new MalformedStreamException("number of more than " + JsonStreamReader.MAX_NUMBER_CHARS
                    + " characters; no value of the data model needs that many", e);
        }
        if (m.startsWith("Name length")) {
            return new LimitExceededException("member name length"
                    + rest(m, "Name length", "ReadLimits.maxStringLength()"), e);
        }
        return new LimitExceededException(decapitalize(firstLine(m)), e);
    }

    /** jackson's " (found) exceeds the maximum allowed (max, from `...`)" with our setting's name. */
    private static String rest(String m, String prefix, String setting) {
        int nl = m.indexOf('\n');
        String line = (nl < 0 ? m : m.substring(0, nl)).substring(prefix.length());
        return line.replaceAll("`StreamReadConstraints\\.[A-Za-z]+\\(\\)`", setting);
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "no detail";
        }
        int nl = m.indexOf('\n');
        String s = nl < 0 ? m : m.substring(0, nl);
        // Jackson appends its own location; ours comes from the exception's offset.
        int at = s.indexOf(" (start marker at");
        s = at < 0 ? s : s.substring(0, at);
        while (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        return decapitalize(s);
    }

    private static String decapitalize(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /** What a token is, for "found X, expected Y". */
    public static String describe(JsonToken t) {
        if (t == null) {
            return "the end of input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case END_OBJECT -> "the end of an object";
            case START_ARRAY -> "an array";
            case END_ARRAY -> "the end of an array";
            case PROPERTY_NAME -> "a member name";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a fractional number";
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    /** A token of another type than the layout has at this place. */
    public static MalformedStreamException unexpected(JsonToken found, String expected) {
        return new MalformedStreamException("found " + describe(found) + ", expected " + expected);
    }

    /** The stream is JSON but not a vmstate {@code json} stream. */
    public static MalformedStreamException notVmstate(String found) {
        return new MalformedStreamException("not a vmstate json stream: found " + found
                + ", expected an object whose first member is \"" + JsonConstants.VMSTATE + "\"");
    }

    /** The parser fell back to UTF-16 or UTF-32. */
    public static MalformedStreamException notUtf8() {
        return new MalformedStreamException("the stream is not UTF-8; the json format is always UTF-8");
    }

    public static MalformedStreamException trailingData() {
        return new MalformedStreamException("data after the end of the JSON document");
    }

    // ---------------------------------------------------------------- reading: members and records

    public static MalformedStreamException missingMember(String member, String where) {
        return new MalformedStreamException("missing member \"" + member + "\" in " + where);
    }

    public static MalformedStreamException unknownMember(String member, String where) {
        return new MalformedStreamException("unknown member \"" + member + "\" in " + where);
    }

    public static MalformedStreamException duplicateMember(String member) {
        return new MalformedStreamException("duplicate member \"" + member + "\"");
    }

    /** A member whose value must be one of a closed set of strings. */
    public static MalformedStreamException unknownValue(String member, String value, Collection<String> expected) {
        return new MalformedStreamException("unknown " + member + " \"" + shorten(value) + "\", expected one of "
                + String.join(", ", expected));
    }

    public static MalformedStreamException recordFirst(String found) {
        return new MalformedStreamException("found " + found + " at the start of a record, expected the member \""
                + JsonConstants.RECORD + "\"");
    }

    public static MalformedStreamException stateBeforeSchema() {
        return new MalformedStreamException("member \"" + JsonConstants.STATE + "\" before \"" + JsonConstants.SCHEMA
                + "\"; a reader needs the schema before the state");
    }

    /** A record out of order, as {@link RecordOrder} words it. */
    public static MalformedStreamException readOrder(String violation) {
        return new MalformedStreamException(violation);
    }

    public static MalformedStreamException noEndRecord() {
        return new MalformedStreamException("the records end without an \"" + JsonConstants.END + "\" record");
    }

    /** A member whose value the record cannot hold, e.g. a zero page's fill above 255. */
    public static MalformedStreamException badMember(String member, String problem) {
        return new MalformedStreamException("member \"" + member + "\": " + problem);
    }

    // ---------------------------------------------------------------- reading: the envelope

    public static MalformedStreamException wrongMagic(String found) {
        return new MalformedStreamException("envelope magic \"" + shorten(found) + "\", expected \""
                + JsonConstants.MAGIC + "\"");
    }

    public static VersionException envelopeVersion(long found, int supported) {
        return new VersionException("envelope version " + found + " is not supported (this build reads version "
                + supported + ")");
    }

    public static MalformedStreamException wrongFormat(String found) {
        return new MalformedStreamException("envelope names format \"" + shorten(found) + "\", expected \""
                + JsonConstants.FORMAT + "\"");
    }

    public static MalformedStreamException fingerprintLength(int hexDigits) {
        return new MalformedStreamException("schema fingerprint of " + hexDigits + " hex digits, expected 64");
    }

    public static VersionException unknownFeature(String feature) {
        return new VersionException("feature \"" + shorten(feature) + "\" is not supported by this build (it reads "
                + dev.vmstate.spi.Envelope.FEATURE_CRC32C + ")");
    }

    // ---------------------------------------------------------------- reading: values

    /** An integer outside its kind's range: {@code invalid value 300 for uint8, expected 0..255}. */
    public static MalformedStreamException outOfRange(String value, String type, String min, String max) {
        return new MalformedStreamException("invalid value " + shorten(value) + " for " + type + ", expected " + min
                + ".." + max);
    }

    public static MalformedStreamException oddHex(int length) {
        return new MalformedStreamException("hex string of odd length " + length);
    }

    public static MalformedStreamException badHexDigit(char c, int index) {
        return new MalformedStreamException(String.format("invalid hex digit 0x%02X at index %d, expected 0-9 or a-f",
                (int) c, index));
    }

    public static MalformedStreamException badBase64(String detail) {
        return new MalformedStreamException("invalid base64: " + decapitalize(detail == null ? "no detail" : detail));
    }

    public static MalformedStreamException badF64(String text) {
        return new MalformedStreamException("invalid float64 \"" + shorten(text)
                + "\", expected a JSON number or the raw bits as \"0x\" and 16 hex digits");
    }

    public static MalformedStreamException f64Overflow(String text) {
        return new MalformedStreamException("float64 " + shorten(text)
                + " is not finite; non-finite values are written as their raw bits, \"0x\" and 16 hex digits");
    }

    public static MalformedStreamException unpairedSurrogate(char c) {
        return new MalformedStreamException(String.format(
                "string holds an unpaired surrogate U+%04X, which UTF-8 cannot carry", (int) c));
    }

    public static MalformedStreamException unknownEnumCode(long code, Collection<Long> codes) {
        return new MalformedStreamException("invalid enum code " + code + ", expected one of " + codes);
    }

    public static MalformedStreamException enumNameMismatch(String name, long code, String schemaName) {
        return new MalformedStreamException("enum name \"" + shorten(name) + "\" does not match code " + code
                + ", which the schema names \"" + schemaName + "\"");
    }

    public static VersionException sectionTooNew(long version, int supported) {
        return new VersionException("section version " + version + " is newer than the supported " + supported);
    }

    public static SchemaMismatchException unknownStateMember(String member) {
        return new SchemaMismatchException("member \"" + shorten(member) + "\" is not in the schema");
    }

    /** A fixed-length value (buffer, array, struct array) of another length than its schema's. */
    public static SchemaMismatchException lengthMismatch(String kind, long found, long expected) {
        return new SchemaMismatchException(kind + " of length " + found + ", expected " + expected);
    }

    public static MalformedStreamException badSchema(String problem) {
        return new MalformedStreamException("invalid schema: " + problem);
    }

    /** A list or array longer than {@code ReadLimits.maxListLength()}, found while counting it. */
    public static LimitExceededException listTooLong(int max) {
        return new LimitExceededException("list length (more than " + max + ") exceeds the maximum allowed (" + max
                + ", from ReadLimits.maxListLength())");
    }

    /** A schema or device tree nested deeper than the reader allows. */
    public static LimitExceededException jsonTooDeep(int max) {
        return new LimitExceededException("JSON nesting depth (more than " + max + ") exceeds the maximum allowed ("
                + max + ", from ReadLimits.maxDepth() x 4 + 8)");
    }

    /** A schema or device tree with more values than the reader keeps in memory at once. */
    public static LimitExceededException jsonTooLarge(int max) {
        return new LimitExceededException("JSON value count (more than " + max + ") exceeds the maximum allowed ("
                + max + ", fixed by the json format)");
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

    /** jackson-core refused to write, or the output failed. */
    public static VmstateException writeFailed(JacksonException e) {
        if (e instanceof JacksonIOException && e.getCause() != null) {
            return new StreamIoException("write failed: " + e.getCause().getMessage(), e.getCause());
        }
        return new StreamWriteException("cannot write JSON: " + firstLine(e.getOriginalMessage()), e);
    }

    /** A write after an earlier write failed half-way through a record. */
    public static StreamWriteException writerBroken(String earlier) {
        return new StreamWriteException("the writer stopped at an earlier failure: " + earlier);
    }

    /** A read after an earlier read failed. */
    public static MalformedStreamException readerBroken(String earlier) {
        return new MalformedStreamException("the reader stopped at an earlier failure: " + earlier);
    }

    private static String shorten(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
