package dev.vmstate.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.error.LossyDowngradeException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.testkit.CompatPropertySuite.Converted;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The compat suite passes a correct history and fails each broken one with a message naming the
 * property and the versions. The history is written by hand here (testkit cannot see
 * compat-filters): the compat guide's UART, whose version 1 called {@code divider}
 * {@code divisor}, held {@code rx_count} in 16 bits and had no {@code scratch}.
 */
class CompatPropertySuiteTest {
    static final Schema V1 = new Schema("doc-uart", 1, 1, List.of(
            Field.scalar("divisor", Kind.U16, null), Field.scalar("rx_count", Kind.U16, null)));
    static final Schema V2 = new Schema("doc-uart", 2, 1, List.of(
            Field.scalar("divider", Kind.U16, null), Field.scalar("rx_count", Kind.U32, null),
            Field.scalar("scratch", Kind.U8, null)));

    /** What the history gets wrong; each shows in every try, so the tests do not depend on the seed. */
    enum Bug { NONE, DOWNGRADE_FLIPS_DIVIDER, UPGRADE_SETS_SCRATCH, ALWAYS_LOSES, STEPS_DIFFER }

    /** The UART's history, with {@code bug}; {@code newest} 1 is the history cut off at version 1. */
    record Uart(Bug bug, int newest) implements CompatPropertySuite.History {
        @Override
        public String type() {
            return "doc-uart";
        }

        @Override
        public int minimumVersion() {
            return 1;
        }

        @Override
        public int version() {
            return newest;
        }

        @Override
        public Schema schemaAt(int v) {
            return v == 1 ? V1 : V2;
        }

        @Override
        public Converted upgrade(StructValue tree, int fromVersion, boolean allowLoss) {
            if (fromVersion == newest) {
                return new Converted(tree, List.of());
            }
            List<String> losses = new ArrayList<>();
            if (bug == Bug.ALWAYS_LOSES) {
                lose(losses, allowLoss, "scratch", 0);
            }
            Map<String, StateTree> m = new LinkedHashMap<>();
            m.put("divider", tree.get("divisor"));
            m.put("rx_count", new IntValue(Kind.U32, ((IntValue) tree.get("rx_count")).value()));
            m.put("scratch", new IntValue(Kind.U8, bug == Bug.UPGRADE_SETS_SCRATCH ? 1 : 0));
            return new Converted(new StructValue("doc-uart", m), losses);
        }

        @Override
        public Converted downgrade(StructValue tree, int toVersion, boolean allowLoss) {
            if (toVersion == newest) {
                return new Converted(tree, List.of());
            }
            List<String> losses = new ArrayList<>();
            long rx = ((IntValue) tree.get("rx_count")).value();
            if (rx > 0xFFFF) {
                lose(losses, allowLoss, "rx_count", rx);
            }
            long scratch = ((IntValue) tree.get("scratch")).value();
            if (scratch != 0) {
                lose(losses, allowLoss, "scratch", scratch);
            }
            Map<String, StateTree> m = new LinkedHashMap<>();
            long divider = ((IntValue) tree.get("divider")).value();
            m.put("divisor", new IntValue(Kind.U16, bug == Bug.DOWNGRADE_FLIPS_DIVIDER ? divider ^ 1 : divider));
            m.put("rx_count", new IntValue(Kind.U16, Math.min(rx, 0xFFFF)));
            return new Converted(new StructValue("doc-uart", m), losses);
        }

        private static void lose(List<String> losses, boolean allowLoss, String field, long value) {
            if (!allowLoss) {
                throw new LossyDowngradeException("would lose " + value, value, 1);
            }
            losses.add("doc-uart." + field + ": " + value);
        }

        @Override
        public CompatPropertySuite.History endingAt(int v) {
            return bug == Bug.STEPS_DIFFER ? new Uart(Bug.UPGRADE_SETS_SCRATCH, newest) : new Uart(bug, v);
        }

        @Override
        public Set<String> movedSections() {
            return Set.of();
        }
    }

    private static CompatPropertySuite suite(Bug bug) {
        return CompatPropertySuite.of(new Uart(bug, 2), List.of(new TestFormat()));
    }

    private static void fails(Executable check, String... messageParts) {
        assertThatThrownBy(check::execute).isInstanceOf(AssertionError.class).hasMessageContainingAll(messageParts);
    }

    @Test
    void aCorrectHistoryPassesEveryProperty() {
        assertThatCode(() -> suite(Bug.NONE).checkAll()).doesNotThrowAnyException();
    }

    @Test
    void aDowngradeThatChangesAValueSilentlyBreaksUpOfDown() {
        fails(suite(Bug.DOWNGRADE_FLIPS_DIVIDER)::upgradeUndoesALosslessDowngrade, "doc-uart v2 -> v1 -> v2 changed",
                "doc-uart.divider");
    }

    @Test
    void anUpgradeThatInventsAValueBreaksDownOfUp() {
        fails(suite(Bug.UPGRADE_SETS_SCRATCH)::downgradeUndoesALosslessUpgrade,
                "doc-uart v1 -> v2 -> v1: the downgrade of a lossless upgrade", "reported 1 loss(es)",
                "doc-uart.scratch: 1");
    }

    @Test
    void aHistoryThatAlwaysLosesCannotPassVacuously() {
        fails(suite(Bug.ALWAYS_LOSES)::downgradeUndoesALosslessUpgrade, "doc-uart v1 -> v2 -> v1",
                "tries lost a value and were skipped");
    }

    @Test
    void stepsThatDisagreeWithTheDirectConversionAreCaught() {
        fails(suite(Bug.STEPS_DIFFER)::directConversionEqualsStepByStep, "doc-uart v1 -> v2",
                "step by step");
    }
}
