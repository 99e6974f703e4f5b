package dev.vmstate.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.compat.CompatChain;
import dev.vmstate.compat.Conversion;
import dev.vmstate.error.LossyDowngradeException;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitables;
import dev.vmstate.visitor.Visitor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worked example of docs/compat.md, compiled and run: version 2 of a device renames a field,
 * widens another and adds a third, and one step says so.
 */
class CompatGuideExampleTest {
    // --- the example, as docs/compat.md shows it -------------------------------------------
    /** Version 2. Version 1 called {@code divider} "divisor", held {@code rx_count} in 16 bits and had no {@code scratch}. */
    static final class Uart implements Visitable {
        int divider = 12;
        long rxCount;
        int scratch;

        @Override
        public void visit(Visitor v) {
            divider = v.u16("divider", divider);
            rxCount = v.u32("rx_count", rxCount);
            scratch = v.u8("scratch", scratch);
        }
    }

    static final DeviceType<Uart> TYPE = DeviceType.of("doc-uart", 2, 1, "the compat guide's UART",
            Uart.class, Uart::new)
            .withHistory(current -> CompatChain.of(current)
                    .step(1, s -> s.rename("divisor", "divider")
                            .retype("rx_count", Kind.U16, Kind.U32)
                            .add("scratch", Kind.U8, 0))
                    .build());
    // ------------------------------------------------------------------------------------------

    private static StructValue v1(long divisor, long rxCount) {
        Map<String, dev.vmstate.tree.StateTree> m = new LinkedHashMap<>();
        m.put("divisor", new IntValue(Kind.U16, divisor));
        m.put("rx_count", new IntValue(Kind.U16, rxCount));
        return new StructValue("doc-uart", m);
    }

    @Test
    void versionOnesSchemaIsTheOldLayout() {
        Schema v1 = TYPE.compat().schemaAt(1);
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v1.members()).extracting(f -> f.name() + ":" + f.kind())
                .containsExactly("divisor:" + Kind.U16, "rx_count:" + Kind.U16);
    }

    @Test
    void aVersionOneStateUpgradesAndComesBack() {
        StructValue up = TYPE.compat().upgrade(v1(12, 7), 1);
        Uart uart = Visitables.fromTree(up, new Uart());
        assertThat(uart.divider).isEqualTo(12);
        assertThat(uart.rxCount).isEqualTo(7);
        assertThat(uart.scratch).isZero();
        Conversion down = TYPE.compat().downgrade(up, 1, false);
        assertThat(down.tree()).isEqualTo(v1(12, 7));
        assertThat(down.lossless()).isTrue();
    }

    @Test
    void aValueVersionOneCannotHoldFailsTheDowngrade() {
        Uart uart = new Uart();
        uart.rxCount = 70_000; // more than 16 bits
        StructValue tree = Visitables.toTree("doc-uart", uart);
        assertThatThrownBy(() -> TYPE.compat().downgrade(tree, 1, false))
                .isInstanceOf(LossyDowngradeException.class)
                .hasMessageContaining("70000").hasMessageContaining("version 1").hasMessageContaining("rx_count");
    }
}
