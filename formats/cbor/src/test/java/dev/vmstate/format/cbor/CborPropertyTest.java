package dev.vmstate.format.cbor;

import static dev.vmstate.format.cbor.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.vmstate.spi.WireFormat;
import dev.vmstate.testkit.Properties;
import dev.vmstate.testkit.RecordPropertySuite;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The property tests of testkit's {@link RecordPropertySuite}, and cbor's own garbage. */
class CborPropertyTest extends RecordPropertySuite {
    @Override
    protected WireFormat format() {
        return Fixtures.FORMAT;
    }

    @Test
    void anyBytesAfterTheEnvelopeReadOrFailCleanly() {
        // Mostly initial bytes of short items, so the garbage often nests and runs deep before it breaks.
        Gen<byte[]> garbage = lists().of(integers().between(0, 255)).ofSizeBetween(0, 48).map(l -> {
            byte[] b = new byte[l.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (int) l.get(i);
            }
            return b;
        });
        Properties.qt().forAll(garbage).checkAssert(body -> {
            byte[] bytes = CborMalformedInputTest.withEnvelope(body);
            try {
                read(bytes);
            } catch (dev.vmstate.error.VmstateException e) {
                assertThat(e.offset()).isBetween(0L, (long) bytes.length);
                assertThat(e.format()).isEqualTo("cbor");
            }
        });
    }
}
