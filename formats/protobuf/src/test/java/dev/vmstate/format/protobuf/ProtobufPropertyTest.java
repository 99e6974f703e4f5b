package dev.vmstate.format.protobuf;

import static dev.vmstate.format.protobuf.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.vmstate.spi.WireFormat;
import dev.vmstate.testkit.Properties;
import dev.vmstate.testkit.RecordPropertySuite;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The property tests of testkit's {@link RecordPropertySuite}, and protobuf's own garbage. */
class ProtobufPropertyTest extends RecordPropertySuite {
    @Override
    protected WireFormat format() {
        return Fixtures.FORMAT;
    }

    @Test
    void anyBytesAfterAHeaderReadOrFailCleanly() {
        // Mostly bytes below 0xA0: short lengths and the tags of records and states, so the garbage often
        // parses a while, as records and nested messages, before it breaks.
        Gen<byte[]> garbage = lists().of(integers().between(0, 0x9F)).ofSizeBetween(0, 48).map(l -> {
            byte[] b = new byte[l.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (int) l.get(i);
            }
            return b;
        });
        Properties.qt().forAll(garbage).checkAssert(body -> {
            for (byte[] bytes : List.of(TestProto.withEnvelope(body), TestProto.stream(TestProto.header(), body))) {
                try {
                    read(bytes);
                } catch (dev.vmstate.error.VmstateException e) {
                    assertThat(e.offset()).isBetween(0L, (long) bytes.length);
                    assertThat(e.format()).isEqualTo("protobuf");
                }
            }
        });
    }
}
