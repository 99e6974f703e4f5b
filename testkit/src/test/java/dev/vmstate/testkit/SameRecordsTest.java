package dev.vmstate.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.schema.Schema;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.visitor.DescribeVisitor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SameRecordsTest {
    static final Schema SCHEMA = DescribeVisitor.describe("everykind", 3, 1, new EveryKind());

    static List<StreamRecord> stream(EveryKind state, Schema schema) {
        return List.of(StreamHeader.of("m", null), new DeviceSection(0, "dev", 0, 3, true, schema, state),
                new EndOfState());
    }

    @Test
    void equalStreamsPassAndEveryKindOfDifferenceFails() {
        assertThatCode(() -> SampleStreams.assertSameRecords(stream(new EveryKind(), SCHEMA),
                stream(new EveryKind(), SCHEMA))).doesNotThrowAnyException();
        EveryKind changed = new EveryKind();
        changed.u16 = 1;
        assertThatThrownBy(() -> SampleStreams.assertSameRecords(stream(new EveryKind(), SCHEMA), stream(changed, SCHEMA)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("dev.u16");
        assertThatThrownBy(() -> SampleStreams.assertSameRecords(stream(new EveryKind(), SCHEMA),
                stream(new EveryKind(), SCHEMA.withVersions(3, 2))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("header or schema");
        assertThatThrownBy(() -> SampleStreams.assertSameRecords(stream(new EveryKind(), SCHEMA),
                stream(new EveryKind(), SCHEMA).subList(0, 2)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("expected 3 records, read 2");
    }
}
