package dev.vmstate.format.json;

import static dev.vmstate.format.json.Fixtures.bytes;
import static dev.vmstate.format.json.Fixtures.read;
import static dev.vmstate.format.json.Fixtures.text;
import static dev.vmstate.format.json.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.error.VersionException;
import dev.vmstate.error.VmstateException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The messages of docs/formats/json.md section 6, each from a one-place change to a valid stream:
 * exception type, core message, section, path, and the offset of the offending token.
 */
class JsonErrorMessagesTest {
    static final String VALID = text(write(JsonMalformedInputTest.smallStream()));

    /** Replaces the first {@code from} by {@code to}, reads, and checks the failure at the replaced place. */
    private static VmstateException fails(String from, String to, Class<? extends VmstateException> type,
                                          String message, String section, String path) {
        int at = VALID.indexOf(from);
        assertThat(at).as("%s in the valid stream", from).isNotNegative();
        String s = VALID.substring(0, at) + to + VALID.substring(at + from.length());
        VmstateException e = catchThrowableOfType(VmstateException.class, () -> read(bytes(s)));
        assertThat(e).as("reading with %s", to).isInstanceOf(type);
        assertThat(e.getOriginalMessage()).isEqualTo(message);
        assertThat(e.section()).isEqualTo(section);
        assertThat(e.path()).isEqualTo(path);
        assertThat(e.format()).isEqualTo("json");
        assertThat(e.offset()).isNotNegative();
        return e;
    }

    private static long byteOffset(String s, String marker) {
        return s.substring(0, s.indexOf(marker)).getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void valuesOutOfTheirKindsRange() {
        VmstateException e = fails("\"u8\":200", "\"u8\":300", MalformedStreamException.class,
                "invalid value 300 for uint8, expected 0..255", "com1/0", "u8");
        assertThat(e.offset()).isEqualTo(byteOffset(VALID, "\"u8\":200") + 5);
        assertThat(e.getMessage()).isEqualTo("invalid value 300 for uint8, expected 0..255\n at [json] section com1/0 u8"
                + " (byte offset #" + e.offset() + ")");
        fails("\"regs\":[1,4294967295,3]", "\"regs\":[1,4294967296,3]", MalformedStreamException.class,
                "invalid value 4294967296 for uint32, expected 0..4294967295", "com1/0", "regs[1]");
        fails("\"queues\":[{\"count\":7", "\"queues\":[{\"count\":-1", MalformedStreamException.class,
                "invalid value -1 for uint16, expected 0..65535", "com1/0", "queues[0].count");
        fails("\"pair\":[{\"count\":7", "\"pair\":[{\"count\":1.5", MalformedStreamException.class,
                "found a fractional number, expected an integer (uint16)", "com1/0", "pair[0].count");
        fails("\"code\":1", "\"code\":9", MalformedStreamException.class,
                "invalid enum code 9, expected one of [0, 1, 7]", "com1/0", "link");
        fails("\"name\":\"UP\"", "\"name\":\"DOWN\"", MalformedStreamException.class,
                "enum name \"DOWN\" does not match code 1, which the schema names \"UP\"", "com1/0", "link");
        fails("\"f64\":1.5", "\"f64\":1e999", MalformedStreamException.class,
                "float64 1e999 is not finite; non-finite values are written as their raw bits, \"0x\" and 16 hex digits",
                "com1/0", "f64");
        fails("\"f64\":1.5", "\"f64\":\"NaN\"", MalformedStreamException.class,
                "invalid float64 \"NaN\", expected a JSON number or the raw bits as \"0x\" and 16 hex digits",
                "com1/0", "f64");
    }

    @Test
    void hexStrings() {
        fails("\"blob\":\"0102ab\"", "\"blob\":\"0102a\"", MalformedStreamException.class,
                "hex string of odd length 5", "com1/0", "blob");
        fails("\"blob\":\"0102ab\"", "\"blob\":\"01x2ab\"", MalformedStreamException.class,
                "invalid hex digit 0x78 at index 2, expected 0-9 or a-f", "com1/0", "blob");
        fails("\"fixed\":\"001020ff\"", "\"fixed\":\"0010\"", SchemaMismatchException.class,
                "buffer of length 2, expected 4", "com1/0", "fixed");
    }

    @Test
    void statesThatDoNotFitTheirSchema() {
        VmstateException e = fails("\"flag\":true,", "", SchemaMismatchException.class, "missing field", "com1/0",
                "flag");
        assertThat(e.offset()).isEqualTo(byteOffset(VALID, "\"state\":{") + 8);
        fails("\"flag\":true,", "\"flag\":true,\"bogus\":1,", SchemaMismatchException.class,
                "member \"bogus\" is not in the schema", "com1/0", "");
        fails("\"flag\":true,", "\"flag\":true,\"flag\":true,", MalformedStreamException.class,
                "duplicate member \"flag\"", "com1/0", "");
        fails("\"flag\":true", "\"flag\":1", MalformedStreamException.class,
                "found an integer, expected a bool (true or false)", "com1/0", "flag");
        fails("\"regs\":[1,4294967295,3]", "\"regs\":[1,3]", SchemaMismatchException.class,
                "array of length 2, expected 3", "com1/0", "regs");
        fails("{\"version\":1,\"state\":{\"pending\":42}}", "{\"version\":2,\"state\":{\"pending\":42}}",
                VersionException.class, "section version 2 is newer than the supported 1", "com1/0",
                "everykind/pending");
        fails("\"inner\":{\"count\":7", "\"inner\":{\"count\":7,\"x\":[[[[", SchemaMismatchException.class,
                "member \"x\" is not in the schema", "com1/0", "inner");
    }

    @Test
    void recordsAndMembers() {
        fails("{\"record\":\"eos\"}", "{\"record\":\"eof\"}", MalformedStreamException.class,
                "unknown record kind \"eof\", expected one of header, device, iterative, ram_blocks, page, eos, "
                        + "section_end, command, end, description", null, "");
        fails("{\"record\":\"eos\"}", "{\"kind\":\"eos\"}", MalformedStreamException.class,
                "found member \"kind\" at the start of a record, expected the member \"record\"", null, "");
        fails("\"footer\":true,", "", MalformedStreamException.class,
                "missing member \"footer\" in a device record", "com1/0", "");
        fails("\"footer\":true,", "\"footer\":true,\"colour\":1,", MalformedStreamException.class,
                "unknown member \"colour\" in a device record", "com1/0", "");
        fails("\"section_id\":1,\"footer\":true}", "\"section_id\":1,\"footer\":\"yes\"}", MalformedStreamException.class,
                "found a string, expected the footer flag (true or false)", null, "");
        fails("\"encoding\":\"xbzrle\"", "\"encoding\":\"lz4\"", MalformedStreamException.class,
                "unknown page encoding \"lz4\", expected one of zero, raw, xbzrle", null, "");
        fails("\"schema\":{\"vmsd_name\":\"everykind\"", "\"schema\":{\"vmsd_name\":7", MalformedStreamException.class,
                "invalid schema: $.vmsd_name: expected a string, found 7", "com1/0", "");
        fails("{\"record\":\"eos\"}", "{\"record\":\"eos\",}", MalformedStreamException.class,
                "invalid JSON: unexpected character ('}' (code 125)): was expecting double-quote to start property name",
                null, "");
    }

    @Test
    void recordOrder() {
        String header = VALID.substring(VALID.indexOf("{\"record\":\"header\""), VALID.indexOf("{\"record\":\"device\""));
        fails(header, "", MalformedStreamException.class,
                "device record before the header record; a stream starts with a header", "com1/0", "");
        fails("{\"record\":\"end\"},\n", "", MalformedStreamException.class,
                "description record before the end record", null, "");
        fails("{\"record\":\"end\"},\n{\"record\":\"description\",\"json\":\"{}\"}", "{\"record\":\"eos\"}",
                MalformedStreamException.class, "eos record outside an iterative section", null, "");
        fails("{\"record\":\"section_end\",\"section_id\":1,\"footer\":true},\n{\"record\":\"end\"},\n"
                + "{\"record\":\"description\",\"json\":\"{}\"}", "{\"record\":\"end\"}",
                MalformedStreamException.class, "end record inside iterative section 1, which no section_end has closed",
                null, "");
        fails("{\"record\":\"end\"},\n{\"record\":\"description\",\"json\":\"{}\"}", "{\"record\":\"command\","
                + "\"command\":1,\"data\":\"\"}", MalformedStreamException.class,
                "the records end without an \"end\" record", null, "");
        fails("\"type\":\"start\",\"section_id\":1", "\"type\":\"part\",\"section_id\":1", MalformedStreamException.class,
                "member \"idstr\": only a start chunk carries it", null, "");
    }

    @Test
    void documentAndEnvelope() {
        fails("\"envelope_version\":1", "\"envelope_version\":2", VersionException.class,
                "envelope version 2 is not supported (this build reads version 1)", null, "");
        fails("\"format\":\"json\"", "\"format\":\"cbor\"", MalformedStreamException.class,
                "envelope names format \"cbor\", expected \"json\"", null, "");
        fails("\"features\":[]", "\"features\":[\"zstd\"]", VersionException.class,
                "feature \"zstd\" is not supported by this build (it reads crc32c)", null, "");
        fails("\"magic\":\"VMST\"", "\"magic\":\"QEVM\"", MalformedStreamException.class,
                "envelope magic \"QEVM\", expected \"VMST\"", null, "");
        fails("{\"vmstate\":", "{\"vmstat\":", MalformedStreamException.class,
                "not a vmstate json stream: found first member \"vmstat\", expected an object whose first member is "
                        + "\"vmstate\"", null, "");
        fails("\n]}", "\n]}{}", MalformedStreamException.class, "data after the end of the JSON document", null, "");
        fails("\n]}", "\n],\"more\":1}", MalformedStreamException.class,
                "unknown member \"more\" in the top-level object", null, "");
        for (java.nio.charset.Charset cs : new java.nio.charset.Charset[] {StandardCharsets.UTF_16BE,
            java.nio.charset.Charset.forName("UTF-32LE")}) {
            VmstateException e = catchThrowableOfType(VmstateException.class, () -> read(VALID.getBytes(cs)));
            assertThat(e.getOriginalMessage()).isEqualTo("the stream is not UTF-8; the json format is always UTF-8");
            assertThat(e.offset()).isZero();
        }
        VmstateException e = catchThrowableOfType(VmstateException.class, () -> read(new byte[0]));
        assertThat(e.getOriginalMessage()).isEqualTo("not a vmstate json stream: found an empty stream, expected an "
                + "object whose first member is \"vmstate\"");
        assertThat(e.offset()).isZero();
    }

    @Test
    void readerStopsAfterAFailure() {
        String s = VALID.replace("\"u8\":200", "\"u8\":300");
        try (var r = Fixtures.FORMAT.openReader(dev.vmstate.binary.ByteSource.of(bytes(s)),
                dev.vmstate.spi.ReadOptions.defaults())) {
            r.next();
            VmstateException first = catchThrowableOfType(VmstateException.class, r::next);
            VmstateException again = catchThrowableOfType(VmstateException.class, r::next);
            assertThat(again.getOriginalMessage()).isEqualTo("the reader stopped at an earlier failure: "
                    + first.getOriginalMessage());
            assertThat(again.offset()).isEqualTo(first.offset());
        }
    }
}
