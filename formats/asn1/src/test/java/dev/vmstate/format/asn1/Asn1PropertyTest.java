package dev.vmstate.format.asn1;

import static dev.vmstate.format.asn1.Fixtures.BER;
import static dev.vmstate.format.asn1.Fixtures.DER;
import static dev.vmstate.format.asn1.Fixtures.read;
import static dev.vmstate.format.asn1.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.vmstate.error.VmstateException;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.Arbitraries;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.Properties;
import dev.vmstate.testkit.RecordPropertySuite;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The property tests of testkit's {@link RecordPropertySuite} for {@code asn1-der} (and, in
 * {@link Asn1BerPropertyTest}, {@code asn1-ber}), and the module's own: DER is canonical whatever
 * path a state took, and garbage after the envelope reads or fails cleanly in both.
 */
class Asn1PropertyTest extends RecordPropertySuite {
    static final List<WireFormat> BOTH = List.of(DER, BER);

    @Override
    protected WireFormat format() {
        return DER;
    }

    /** DER is canonical: BER's reading of the BER stream of a state, written as DER, is the DER stream. */
    @Test
    void derIsTheSameWhicheverPathTheStateTook() {
        Properties.qt().forAll(Arbitraries.states(WIDE)).checkAssert(tree -> {
            List<StreamRecord> records = EveryRecord.oneSection(WIDE, tree);
            byte[] der = write(DER, records);
            assertThat(write(DER, read(BER, write(BER, records)))).isEqualTo(der);
            assertThat(write(DER, read(DER, der))).isEqualTo(der);
        });
    }

    @Test
    void anyBytesAfterTheEnvelopeReadOrFailCleanly() {
        // Mostly identifier and length octets of this module, so the garbage often nests before it breaks.
        int[] common = {0x30, 0x31, 0xA0, 0xA1, 0xA2, 0x80, 0x81, 0x82, 0x84, 0x00, 0x02, 0x01, 0x04, 0x0C, 0x24,
            0x2C, 0x41, 0x62, 0x63, 0x64, 0x05, 0xFF, 0x7F};
        Gen<byte[]> garbage = lists().of(integers().between(0, 255 + common.length)).ofSizeBetween(0, 48).map(l -> {
            byte[] b = new byte[l.size()];
            for (int i = 0; i < b.length; i++) {
                int v = l.get(i);
                b[i] = (byte) (v > 255 ? common[v - 256] : v);
            }
            return b;
        });
        Properties.qt().forAll(garbage).checkAssert(body -> {
            for (WireFormat f : BOTH) {
                byte[] bytes = Fixtures.withEnvelope(f, body);
                try {
                    read(f, bytes);
                } catch (VmstateException e) {
                    assertThat(e.offset()).isBetween(0L, (long) bytes.length);
                    assertThat(e.format()).isEqualTo(f.name());
                }
            }
        });
    }
}
