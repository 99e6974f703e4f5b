package dev.vmstate.error;

/**
 * Factories for the exceptions the visitor API throws, so messages keep one shape: lower case,
 * no final period, what was found against what was expected.
 *
 * @since 0.1
 */
public final class Errors {
    private Errors() {
    }

    /** A value outside its kind's range on save, e.g. {@code invalid value 256 for uint8, expected 0..255}. */
    public static StreamWriteException outOfRange(String field, String kind, long value, long min, long max) {
        return (StreamWriteException) new StreamWriteException(
                "invalid value " + value + " for " + kind + ", expected " + min + ".." + max).prependField(field);
    }

    /** A null reference where the data model has no null. */
    public static StreamWriteException nullValue(String field, String kind) {
        return (StreamWriteException) new StreamWriteException("null value for " + kind).prependField(field);
    }

    /** A fixed-size field given an array of another length. */
    public static StreamWriteException wrongSize(String field, String kind, int actual, int expected) {
        return (StreamWriteException) new StreamWriteException(
                kind + " of " + actual + " entries, expected exactly " + expected).prependField(field);
    }

    /** A tree or stream value of the wrong kind for the field. */
    public static SchemaMismatchException kindMismatch(String field, String found, String expected) {
        return (SchemaMismatchException) new SchemaMismatchException(
                "found " + found + ", expected " + expected).prependField(field);
    }

    /** A field the device visits that the input does not hold. */
    public static SchemaMismatchException missingField(String field) {
        return (SchemaMismatchException) new SchemaMismatchException("missing field").prependField(field);
    }

    /** Fields the input holds that the device did not visit. */
    public static SchemaMismatchException unknownFields(java.util.Collection<String> names) {
        return new SchemaMismatchException("unknown field(s) " + String.join(", ", names)
                + ", not visited by the device");
    }

    /** A fixed-length field whose input has another length. */
    public static SchemaMismatchException lengthMismatch(String field, String kind, long found, long expected) {
        return (SchemaMismatchException) new SchemaMismatchException(
                kind + " of length " + found + ", expected " + expected).prependField(field);
    }

    /** An enum code the enum does not define. */
    public static MalformedStreamException unknownEnumCode(String field, long code, String enumName) {
        return (MalformedStreamException) new MalformedStreamException(
                "invalid enum code " + code + " for " + enumName).prependField(field);
    }

    /** Input ended inside an item. */
    public static MalformedStreamException truncated(long needed, long available) {
        return new MalformedStreamException("unexpected end of input: needed " + needed
                + " byte(s), " + available + " left");
    }

    /** The same field name twice in one struct. */
    public static SchemaMismatchException duplicateField(String field) {
        return (SchemaMismatchException) new SchemaMismatchException("field name used twice in one struct")
                .prependField(field);
    }
}
