package dev.vmstate.format.asn1;

import static dev.vmstate.format.asn1.Fixtures.DER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.testkit.StreamWriterSuite;
import dev.vmstate.tree.GenericState;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The writer contract of testkit's {@link StreamWriterSuite} for {@code asn1-der} (and, in
 * {@link Asn1BerStreamWriterTest}, for {@code asn1-ber}), and what is DER's own: lengths right
 * whatever the guess.
 */
class Asn1StreamWriterTest extends StreamWriterSuite {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Override
    protected WireFormat format() {
        return DER;
    }

    /** header [0] { 3, "m", '' }, then end [9] NULL. */
    @Override
    protected String endOfStreamHex() {
        return "a008" + "020103" + "0c016d" + "0400" + "8900";
    }

    @Test
    void derLengthsAreRightWhateverTheGuess() {
        // the writer guesses a state's length octets from the last state of its schema: make every guess wrong
        for (int n : new int[] {0, 100, 130, 300, 70_000, 10, 200, 0, 20_000_000}) {
            dev.vmstate.schema.Schema s = new dev.vmstate.schema.Schema("blob", 1, 1,
                    List.of(dev.vmstate.schema.Field.variable("b", dev.vmstate.visitor.Kind.BYTES)));
            java.util.Map<String, dev.vmstate.tree.StateTree> m = Map.of("b",
                    new dev.vmstate.tree.StateTree.BytesValue(dev.vmstate.visitor.Kind.BYTES, new byte[n]));
            out.reset();
            try (StreamWriter w = DER.openWriter(out, WriteOptions.defaults())) {
                w.write(StreamHeader.of(null, null));
                for (int k = 0; k < 2; k++) {
                    w.write(new DeviceSection(k, "blob", k, 1, true, s,
                            new GenericState(s, new dev.vmstate.tree.StateTree.StructValue("blob", m))));
                }
                w.write(new EndOfState());
            }
            byte[] b = out.toByteArray();
            int body = SampleStreams.bodyStart(b);
            assertThat(Tlv.writeAll(Tlv.parseAll(b, body), Tlv.Style.DER)).as("%d bytes", n)
                    .isEqualTo(java.util.Arrays.copyOfRange(b, body, b.length));
        }
    }
}
