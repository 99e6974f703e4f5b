package dev.vmstate.format.cbor;

import static dev.vmstate.format.cbor.TestCbor.array;
import static dev.vmstate.format.cbor.TestCbor.end;
import static dev.vmstate.format.cbor.TestCbor.header;
import static dev.vmstate.format.cbor.TestCbor.map;
import static dev.vmstate.format.cbor.TestCbor.raw;
import static dev.vmstate.format.cbor.TestCbor.stream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.error.LimitExceededException;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.error.VersionException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.testkit.StreamMutations;
import dev.vmstate.visitor.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact messages, types, offsets, sections and paths of docs/formats/cbor.md section 6, each
 * from a hand-made stream ({@link TestCbor}), so the reader is checked against an encoder other
 * than its own writer.
 */
class CborErrorMessagesTest {
    static final int BODY = Envelope.of("cbor", dev.vmstate.spi.WriteOptions.defaults()).toBytes().length;
    static final Schema SECTION = new Schema("sec", 1, 1, List.of(Field.scalar("x", Kind.U8, null)));
    static final Schema SECTION2 = new Schema("sec2", 1, 1, List.of(Field.scalar("y", Kind.U8, null)));
    static final Schema S = new Schema("s", 1, 1, List.of(
            Field.scalar("a", Kind.U8, null),
            Field.scalar("b", Kind.U64, null),
            Field.scalar("f", Kind.F64, null),
            Field.buffer("buf", 4),
            Field.array("arr", Kind.U16, 2),
            Field.enumeration("e", Map.of(0L, "OFF", 1L, "ON")),
            Field.section("sec", SECTION),
            Field.section("sec2", SECTION2)));

    private static VmstateException fails(byte[] bytes, Class<? extends VmstateException> type, String message) {
        VmstateException e = CborMalformedInputTest.readFails(bytes, ReadOptions.defaults());
        assertThat(e).isInstanceOf(type);
        assertThat(e.getOriginalMessage()).isEqualTo(message);
        return e;
    }

    /** The schema item of S, id 0. */
    private static TestCbor.Raw schemaItem() {
        return map("record", "schema", "id", 0, "schema", SchemaJson.toMap(S));
    }

    /** A device record of schema 0 (S) with the state {@code state}. */
    private static TestCbor.Raw device(Object state) {
        return map("record", "device", "section_id", 0, "idstr", "dev", "instance_id", 0, "version", 1, "footer", true,
                "schema", 0, "state", state);
    }

    private static final TestCbor.Raw F = raw(0xFB, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0);
    private static final List<String> MEMBERS = List.of("a", "b", "f", "buf", "arr", "e", "sec", "sec2");

    /** A valid compact state of S (both sections absent), with {@code key} (when not null) set to {@code value}. */
    private static TestCbor.Raw state(String key, Object value) {
        Object[] v = {1, 2, F, new byte[4], List.of(1, 2), 1, null, null};
        if (key != null) {
            v[MEMBERS.indexOf(key)] = value;
        }
        return array(v);
    }

    private static byte[] withState(Object state) {
        return stream(header(), schemaItem(), device(state), end());
    }

    @Test
    void theHandMadeStreamIsValid() {
        assertThat(Fixtures.read(withState(state(null, null)))).hasSize(3);
    }

    // ---------------------------------------------------------------- envelope and stream

    @Test
    void envelopeAndStreamErrors() {
        VmstateException e = fails(new byte[0], MalformedStreamException.class,
                "found an empty stream, expected the vmstate envelope (\"VMST\")");
        assertThat(e.offset()).isZero();
        e = fails(new byte[] {'Q', 'E', 'V', 'M', 0, 0, 0, 3}, MalformedStreamException.class,
                "not a vmstate envelope: byte 0x51 where the magic \"VMST\" has 0x56");
        byte[] json = new Envelope("json", new byte[32], List.of()).toBytes();
        e = fails(json, MalformedStreamException.class, "envelope names format \"json\", expected \"cbor\"");
        assertThat(e.offset()).isEqualTo(7);
        byte[] zstd = new Envelope("cbor", new byte[32], List.of("zstd")).toBytes();
        fails(zstd, VersionException.class, "feature \"zstd\" is not supported by this build (it reads crc32c)");
        e = fails(stream(header()), MalformedStreamException.class, "the stream ends without an \"end\" record");
        assertThat(e.offset()).isEqualTo(stream(header()).length);
        e = fails(stream(end()), MalformedStreamException.class,
                "end record before the header record; a stream starts with a header");
        assertThat(e.offset()).isEqualTo(BODY);
        fails(stream(header(), header()), MalformedStreamException.class, "second header record");
        fails(stream(header(), end(), end()), MalformedStreamException.class, "end record after the end record");
        fails(stream(header(), map("record", "eos"), end()), MalformedStreamException.class,
                "eos record outside an iterative section");
    }

    // ---------------------------------------------------------------- CBOR outside the format's subset

    @Test
    void cborTheFormatDoesNotUseIsRejectedAtItsFirstByte() {
        int at = BODY;
        VmstateException e = fails(stream(raw(0xBF, 0x61, 'a', 0x01, 0xFF)), MalformedStreamException.class,
                "found an indefinite-length map (initial byte 0xBF); the cbor format uses definite lengths only");
        assertThat(e.offset()).isEqualTo(at);
        fails(stream(raw(0x5F, 0x41, 0x00, 0xFF)), MalformedStreamException.class,
                "found an indefinite-length byte string (initial byte 0x5F); the cbor format uses definite lengths only");
        e = fails(stream(map("record", raw(0xC2, 0x41, 0x01))), MalformedStreamException.class,
                "found a tag (initial byte 0xC2); the cbor format uses no tags");
        assertThat(e.offset()).isEqualTo(at + 8);
        fails(stream(map("record", raw(0x18, 0x05))), MalformedStreamException.class,
                "argument 5 after initial byte 0x18 takes 1 byte(s) where preferred serialization uses 0");
        fails(stream(map("record", raw(0x1B, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF))), MalformedStreamException.class,
                "argument 4294967295 after initial byte 0x1B takes 8 byte(s) where preferred serialization uses 4");
        fails(stream(map("record", raw(0xF9, 0x3C, 0x00))), MalformedStreamException.class,
                "found a half-precision float (initial byte 0xF9); the cbor format uses false, true, null and float64 "
                        + "(0xFB) only");
        fails(stream(map("record", raw(0xF7))), MalformedStreamException.class,
                "found undefined (initial byte 0xF7); the cbor format uses false, true, null and float64 (0xFB) only");
        fails(stream(map("record", raw(0x1C))), MalformedStreamException.class,
                "initial byte 0x1C is not well-formed CBOR (additional information 28)");
        e = fails(stream(map(1, 2)), MalformedStreamException.class,
                "found an unsigned integer as a map key; every key is a text string");
        assertThat(e.offset()).isEqualTo(at + 1);
        e = fails(stream(map("record", raw(0x62, 0xC3, 0x28))), MalformedStreamException.class,
                "text string is not valid UTF-8: byte 0x28 at index 1");
        assertThat(e.offset()).isEqualTo(at + 8);
        fails(stream(map("record", raw(0x63, 0xED, 0xA0, 0x80))), MalformedStreamException.class,
                "text string is not valid UTF-8: byte 0xA0 at index 1");
        fails(stream(map("record", raw(0x62, 0xC0, 0x80))), MalformedStreamException.class,
                "text string is not valid UTF-8: byte 0xC0 at index 0");
        e = fails(stream(map("record", raw(0x59, 0x10, 0x00, 1, 2, 3))), MalformedStreamException.class,
                "unexpected end of input inside a byte string of 4096 bytes");
        assertThat(e.offset()).isEqualTo(at + 8);
        e = fails(stream(raw(0xA2, 0x61, 'a', 0x01)), MalformedStreamException.class,
                "unexpected end of input inside a map of 2 pairs");
        assertThat(e.offset()).isEqualTo(at);
        fails(stream(raw(0x1A, 0x00, 0x01)), MalformedStreamException.class,
                "unexpected end of input inside the head of an item");
    }

    // ---------------------------------------------------------------- record layout

    @Test
    void recordLayoutErrors() {
        int at = BODY;
        VmstateException e = fails(stream(array(1, 2)), MalformedStreamException.class,
                "found an array, expected a record (a map whose first key is \"record\")");
        assertThat(e.offset()).isEqualTo(at);
        e = fails(stream(map("kind", "end")), MalformedStreamException.class,
                "found key \"kind\" at the start of a record, expected the key \"record\"");
        assertThat(e.offset()).isEqualTo(at + 1);
        fails(stream(map("record", "eof")), MalformedStreamException.class, "unknown record kind \"eof\", expected one "
                + "of header, device, iterative, ram_blocks, page, eos, section_end, command, end, description");
        fails(stream(map("record", 7)), MalformedStreamException.class,
                "found an unsigned integer, expected a record kind (a text string)");
        byte[] b = stream(header(), map("record", "section_end", "section_id", 1), end());
        e = fails(b, MalformedStreamException.class, "missing key \"footer\" in a section_end record");
        assertThat(e.offset()).isEqualTo(BODY + TestCbor.seq(header()).length);
        fails(stream(header(), map("record", "section_end", "footer", true, "section_id", 1), end()),
                MalformedStreamException.class, "found key \"footer\" where a section_end record has \"section_id\"");
        fails(stream(header(), map("record", "end", "colour", 1)), MalformedStreamException.class,
                "unknown key \"colour\" in an end record");
        fails(stream(map("record", "header", "stream_version", 3, "machine_type", "pc", "configuration_extra",
                new byte[0], "device_tree", 5)), MalformedStreamException.class,
                "found an unsigned integer, expected the device tree (a map or null)");
        fails(stream(map("record", "header", "stream_version", 3, "machine_type", 1)), MalformedStreamException.class,
                "found an unsigned integer, expected the machine type (a text string or null)");
        fails(stream(map("record", "header", "stream_version", 2147483648L)), MalformedStreamException.class,
                "invalid value 2147483648 for the stream version, expected -2147483648..2147483647");
        fails(stream(header(), map("record", "iterative", "type", "middle")), MalformedStreamException.class,
                "unknown chunk type \"middle\", expected one of start, part, end");
        fails(stream(header(), map("record", "iterative", "type", "part", "section_id", 1, "idstr", "ram")),
                MalformedStreamException.class, "key \"idstr\": only a start chunk carries it");
        fails(stream(header(), map("record", "iterative", "type", "part", "section_id", 4)),
                MalformedStreamException.class, "iterative part chunk of section 4, which no start chunk announced");
        TestCbor.Raw start = map("record", "iterative", "type", "start", "section_id", 1, "idstr", "ram",
                "instance_id", 0, "version", 4);
        fails(stream(header(), start, map("record", "page", "block", "pc.ram", "offset", 0, "continued", false,
                "encoding", "lz4")), MalformedStreamException.class,
                "unknown page encoding \"lz4\", expected one of zero, raw, xbzrle");
        fails(stream(header(), start, map("record", "page", "block", "pc.ram", "offset", 0, "continued", false,
                "encoding", "zero", "data", new byte[1])), MalformedStreamException.class,
                "found key \"data\" where a page record has \"fill\"");
        fails(stream(header(), start, map("record", "page", "block", "pc.ram", "offset", 0, "continued", false,
                "encoding", "zero", "fill", 256)), MalformedStreamException.class,
                "invalid value 256 for the fill byte, expected 0..255");
        fails(stream(header(), start, end()), MalformedStreamException.class,
                "end record inside iterative section 1, which no section_end has closed");
        fails(stream(header(), start, map("record", "section_end", "section_id", 9, "footer", true)),
                MalformedStreamException.class, "section_end of section 9 inside iterative section 1");
        fails(stream(header(), end(), map("record", "description", "generate", false)), MalformedStreamException.class,
                "key \"generate\": false; write true, or the description's bytes under \"json\"");
        fails(stream(header(), end(), map("record", "description", "json", "{}")), MalformedStreamException.class,
                "found a text string, expected the description (a byte string)");
        fails(stream(header(), map("record", "schema", "id", 0, "schema", Map.of("vmsd_name", 7))),
                MalformedStreamException.class, "invalid schema: $.vmsd_name: expected a string, found 7");
        fails(stream(header(), map("record", "schema", "id", 0, "schema", Map.of("vmsd_name", "s", "fields",
                List.of(new byte[1])))), MalformedStreamException.class,
                "found a byte string, expected a map, array, text string, integer, true, false or null");
        fails(stream(header(), map("record", "schema", "id", 1, "schema", SchemaJson.toMap(S))),
                MalformedStreamException.class,
                "schema id 1: expected 0; a stream numbers its schema items 0, 1, 2, ... in order");
        fails(stream(header(), device(state(null, null))), MalformedStreamException.class,
                "schema id 0: no schema item before it has this id");
        fails(stream(header(), map("record", "device", "section_id", 0, "idstr", "dev", "instance_id", 0,
                "version", 1, "footer", true, "schema", SchemaJson.toMap(S), "state", state(null, null))),
                MalformedStreamException.class, "found a map, expected the schema id (an integer)");
    }

    // ---------------------------------------------------------------- state values

    @Test
    void stateValueErrorsNameSectionPathAndOffset() {
        byte[] b = withState(state("a", 300));
        long at = StreamMutations.indexOf(b, TestCbor.seq("state", raw(0x88), 300)) + 7;
        VmstateException e = fails(b, MalformedStreamException.class, "invalid value 300 for uint8, expected 0..255");
        assertThat(e.section()).isEqualTo("dev/0");
        assertThat(e.path()).isEqualTo("a");
        assertThat(e.offset()).isEqualTo(at);
        assertThat(e.getMessage()).isEqualTo("invalid value 300 for uint8, expected 0..255\n at [cbor] section dev/0 a "
                + "(byte offset #" + e.offset() + ")");
        fails(withState(state("a", -1)), MalformedStreamException.class, "invalid value -1 for uint8, expected 0..255");
        fails(withState(state("b", -1)), MalformedStreamException.class,
                "invalid value -1 for uint64, expected 0..18446744073709551615");
        fails(withState(state("b", raw(0x3B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))),
                MalformedStreamException.class,
                "invalid value -18446744073709551616 for uint64, expected 0..18446744073709551615");
        fails(withState(state("f", 1)), MalformedStreamException.class,
                "found an unsigned integer, expected a float64 (0xFB and 8 bytes)");
        fails(withState(state("a", true)), MalformedStreamException.class, "found true, expected an integer (uint8)");
        e = fails(withState(state("buf", new byte[3])), SchemaMismatchException.class, "buffer of length 3, expected 4");
        assertThat(e.path()).isEqualTo("buf");
        fails(withState(state("arr", List.of(1))), SchemaMismatchException.class, "array of length 1, expected 2");
        e = fails(withState(state("arr", List.of(1, 70000))), MalformedStreamException.class,
                "invalid value 70000 for uint16, expected 0..65535");
        assertThat(e.path()).isEqualTo("arr[1]");
        fails(withState(state("e", 9)), MalformedStreamException.class, "invalid enum code 9, expected one of [0, 1]");
        fails(withState(state("sec", array(2, array(1)))), VersionException.class,
                "section version 2 is newer than the supported 1");
        e = fails(withState(state("sec", array(1))), MalformedStreamException.class,
                "found an array of 1 entries, expected a section (null, or an array of version and state)");
        assertThat(e.path()).isEqualTo("sec");
        e = fails(withState(state("sec", 5)), MalformedStreamException.class,
                "found an unsigned integer, expected a section (null, or an array of version and state)");
        assertThat(e.path()).isEqualTo("sec");
    }

    @Test
    void stateShapeErrors() {
        VmstateException e = fails(withState(array(1, 2, F)), SchemaMismatchException.class,
                "struct of length 3, expected 8");
        assertThat(e.path()).isEmpty();
        e = fails(withState(state("sec", array(1, array(1, 2)))), SchemaMismatchException.class,
                "struct of length 2, expected 1");
        assertThat(e.path()).isEqualTo("sec");
        fails(withState(map("a", 1)), MalformedStreamException.class, "found a map, expected the state (an array)");
    }

    @Test
    void limitsNameTheirSetting() {
        VmstateException e = fails(stream(map("record", raw(0x7A, 0x00, 0x01, 0x00, 0x01))),
                LimitExceededException.class,
                "string length (65537) exceeds the maximum allowed (65536, from ReadLimits.maxStringLength())");
        assertThat(e.offset()).isEqualTo(BODY + 8);
    }
}
