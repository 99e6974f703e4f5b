package dev.vmstate.format.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.UnknownFieldSet;
import dev.vmstate.format.protobuf.internal.Device;
import dev.vmstate.format.protobuf.internal.Record;
import dev.vmstate.format.protobuf.internal.SchemaRecord;
import dev.vmstate.format.protobuf.internal.SectionValue;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.Properties;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The format against protobuf-java itself (#5): the constants of the hand-written parts agree
 * with the descriptors generated from {@code vmstate.proto}; every record the writer makes,
 * device records included, is exactly protobuf-java's own serialization of the message it
 * parses to; and a state decodes with nothing but the generated classes, {@link UnknownFieldSet}
 * and the schema, as {@code docs/formats/protobuf.md} §5 tells a reader to.
 */
class ProtobufWireTest {

    @Test
    void theConstantsAreTheProtosNumbers() {
        Descriptor record = Record.getDescriptor();
        assertThat(record.getOneofs()).hasSize(1);
        List<FieldDescriptor> kinds = record.getOneofs().get(0).getFields();
        assertThat(kinds).hasSize(ProtobufConstants.RECORD_DESCRIPTION);
        for (FieldDescriptor f : kinds) {
            assertThat(ProtobufConstants.recordName(f.getNumber())).isEqualTo(f.getName());
            assertThat(f.getType()).isEqualTo(FieldDescriptor.Type.MESSAGE);
        }
        Descriptor device = Device.getDescriptor();
        String[] names = {null, "section_id", "idstr", "instance_id", "version", "footer", "crc32c", "schema", "state"};
        int[] numbers = {0, ProtobufConstants.DEVICE_SECTION_ID, ProtobufConstants.DEVICE_IDSTR,
            ProtobufConstants.DEVICE_INSTANCE_ID, ProtobufConstants.DEVICE_VERSION, ProtobufConstants.DEVICE_FOOTER,
            ProtobufConstants.DEVICE_CRC32C, ProtobufConstants.DEVICE_SCHEMA, ProtobufConstants.DEVICE_STATE};
        assertThat(device.getFields()).hasSize(8);
        for (int i = 1; i < names.length; i++) {
            assertThat(device.findFieldByName(names[i]).getNumber()).isEqualTo(numbers[i]);
        }
        assertThat(device.findFieldByName("crc32c").hasPresence()).isTrue();
        assertThat(SchemaRecord.getDescriptor().findFieldByName("id").getNumber()).isEqualTo(ProtobufConstants.SCHEMA_ID);
        assertThat(SchemaRecord.getDescriptor().findFieldByName("schema").getNumber())
                .isEqualTo(ProtobufConstants.SCHEMA_MAP);
        assertThat(SectionValue.getDescriptor().findFieldByName("version").getNumber())
                .isEqualTo(ProtobufConstants.SECTION_VERSION);
        assertThat(SectionValue.getDescriptor().findFieldByName("body").getNumber())
                .isEqualTo(ProtobufConstants.SECTION_BODY);
    }

    /** The body's records, each as the bytes of its message (without the length prefix). */
    static List<byte[]> messages(byte[] stream) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(stream);
        in.skip(SampleStreams.bodyStart(stream));
        try {
            int first;
            while ((first = in.read()) >= 0) {
                int n = CodedInputStream.readRawVarint32(first, in);
                out.add(in.readNBytes(n));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Each record parses with the generated classes and serializes back to the same bytes. */
    static void everyRecordIsProtobufJavasOwnSerialization(byte[] stream) {
        for (byte[] m : messages(stream)) {
            try {
                Record r = Record.parseFrom(m);
                assertThat(r.getKindCase()).isNotEqualTo(Record.KindCase.KIND_NOT_SET);
                assertThat(r.getUnknownFields().asMap()).isEmpty();
                assertThat(Fixtures.hex(r.toByteArray())).as("a %s record", r.getKindCase()).isEqualTo(Fixtures.hex(m));
            } catch (IOException e) {
                throw new AssertionError("protobuf-java cannot parse a record: " + Fixtures.hex(m), e);
            }
        }
    }

    @Test
    void everyRecordOfTheFullStreamIsProtobufJavasSerialization() {
        for (boolean crc : new boolean[] {false, true}) {
            everyRecordIsProtobufJavasOwnSerialization(
                    Fixtures.write(EveryRecord.stream(crc), WriteOptions.defaults().withCrc32c(crc)));
        }
    }

    @Test
    void everyRecordOfRandomStreamsIsProtobufJavasSerialization() {
        Properties.qt().forAll(SampleStreams.samples()).checkAssert(sample -> everyRecordIsProtobufJavasOwnSerialization(
                Fixtures.write(sample.records(), WriteOptions.defaults().withCrc32c(true))));
    }

    @Test
    void statesDecodeWithTheGeneratedClassesAndUnknownFieldSets() {
        Properties.qt().forAll(SampleStreams.samples()).checkAssert(sample -> {
            byte[] stream = Fixtures.write(sample.records());
            List<StructValue> decoded = decodeStates(stream);
            List<StructValue> written = new ArrayList<>();
            for (StreamRecord r : sample.records()) {
                if (r instanceof DeviceSection d) {
                    written.add(Fixtures.tree(d));
                }
            }
            assertThat(decoded).isEqualTo(written);
        });
        List<StructValue> full = decodeStates(Fixtures.write(EveryRecord.stream(true)));
        assertThat(full).hasSize(4);
    }

    // ---------------------------------------------------------------- an independent decoder

    /** Every device state of {@code stream}, decoded by the recipe of docs/formats/protobuf.md section 5. */
    static List<StructValue> decodeStates(byte[] stream) {
        List<Schema> schemas = new ArrayList<>();
        List<StructValue> states = new ArrayList<>();
        try {
            for (byte[] m : messages(stream)) {
                Record r = Record.parseFrom(m);
                if (r.hasSchema()) {
                    schemas.add(SchemaJson.fromMap(SchemaSpecs.map(r.getSchema().getSchema())));
                } else if (r.hasDevice()) {
                    Device d = r.getDevice();
                    states.add(struct(schemas.get(d.getSchema()), d.getState().getUnknownFields()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return states;
    }

    /** A State: member i of {@code s} is field i + 1 of {@code fields}. */
    static StructValue struct(Schema s, UnknownFieldSet fields) throws IOException {
        Map<String, StateTree> out = new LinkedHashMap<>();
        List<Field> members = s.members();
        for (int number : fields.asMap().keySet()) {
            assertThat(number).as("field numbers of %s", s.name()).isBetween(1, members.size());
        }
        for (int i = 0; i < members.size(); i++) {
            Field f = members.get(i);
            UnknownFieldSet.Field w = fields.getField(i + 1);
            StateTree v = value(f, w);
            if (v != null) {
                out.put(f.name(), v);
            }
        }
        return new StructValue(s.name(), out);
    }

    private static StateTree value(Field f, UnknownFieldSet.Field w) throws IOException {
        Kind k = f.kind();
        switch (k) {
            case BOOL:
                return new StateTree.BoolValue(only(w.getVarintList()) != 0);
            case I8, I16, I32, I64:
                return new StateTree.IntValue(k, CodedInputStream.decodeZigZag64(only(w.getVarintList())));
            case U8, U16, U32:
                return new StateTree.IntValue(k, only(w.getVarintList()));
            case U64:
                return new StateTree.IntValue(k, only(w.getFixed64List()));
            case F64:
                return new StateTree.F64Value(Double.longBitsToDouble(only(w.getFixed64List())));
            case ENUM: {
                long code = only(w.getVarintList());
                return new StateTree.EnumValue(code, f.enumNames().get(code));
            }
            case STR:
                return new StateTree.StrValue(only(w.getLengthDelimitedList()).toStringUtf8());
            case BYTES, BUFFER:
                return new StateTree.BytesValue(k, only(w.getLengthDelimitedList()).toByteArray());
            case ARRAY, VARRAY:
                return new StateTree.ArrayValue(k, f.element(), packed(f.element(), only(w.getLengthDelimitedList())));
            case STRUCT:
                if (f.length() == 0) {
                    return struct(f.struct(), UnknownFieldSet.parseFrom(only(w.getLengthDelimitedList())));
                }
                return new StateTree.ListValue(Kind.STRUCT, structs(f.struct(), w.getLengthDelimitedList()));
            case LIST:
                return new StateTree.ListValue(Kind.LIST, structs(f.struct(), w.getLengthDelimitedList()));
            default: {
                if (w.getLengthDelimitedList().isEmpty()) {
                    return null; // an absent section
                }
                SectionValue sv = SectionValue.parseFrom(only(w.getLengthDelimitedList()));
                return new StateTree.SectionValue(sv.getVersion(), struct(f.struct(), sv.getBody().getUnknownFields()));
            }
        }
    }

    private static List<StructValue> structs(Schema s, List<ByteString> entries) throws IOException {
        List<StructValue> out = new ArrayList<>();
        for (ByteString b : entries) {
            out.add(struct(s, UnknownFieldSet.parseFrom(b)));
        }
        return out;
    }

    private static long[] packed(Kind element, ByteString b) throws IOException {
        CodedInputStream in = b.newCodedInput();
        long[] out = new long[b.size()];
        int n = 0;
        while (!in.isAtEnd()) {
            out[n++] = switch (element) {
                case U64 -> in.readFixed64();
                case I8, I16, I32, I64 -> in.readSInt64();
                default -> in.readUInt64();
            };
        }
        return Arrays.copyOf(out, n);
    }

    /** Every member but an absent section or a list has exactly one field. */
    private static <T> T only(List<T> values) {
        assertThat(values).hasSize(1);
        return values.get(0);
    }
}
