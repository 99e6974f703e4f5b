package dev.vmstate.format.cbor;

import static dev.vmstate.format.cbor.Fixtures.read;
import static dev.vmstate.format.cbor.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.SchemaMismatchException;
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
import dev.vmstate.testkit.StreamMutations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Schemas by reference (#4, {@link WriteOptions#withSchemasByReference}): a schema item carries
 * the schema's SHA-256 fingerprint instead of the schema, and the reader takes the schema from
 * {@link ReadOptions#schemas()}, checked against the fingerprint.
 */
class CborSchemaReferenceTest {
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
        // every schema item is 3 keys, the id and a 32-byte fingerprint: the schemas themselves are gone
        assertThat(referenced.length).isLessThan(embedded.length - 1000);
        assertThat(Fixtures.hex(referenced)).contains("6b66696e6765727072696e74" + "5820"
                + Fixtures.hex(Envelope.fingerprint(List.of(EveryRecord.EVERY_KIND))));
        // rewriting either way gives the bytes of a direct write
        assertThat(write(readWith(referenced, registryOf(records)), BY_REFERENCE)).isEqualTo(referenced);
        assertThat(write(readWith(referenced, registryOf(records)))).isEqualTo(embedded);
        assertThat(write(read(embedded), BY_REFERENCE)).isEqualTo(referenced);
    }

    @Test
    void everyInputShapeReadsTheSameRecords() {
        List<StreamRecord> records = EveryRecord.stream(true);
        byte[] referenced = write(records, BY_REFERENCE);
        ReadOptions options = ReadOptions.defaults().withSchemas(registryOf(records));
        // the general path (one byte at a time through jackson's parser) and the fast path agree
        Fixtures.assertSameRecords(SampleStreams.read(Fixtures.FORMAT, ByteSource.of(SampleStreams.oneByteAtATime(referenced)),
                options), records);
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
        assertThat(e.offset()).isEqualTo(StreamMutations.indexOf(referenced,
                TestCbor.seq(TestCbor.raw(0xA8), "record", "device", "section_id", 0)));
        assertThat(e.format()).isEqualTo("cbor");
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
        byte[] stream = TestCbor.stream(TestCbor.header(),
                TestCbor.map("record", "schema", "id", 0, "fingerprint", new byte[31]), TestCbor.end());
        MalformedStreamException e = catchThrowableOfType(MalformedStreamException.class, () -> read(stream));
        assertThat(e.getOriginalMessage()).contains("a fingerprint of 31 bytes; a SHA-256 has 32");
    }
}
