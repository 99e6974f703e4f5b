package dev.vmstate.visitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.error.VmstateException;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TreeInVisitor's cursor over the tree's order, and its fallback when a visit leaves that order. */
class TreeInOrderTest {
    private static StructValue tree(String... names) {
        Map<String, StateTree> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], new IntValue(Kind.U8, i + 1));
        }
        return new StructValue("t", m);
    }

    @Test
    void aVisitInAnotherOrderStillLoadsEveryMember() {
        int[] got = new int[3];
        TreeInVisitor.load(tree("c", "a", "b"), (Visitable) v -> {
            got[0] = v.u8("a", 0);
            got[1] = v.u8("b", 0);
            got[2] = v.u8("c", 0);
        });
        assertThat(got).containsExactly(2, 3, 1);
    }

    @Test
    void aMemberVisitedTwiceIsRefusedInEitherMode() {
        assertThatThrownBy(() -> TreeInVisitor.load(tree("a", "b"), (Visitable) v -> {
            v.u8("a", 0);
            v.u8("a", 0);
        })).isInstanceOf(VmstateException.class).hasMessageContaining("a");
        assertThatThrownBy(() -> TreeInVisitor.load(tree("a", "b", "c"), (Visitable) v -> {
            v.u8("b", 0);
            v.u8("b", 0);
        })).isInstanceOf(VmstateException.class).hasMessageContaining("b");
    }

    @Test
    void membersNeverVisitedAreNamedInTreeOrder() {
        assertThatThrownBy(() -> TreeInVisitor.load(tree("a", "b", "c", "d"), (Visitable) v -> v.u8("a", 0)))
                .isInstanceOf(VmstateException.class).hasMessageContaining("b").hasMessageContaining("d");
        assertThatThrownBy(() -> TreeInVisitor.load(tree("a", "b", "c", "d"), (Visitable) v -> v.u8("c", 0)))
                .isInstanceOf(VmstateException.class).hasMessageContaining("a").hasMessageContaining("d")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\"c\""));
    }
}
