package dev.vmstate.format.protobuf;

import static dev.vmstate.format.protobuf.Fixtures.read;
import static dev.vmstate.format.protobuf.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.format.protobuf.internal.Record;
import dev.vmstate.format.protobuf.internal.SchemaRecord;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.SchemaSource;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.SampleStreams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Schemas by reference ({@link WriteOptions#withSchemasByReference}, as in {@code cbor}): a schema
 * record carries the schema's SHA-256 fingerprint (field 3) instead of the schema, and the reader
 * takes the schema from {@link ReadOptions#schemas()}, checked against the fingerprint.
 */
class ProtobufSchemaReferenceTest {
    private static final WriteOptions BY_REFERENCE = WriteOptions.defaults().withSchemasByReference(true);

    /** What a registry would answer: the schema each device section of {@code records} was written with. */
    private static SchemaSource registryOf(List<StreamRecord> records) {
        Map<String, Schema> byIdstr = new HashMap<>();
        for (StreamRecord r : records) {
            if (r instanceof DeviceSection d) {
                byIdstr.put(d.idstr(), d.schema());
            }
        }
        return (idstr, instanceId, version) -> byIdstr.get(idstr);
    }

    private static List<StreamRecord> readWith(byte[] bytes, SchemaSource schemas) {
        return read(ByteSource.of(bytes), ReadOptions.defaults().withSchemas(schemas));
    }

    @Test
    void aStreamBySchemaReferenceReadsBackTheSameRecordsAndIsSmaller() {
        List<StreamRecord> records = EveryRecord.stream(true);
        byte[] embedded = write(records);
        byte[] referenced = write(records, BY_REFERENCE);

        Fixtures.assertSameRecords(readWith(referenced, registryOf(records)), records);
        assertThat(referenced.length).isLessThan(embedded.length - 500);
        // the schema record: Record field 2, SchemaRecord field 3 (fingerprint), 32 bytes
        assertThat(Fixtures.hex(referenced)).contains("1222" + "1a20"
                + Fixtures.hex(Envelope.fingerprint(List.of(EveryRecord.EVERY_KIND))));
        // rewriting either way gives the bytes of a direct write
        assertThat(write(readWith(referenced, registryOf(records)), BY_REFERENCE)).isEqualTo(referenced);
        assertThat(write(readWith(referenced, registryOf(records)))).isEqualTo(embedded);
        assertThat(write(read(embedded), BY_REFERENCE)).isEqualTo(referenced);
        ProtobufWireTest.everyRecordIsProtobufJavasOwnSerialization(referenced);
    }

    @Test
    void everyInputShapeReadsTheSameRecords() {
        List<StreamRecord> records = EveryRecord.stream(true);
        byte[] referenced = write(records, BY_REFERENCE);
        ReadOptions options = ReadOptions.defaults().withSchemas(registryOf(records));
        Fixtures.assertSameRecords(SampleStreams.read(Fixtures.FORMAT,
                ByteSource.of(SampleStreams.oneByteAtATime(referenced)), options), records);
    }

    @Test
    void withoutTheSchemaTheReaderSaysWhatItNeeds() {
        List<StreamRecord> records = EveryRecord.stream(true);
        byte[] referenced = write(records, BY_REFERENCE);
        SchemaMismatchException e = catchThrowableOfType(SchemaMismatchException.class, () -> read(referenced));
        assertThat(e.getOriginalMessage()).startsWith("the stream carries the schema of this section by reference"
                + " (fingerprint " + Fixtures.hex(Envelope.fingerprint(List.of(EveryRecord.EVERY_KIND))).substring(0, 16)
                + "), and this reader knows no schema for com1 at version 3");
        assertThat(e.section()).isEqualTo("com1/0");
        assertThat(e.offset()).isEqualTo(ProtobufCrcTest.recordStarts(write(records))[5]
                + ProtobufWireTest.messages(referenced).get(5).length + 1);
        assertThat(e.format()).isEqualTo("protobuf");
    }

    @Test
    void aDifferentSchemaOfTheSameNameAndVersionIsRefused() {
        List<StreamRecord> records = EveryRecord.stream(true);
        byte[] referenced = write(records, BY_REFERENCE);
        List<Field> fields = new ArrayList<>(EveryRecord.SMALL.fields());
        fields.remove(fields.size() - 1);
        Schema older = new Schema(EveryRecord.SMALL.name(), EveryRecord.SMALL.version(), EveryRecord.SMALL.minimumVersion(),
                fields);
        SchemaSource others = registryOf(records);
        SchemaSource registry = (idstr, instanceId, version) -> idstr.equals("small0") ? older
                : others.find(idstr, instanceId, version);
        SchemaMismatchException e = catchThrowableOfType(SchemaMismatchException.class,
                () -> readWith(referenced, registry));
        assertThat(e.getOriginalMessage()).matches("the stream's schema of this section \\(fingerprint [0-9a-f]{16}\\)"
                + " is not this reader's schema of small0 at version 2 \\(fingerprint [0-9a-f]{16}\\): .*");
        assertThat(e.section()).isEqualTo("small0/0");
    }

    @Test
    void aFingerprintOfTheWrongLengthIsMalformed() {
        byte[] stream = TestProto.stream(TestProto.header(), Record.newBuilder().setSchema(SchemaRecord.newBuilder()
                .setFingerprint(ByteString.copyFrom(new byte[31]))), TestProto.end());
        MalformedStreamException e = catchThrowableOfType(MalformedStreamException.class, () -> read(stream));
        assertThat(e.getOriginalMessage()).isEqualTo("invalid schema: a fingerprint of 31 bytes; a SHA-256 has 32");
    }
}
