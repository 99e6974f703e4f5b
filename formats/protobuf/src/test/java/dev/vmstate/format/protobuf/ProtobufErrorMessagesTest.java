package dev.vmstate.format.protobuf;

import static dev.vmstate.format.protobuf.TestProto.end;
import static dev.vmstate.format.protobuf.TestProto.header;
import static dev.vmstate.format.protobuf.TestProto.raw;
import static dev.vmstate.format.protobuf.TestProto.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.LimitExceededException;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.error.VersionException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.format.protobuf.internal.ChunkType;
import dev.vmstate.format.protobuf.internal.Description;
import dev.vmstate.format.protobuf.internal.Header;
import dev.vmstate.format.protobuf.internal.Iterative;
import dev.vmstate.format.protobuf.internal.Page;
import dev.vmstate.format.protobuf.internal.PageEncoding;
import dev.vmstate.format.protobuf.internal.PlainEntry;
import dev.vmstate.format.protobuf.internal.PlainMap;
import dev.vmstate.format.protobuf.internal.Record;
import dev.vmstate.format.protobuf.internal.SchemaRecord;
import dev.vmstate.format.protobuf.internal.SchemaSpec;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.testkit.StreamMutations;
import dev.vmstate.visitor.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact messages of {@code docs/formats/protobuf.md} §6, each from a stream made by hand with
 * the generated classes or raw bytes: type, message and, where it matters, offset and path.
 */
class ProtobufErrorMessagesTest {
    private static final Schema SMALL = EveryRecord.SMALL; // lcr: uint8 (field 1), label: string (field 2)
    private static final int BODY = SampleStreams.bodyStart(TestProto.withEnvelope(new byte[0]));

    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    /** Protobuf fields written with protobuf-java's CodedOutputStream: a message's bytes. */
    static byte[] fields(Fields f) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(b);
        try {
            f.write(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** A record whose kind {@code field} holds {@code message} as it is, length-prefixed: valid or not. */
    static byte[] record(int field, byte[] message) {
        byte[] r = fields(out -> out.writeByteArray(field, message));
        return fields(out -> {
            out.writeUInt32NoTag(r.length);
            out.writeRawBytes(r);
        });
    }

    static Record schemaRecord(int id, Schema s) {
        return Record.newBuilder().setSchema(SchemaRecord.newBuilder().setId(id)
                .setSchema(SchemaSpecs.spec(SchemaJson.toMap(s)))).build();
    }

    /** A device record "dev/0" naming schema {@code id}, with {@code state} as its state's bytes. */
    static byte[] device(int id, byte[] state) {
        return record(3, fields(out -> {
            out.writeString(2, "dev");
            out.writeBool(5, true);
            out.writeUInt32(7, id);
            out.writeByteArray(8, state);
        }));
    }

    /** A stream of a header, the schema record of {@code s}, one device record with {@code state}, the end. */
    static byte[] withState(Schema s, byte[] state) {
        return stream(header(), schemaRecord(0, s), device(0, state), end());
    }

    static VmstateException fails(byte[] bytes) {
        return fails(bytes, ReadOptions.defaults());
    }

    static VmstateException fails(byte[] bytes, ReadOptions options) {
        VmstateException e = catchThrowableOfType(VmstateException.class,
                () -> Fixtures.read(ByteSource.of(bytes), options));
        assertThat(e).as("reading must fail").isNotNull();
        assertThat(e.format()).isEqualTo("protobuf");
        assertThat(e.offset()).isBetween(0L, (long) bytes.length);
        return e;
    }

    static void fails(byte[] bytes, Class<? extends VmstateException> type, String message) {
        VmstateException e = fails(bytes);
        assertThat(e.getOriginalMessage()).isEqualTo(message);
        assertThat(e).isInstanceOf(type);
    }

    // ---------------------------------------------------------------- the stream and its records

    @Test
    void theEnvelope() {
        fails(new byte[0], MalformedStreamException.class,
                "found an empty stream, expected the vmstate envelope (\"VMST\")");
        fails(raw('Q', 'E', 'V', 'M', 0, 0, 0, 3), MalformedStreamException.class,
                "not a vmstate envelope: byte 0x51 where the magic \"VMST\" has 0x56");
    }

    @Test
    void envelopesOfOtherFormatsAndFeatures() {
        byte[] cbor = new Envelope("cbor", new byte[32], List.of()).toBytes();
        VmstateException e = fails(cbor);
        assertThat(e.getOriginalMessage()).isEqualTo("envelope names format \"cbor\", expected \"protobuf\"");
        assertThat(e.offset()).isEqualTo(7);
        e = fails(new Envelope("protobuf", new byte[32], List.of("zstd")).toBytes());
        assertThat(e).isInstanceOf(VersionException.class);
        assertThat(e.getOriginalMessage()).isEqualTo("feature \"zstd\" is not supported by this build (it reads crc32c)");
    }

    @Test
    void theFramingOfRecords() {
        fails(stream(header(), raw(0x00)), MalformedStreamException.class,
                "empty record; a record holds exactly one field, its kind");
        fails(stream(header(), record(12, new byte[0])), MalformedStreamException.class,
                "found field 12 with wire type 2 (length-delimited), expected a record kind (field 1 to 11, length-delimited)");
        fails(stream(raw(0x02, 0x08, 0x03)), MalformedStreamException.class,
                "found field 1 with wire type 0 (varint), expected a record kind (field 1 to 11, length-delimited)");
        VmstateException e = fails(stream(header(), raw(0x04, 0x52, 0x00, 0x52, 0x00)));
        assertThat(e.getOriginalMessage()).isEqualTo(
                "found more after the end field of a record; a record holds exactly one field, its kind");
        long second = BODY + TestProto.seq(header()).length;
        assertThat(e.offset()).isEqualTo(second + 3);
        fails(stream(header(), raw(0x02, 0x52, 0x05)), MalformedStreamException.class,
                "length 5 of the end field runs past the end of its message (0 bytes left)");
        fails(stream(header(), raw(0x02, 0x00, 0x00)), MalformedStreamException.class,
                "invalid protobuf: protocol message contained an invalid tag (zero)");
        fails(stream(header(), raw(0x05)), MalformedStreamException.class,
                "unexpected end of input inside a record of 5 bytes");
    }

    @Test
    void recordsOutOfOrderAndAMissingEnd() {
        fails(stream(end()), MalformedStreamException.class,
                "end record before the header record; a stream starts with a header");
        fails(stream(header(), header()), MalformedStreamException.class, "second header record");
        fails(stream(header()), MalformedStreamException.class, "the stream ends without an \"end\" record");
        fails(stream(header(), end(), end()), MalformedStreamException.class, "end record after the end record");
    }

    @Test
    void recordsTheGeneratedParserReads() {
        fails(stream(header(), record(10, raw(0x08, 0x01))), MalformedStreamException.class,
                "an end record (message End): unknown field 1");
        byte[] offsetAsBytes = fields(out -> {
            out.writeString(1, "pc.ram");
            out.writeByteArray(2, new byte[] {1});
        });
        fails(stream(header(), record(6, offsetAsBytes)), MalformedStreamException.class,
                "a page record (message Page): field 2 (offset) has another wire type than its type, int64");
        fails(stream(header(), Record.newBuilder().setIterative(Iterative.newBuilder().setTypeValue(7))),
                MalformedStreamException.class,
                "unknown chunk type 7, expected one of 1 (CHUNK_TYPE_START), 2 (CHUNK_TYPE_PART), 3 (CHUNK_TYPE_END)");
        fails(stream(header(), Record.newBuilder().setIterative(Iterative.newBuilder()
                .setType(ChunkType.CHUNK_TYPE_START).setSectionId(1))), MalformedStreamException.class,
                "missing field 3 (idstr) in an iterative start record");
        fails(stream(header(), Record.newBuilder().setIterative(Iterative.newBuilder()
                .setType(ChunkType.CHUNK_TYPE_PART).setIdstr("ram"))), MalformedStreamException.class,
                "field 3 (idstr) of an iterative part record: only a start chunk carries it");
        fails(stream(header(), Record.newBuilder().setIterative(Iterative.newBuilder()
                .setType(ChunkType.CHUNK_TYPE_END).setVersion(4))), MalformedStreamException.class,
                "field 5 (version) of an iterative end record: only a start chunk carries it");
        fails(stream(header(), Record.newBuilder().setPage(Page.newBuilder().setBlock("pc.ram").setFill(0))),
                MalformedStreamException.class, "unknown page encoding 0, expected one of 1 (PAGE_ENCODING_ZERO), "
                        + "2 (PAGE_ENCODING_RAW), 3 (PAGE_ENCODING_XBZRLE)");
        fails(stream(header(), Record.newBuilder().setPage(Page.newBuilder().setBlock("pc.ram")
                .setEncoding(PageEncoding.PAGE_ENCODING_ZERO).setData(ByteString.copyFrom(new byte[1])))),
                MalformedStreamException.class, "a zero page record: it carries field 5 (fill), found field 6 (data)");
        fails(stream(header(), Record.newBuilder().setPage(Page.newBuilder().setBlock("pc.ram")
                .setEncoding(PageEncoding.PAGE_ENCODING_RAW))),
                MalformedStreamException.class, "a raw page record: it carries field 6 (data), found neither");
        fails(stream(header(), Record.newBuilder().setPage(Page.newBuilder().setBlock("pc.ram")
                .setEncoding(PageEncoding.PAGE_ENCODING_ZERO).setFill(256))),
                MalformedStreamException.class, "invalid value 256 for the fill byte, expected 0..255");
        fails(stream(header(), end(), Record.newBuilder().setDescription(Description.newBuilder().setGenerate(false))),
                MalformedStreamException.class, "field 2 (generate) of a description record: false; write true, or "
                        + "the description's bytes as field 1 (json)");
        fails(stream(header(), end(), Record.newBuilder().setDescription(Description.getDefaultInstance())),
                MalformedStreamException.class,
                "a description record: neither field 1 (json) nor field 2 (generate)");
        fails(stream(record(1, fields(out -> out.writeByteArray(2, new byte[] {(byte) 0xC3, 0x28})))),
                MalformedStreamException.class, "invalid protobuf: protocol message had invalid UTF-8");
        fails(stream(Record.newBuilder().setHeader(Header.newBuilder().setDeviceTree(PlainMap.newBuilder()
                .addEntries(PlainEntry.newBuilder().setKey("machine"))))), MalformedStreamException.class,
                "the device tree: key \"machine\" has no value");
    }

    @Test
    void limitsOnRecordsTheGeneratedParserReads() {
        byte[] command = stream(header(), Record.newBuilder().setCommand(
                dev.vmstate.format.protobuf.internal.Command.newBuilder().setData(ByteString.copyFrom(new byte[11]))));
        VmstateException e = fails(command, ReadOptions.defaults().withLimits(
                ReadLimits.builder().maxBytesLength(10).build()));
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.getOriginalMessage()).isEqualTo("bytes length (11) exceeds the maximum allowed (10, from "
                + "ReadLimits.maxBytesLength())");
        assertThat(e.offset()).isEqualTo(BODY + TestProto.seq(header()).length);
    }

    // ---------------------------------------------------------------- schema and device records

    @Test
    void schemaRecords() {
        fails(stream(header(), schemaRecord(1, SMALL)), MalformedStreamException.class,
                "schema id 1: expected 0; a stream numbers its schema records 0, 1, 2, ... in order");
        fails(stream(header(), device(0, new byte[0])), MalformedStreamException.class,
                "schema id 0: no schema record before it has this id");
        fails(stream(header(), Record.newBuilder().setSchema(SchemaRecord.getDefaultInstance())),
                MalformedStreamException.class, "missing field 2 (schema) in a schema record");
        fails(stream(header(), record(2, raw(0x20, 0x01))), MalformedStreamException.class,
                "unknown field 4 with wire type 0 (varint) in a schema record");
        fails(stream(header(), record(2, raw(0x18, 0x01))), MalformedStreamException.class,
                "field 3 (fingerprint) of a schema record has wire type 0 (varint), expected 2 (length-delimited)");
        SchemaSpec spec = SchemaSpecs.spec(SchemaJson.toMap(SMALL));
        SchemaSpec uint9 = spec.toBuilder().setFields(0, spec.getFields(0).toBuilder().setType("uint9")).build();
        fails(stream(header(), Record.newBuilder().setSchema(SchemaRecord.newBuilder().setSchema(uint9))),
                MalformedStreamException.class, "invalid schema: $.fields[0].type: unknown type \"uint9\"");
        SchemaSpec twice = spec.toBuilder().addFields(spec.getFields(0)).build();
        fails(stream(header(), Record.newBuilder().setSchema(SchemaRecord.newBuilder().setSchema(twice))),
                MalformedStreamException.class, "invalid schema: $: field name \"lcr\" used twice in one struct");
        SchemaSpec unknown = spec.toBuilder().setFields(0, spec.getFields(0).toBuilder()
                .setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder().addField(10,
                        com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build())).build();
        fails(stream(header(), Record.newBuilder().setSchema(SchemaRecord.newBuilder().setSchema(unknown))),
                MalformedStreamException.class, "invalid schema: the schema (message FieldSpec): unknown field 10");
    }

    @Test
    void deviceRecords() {
        byte[] small = fields(out -> {
            out.writeUInt32(1, 5);
            out.writeString(2, "hi");
        });
        fails(stream(header(), schemaRecord(0, SMALL), record(3, fields(out -> {
            out.writeByteArray(8, small);
            out.writeUInt32(9, 1);
        }))), MalformedStreamException.class, "unknown field 9 with wire type 0 (varint) in a device record");
        fails(stream(header(), schemaRecord(0, SMALL), record(3, fields(out -> out.writeUInt32(2, 1)))),
                MalformedStreamException.class,
                "field 2 (idstr) of a device record has wire type 0 (varint), expected 2 (length-delimited)");
        fails(stream(header(), schemaRecord(0, SMALL), record(3, fields(out -> out.writeString(2, "dev")))),
                MalformedStreamException.class, "missing field 8 (state) in a device record");
        fails(stream(header(), schemaRecord(0, SMALL), record(3, fields(out -> out.writeUInt64(1, 1L << 32)))),
                MalformedStreamException.class,
                "invalid value 4294967296 for the section id, expected -2147483648..2147483647");
        fails(stream(header(), schemaRecord(0, SMALL), record(3, fields(out -> out.writeUInt32(5, 2)))),
                MalformedStreamException.class, "invalid value 2 for the footer flag, expected 0..1");
        fails(stream(header(), schemaRecord(0, SMALL), record(3, fields(out -> out.writeByteArray(2,
                new byte[] {(byte) 0xFF})))), MalformedStreamException.class,
                "string is not valid UTF-8: byte 0xFF at index 0");
        byte[] ok = withState(SMALL, small);
        assertThat(Fixtures.read(ok)).hasSize(3);
    }

    // ---------------------------------------------------------------- states

    /** Fails reading {@code state} as the state of {@code s}: checks the message, the path and the field's offset. */
    static VmstateException stateFails(Schema s, byte[] state, Class<? extends VmstateException> type, String message,
            String path) {
        byte[] bytes = withState(s, state);
        VmstateException e = fails(bytes);
        assertThat(e.getOriginalMessage()).isEqualTo(message);
        assertThat(e).isInstanceOf(type);
        assertThat(e.path()).isEqualTo(path);
        assertThat(e.section()).isEqualTo("dev/0");
        return e;
    }

    /** The absolute offset of {@code state}'s byte {@code i} in {@link #withState}. */
    static long stateByte(Schema s, byte[] state, int i) {
        byte[] bytes = withState(s, state);
        return StreamMutations.indexOf(bytes, state) + i;
    }

    @Test
    void stateFieldsComeInSchemaOrder() {
        byte[] u8 = raw(0x08, 0xAC, 0x02, 0x12, 0x02, 'h', 'i');
        VmstateException e = stateFails(SMALL, u8, MalformedStreamException.class,
                "invalid value 300 for uint8, expected 0..255", "lcr");
        assertThat(e.offset()).isEqualTo(stateByte(SMALL, u8, 0));
        stateFails(SMALL, raw(0x10, 0x05), MalformedStreamException.class,
                "found field 2 with wire type 0 (varint), expected field 1 (uint8, wire type 0 (varint))", "lcr");
        stateFails(SMALL, raw(0x0A, 0x01, 0x05), MalformedStreamException.class,
                "found field 1 with wire type 2 (length-delimited), expected field 1 (uint8, wire type 0 (varint))", "lcr");
        stateFails(SMALL, new byte[0], MalformedStreamException.class,
                "found the end of the struct, expected field 1 (uint8, wire type 0 (varint))", "lcr");
        byte[] trailing = raw(0x08, 0x05, 0x12, 0x02, 'h', 'i', 0x18, 0x01);
        e = stateFails(SMALL, trailing, MalformedStreamException.class,
                "found field 3 with wire type 0 (varint) after the last member, expected the end of the struct; "
                        + "a state's fields come in schema order", "");
        assertThat(e.offset()).isEqualTo(stateByte(SMALL, trailing, 6));
        stateFails(SMALL, raw(0x08), MalformedStreamException.class, "invalid protobuf: while parsing a protocol "
                + "message, the input ended unexpectedly in the middle of a field", "lcr");
    }

    @Test
    void stateStringsAndBytes() {
        stateFails(SMALL, raw(0x08, 0x05, 0x12, 0x09, 'h'), MalformedStreamException.class,
                "length 9 of a string runs past the end of its message (1 bytes left)", "label");
        stateFails(SMALL, raw(0x08, 0x05, 0x12, 0x02, 0xC3, 0x28), MalformedStreamException.class,
                "string is not valid UTF-8: byte 0x28 at index 1", "label");
        VmstateException e = fails(withState(SMALL, raw(0x08, 0x05, 0x12, 0x02, 'h', 'i')),
                ReadOptions.defaults().withLimits(ReadLimits.builder().maxStringLength(1).build()));
        assertThat(e).isInstanceOf(LimitExceededException.class);
        assertThat(e.getOriginalMessage()).isEqualTo("string length (2) exceeds the maximum allowed (1, from "
                + "ReadLimits.maxStringLength())");
        Schema buf = new Schema("b", 1, 1, List.of(Field.buffer("fixed", 4)));
        stateFails(buf, raw(0x0A, 0x03, 1, 2, 3), SchemaMismatchException.class, "buffer of length 3, expected 4",
                "fixed");
    }

    @Test
    void stateScalarsEnumsAndArrays() {
        Schema bool = new Schema("b", 1, 1, List.of(Field.scalar("on", Kind.BOOL, null)));
        stateFails(bool, raw(0x08, 0x02), MalformedStreamException.class, "invalid value 2 for bool, expected 0..1", "on");
        Schema en = new Schema("e", 1, 1, List.of(Field.enumeration("link", Map.of(0L, "DOWN", 1L, "UP"))));
        stateFails(en, raw(0x08, 0x09), MalformedStreamException.class, "invalid enum code 9, expected one of [0, 1]",
                "link");
        Schema u64s = new Schema("a", 1, 1, List.of(Field.varray("v", Kind.U64)));
        stateFails(u64s, raw(0x0A, 0x05, 1, 2, 3, 4, 5), MalformedStreamException.class,
                "packed uint64 array of 5 bytes, expected a multiple of 8", "v");
        Schema u8s = new Schema("a", 1, 1, List.of(Field.array("v", Kind.U8, 2)));
        stateFails(u8s, raw(0x0A, 0x02, 0x01, 0x80), MalformedStreamException.class,
                "unexpected end of input inside a varint of a packed array", "v");
        stateFails(u8s, raw(0x0A, 0x01, 0x01), SchemaMismatchException.class, "array of length 1, expected 2", "v");
        VmstateException e = stateFails(u8s, raw(0x0A, 0x03, 0x01, 0xAC, 0x02), MalformedStreamException.class,
                "invalid value 300 for uint8, expected 0..255", "v[1]");
        assertThat(e.offset()).isEqualTo(stateByte(u8s, raw(0x0A, 0x03, 0x01, 0xAC, 0x02), 3));
    }

    @Test
    void stateStructsListsAndSections() {
        Schema inner = new Schema("inner", 1, 1, List.of(Field.scalar("x", Kind.U8, null)));
        Schema pair = new Schema("p", 1, 1, List.of(Field.struct("pair", inner, 2)));
        stateFails(pair, raw(0x0A, 0x02, 0x08, 0x01), SchemaMismatchException.class,
                "struct array of length 1, expected 2", "pair");
        stateFails(pair, raw(0x0A, 0x02, 0x08, 0x01, 0x0A, 0x02, 0x10, 0x01), MalformedStreamException.class,
                "found field 2 with wire type 0 (varint), expected field 1 (uint8, wire type 0 (varint))", "pair[1].x");
        Schema opt = new Schema("s/opt", 1, 1, List.of(Field.scalar("x", Kind.U8, null)));
        Schema sec = new Schema("s", 1, 1, List.of(Field.section("s/opt", opt)));
        stateFails(sec, raw(0x0A, 0x06, 0x08, 0x02, 0x12, 0x02, 0x08, 0x01), VersionException.class,
                "section version 2 is newer than the supported 1", "s/opt");
        stateFails(sec, raw(0x0A, 0x04, 0x12, 0x02, 0x08, 0x01), MalformedStreamException.class,
                "found field 2 with wire type 2 (length-delimited), expected field 1 (the section version, wire type "
                        + "0 (varint))", "s/opt");
        assertThat(Fixtures.read(withState(sec, raw(0x0A, 0x06, 0x08, 0x01, 0x12, 0x02, 0x08, 0x07)))).hasSize(3);
        assertThat(Fixtures.read(withState(sec, new byte[0]))).hasSize(3);
    }

    @Test
    void aRefusedDeviceRecordLeavesNoSchemaRecordBehind() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var w = Fixtures.FORMAT.openWriter(out, WriteOptions.defaults())) {
            w.write(dev.vmstate.stream.StreamHeader.of("m", null));
            VmstateException e = catchThrowableOfType(VmstateException.class, () -> w.write(
                    new dev.vmstate.stream.DeviceSection(0, "dev", 0, 2, true, SMALL, new dev.vmstate.testkit.EveryKind())));
            assertThat(e).isNotNull();
            w.write(new dev.vmstate.stream.DeviceSection(0, "dev", 0, 2, true, SMALL,
                    new dev.vmstate.tree.GenericState(SMALL, EveryRecord.small(1, "a"))));
            w.write(new dev.vmstate.stream.EndOfState());
        }
        // the second attempt's schema record has id 0 again: the refused one was taken back whole
        assertThat(Fixtures.read(out.toByteArray())).hasSize(3);
        assertThat(ProtobufWireTest.messages(out.toByteArray())).hasSize(4);
    }
}
