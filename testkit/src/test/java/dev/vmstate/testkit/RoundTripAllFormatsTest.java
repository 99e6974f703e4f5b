package dev.vmstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.spi.Formats;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitables;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoundTripAllFormatsTest {
    /** Writes every top-level u8 of a section off by one. */
    static final class OffByOne extends BrokenFormats.Delegating {
        @Override
        public StreamWriter openWriter(OutputStream out, WriteOptions options) {
            StreamWriter w = good.openWriter(out, options);
            return new StreamWriter() {
                @Override
                public void write(dev.vmstate.stream.StreamRecord r) {
                    if (r instanceof DeviceSection s) {
                        Map<String, StateTree> m = new LinkedHashMap<>();
                        Visitables.toTree(s.idstr(), s.state()).members().forEach((k, v) -> m.put(k,
                                v instanceof IntValue i && i.kind() == Kind.U8 ? new IntValue(Kind.U8, i.value() ^ 1) : v));
                        r = new DeviceSection(s.sectionId(), s.idstr(), s.instanceId(), s.version(), s.footer(),
                                s.schema(), new GenericState(s.schema(), new StructValue(s.idstr(), m)));
                    }
                    w.write(r);
                }

                @Override
                public void close() {
                    w.close();
                }
            };
        }
    }

    @Test
    void theTestFormatIsOnTheTestClassPath() {
        assertThat(Formats.builtIn().all()).extracting(f -> f.format().name()).containsExactly(TestFormat.NAME);
    }

    // example:allformats
    @Test
    void deviceRoundTripsThroughEveryFormat() {
        RoundTrip.checkAllFormats("good", RoundTripTest.Good::new);
    }
    // end:allformats

    @Test
    void aLossyFormatIsNamed() {
        assertThatThrownBy(() -> RoundTrip.checkAllFormats("good", RoundTripTest.Good::new, Set.of(),
                List.<WireFormat>of(new TestFormat(), new OffByOne())))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("[test-tlv] write -> read changed 1 value(s)")
                .hasMessageContaining("good.status");
    }

    @Test
    void noFormatIsAClearFailure() {
        assertThatThrownBy(() -> RoundTrip.checkAllFormats("good", RoundTripTest.Good::new, Set.of(), List.of()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no wire format on the class path")
                .hasMessageContaining("test dependencies");
    }
}
