package dev.vmstate.format.cbor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.spi.WireFormat;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.StreamMutations;
import dev.vmstate.testkit.StreamWriterSuite;
import dev.vmstate.tree.GenericState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer contract of testkit's {@link StreamWriterSuite}, and what is cbor's own. */
class CborStreamWriterTest extends StreamWriterSuite {
    @Override
    protected WireFormat format() {
        return Fixtures.FORMAT;
    }

    /** The end record is the last item: {"record": "end"}. */
    @Override
    protected String endOfStreamHex() {
        return "a166" + "7265636f7264" + "63" + "656e64";
    }

    @Test
    void manySchemasEachGetOneIdAndOneItemWhateverTheInstance() {
        // past the writer's linear table (16 ids): 24 distinct schemas, each as two equal instances
        List<StreamRecord> records = new java.util.ArrayList<>();
        records.add(StreamHeader.of("sample-pc", null));
        int section = 0;
        for (int copy = 0; copy < 2; copy++) {
            for (int k = 0; k < 24; k++) {
                dev.vmstate.schema.Schema schema = new dev.vmstate.schema.Schema("small" + k, 2, 1,
                        EveryRecord.SMALL.fields());
                records.add(new DeviceSection(section++, "small" + k, copy, 2, true, schema,
                        new GenericState(schema, EveryRecord.small(k, "copy " + copy))));
            }
        }
        records.add(new EndOfState());
        byte[] bytes = Fixtures.write(records);
        // one schema item per distinct schema: "record": "schema", "id": n
        for (int k = 0; k < 24; k++) {
            assertThat(StreamMutations.indexOf(bytes, TestCbor.seq("record", "schema", "id", k))).isPositive();
        }
        byte[] schemaItem = TestCbor.seq("record", "schema", "id");
        int items = 0;
        for (int i = 0; i + schemaItem.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + schemaItem.length, schemaItem, 0, schemaItem.length)) {
                items++;
            }
        }
        assertThat(items).isEqualTo(24);
        Fixtures.assertSameRecords(Fixtures.read(bytes), records);
    }
}
