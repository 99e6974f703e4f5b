package dev.vmstate.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.error.MustUnderstandException;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.DescribeVisitor;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitables;
import dev.vmstate.visitor.Visitor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** #6: what a reader does with members a newer writer added and it does not know. */
class UnknownMembersTest {
    /** This build's device. */
    static final class Old implements Visitable {
        int ctrl = 1;
        List<Queue> queues = new ArrayList<>(List.of(new Queue(), new Queue()));
        int pending;

        @Override
        public void visit(Visitor v) {
            ctrl = v.u8("ctrl", ctrl);
            queues = v.list("queues", queues, Queue::new);
            v.section("dev/pending", pending != 0, w -> pending = w.u16("pending", pending));
        }
    }

    static class Queue implements Visitable {
        int head = 3;

        @Override
        public void visit(Visitor v) {
            head = v.u16("head", head);
        }
    }

    /** The same version from a newer build: a field and two sections more, one of each kind of each. */
    static final class Newer implements Visitable {
        int ctrl = 1;
        int extra = 9;
        int critical = 7;
        List<Queue> queues = new ArrayList<>(List.of(new NewerQueue(), new NewerQueue()));
        int pending = 5;
        boolean wol;
        boolean inflight;
        boolean criticalField;

        @Override
        public void visit(Visitor v) {
            ctrl = v.u8("ctrl", ctrl);
            extra = v.u8("extra", extra);
            if (criticalField) {
                critical = v.mustUnderstand().u8("critical", critical);
            }
            queues = v.list("queues", queues, NewerQueue::new);
            v.section("dev/pending", pending != 0, w -> pending = w.u16("pending", pending));
            v.section("dev/wol", wol, w -> w.u8("pattern", 1));
            v.mustUnderstand().section("dev/inflight", inflight, w -> w.u16("heads", 2));
        }
    }

    static final class NewerQueue extends Queue {
        @Override
        public void visit(Visitor v) {
            super.visit(v);
            v.u32("used_idx", 4);
        }
    }

    private static final Schema OLD = DescribeVisitor.describe("dev", 2, 1, new Old());

    private static UnknownMembers.Projection project(Newer n) {
        Schema schema = DescribeVisitor.describe("dev", 2, 1, n);
        StructValue tree = Visitables.toTree("dev", n);
        return UnknownMembers.project(schema, tree, OLD, "dev/0");
    }

    @Test
    void optionalUnknownMembersAreSkippedAndNamed() {
        Newer n = new Newer();
        n.wol = true;
        UnknownMembers.Projection p = project(n);
        assertThat(p.skipped()).containsExactly("dev.extra", "dev.queues[0].used_idx", "dev.queues[1].used_idx",
                "dev.dev/wol");
        Old loaded = Visitables.fromTree(p.tree(), new Old());
        assertThat(loaded.ctrl).isEqualTo(1);
        assertThat(loaded.queues).hasSize(2);
        assertThat(loaded.pending).isEqualTo(5);
        assertThat(p.tree()).isEqualTo(Visitables.toTree("dev", loaded));
    }

    @Test
    void anAbsentMustUnderstandSectionIsNoProblem() {
        assertThat(project(new Newer()).skipped()).doesNotContain("dev.dev/inflight");
    }

    @Test
    void aPresentMustUnderstandSectionIsRefusedWithItsPath() {
        Newer n = new Newer();
        n.inflight = true;
        assertThatThrownBy(() -> project(n)).isInstanceOf(MustUnderstandException.class)
                .hasMessageContaining("unknown must-understand section dev.dev/inflight")
                .hasMessageContaining("dev v2")
                .satisfies(e -> assertThat(((MustUnderstandException) e).section()).isEqualTo("dev/0"));
    }

    @Test
    void aMustUnderstandFieldIsAlwaysRefused() {
        Newer n = new Newer();
        n.criticalField = true;
        n.critical = 0; // even at its zero value: a field is always there
        assertThatThrownBy(() -> project(n)).isInstanceOf(MustUnderstandException.class)
                .hasMessageContaining("unknown must-understand field dev.critical");
    }

    @Test
    void otherDifferencesAreNotProjected() {
        StructValue tree = Visitables.toTree("dev", new Old());
        // a field this build needs is missing
        Schema lacking = DescribeVisitor.describe("dev", 2, 1, (Visitable) v -> {
            v.list("queues", new ArrayList<>(List.of(new Queue(), new Queue())), Queue::new);
        });
        assertThat(UnknownMembers.project(lacking, Visitables.toTree("dev", (Visitable) v ->
                v.list("queues", new ArrayList<>(List.of(new Queue(), new Queue())), Queue::new)), OLD, "dev/0")).isNull();
        // a known field of another kind
        Schema retyped = DescribeVisitor.describe("dev", 2, 1, (Visitable) v -> {
            v.u16("ctrl", 1);
            v.list("queues", new ArrayList<>(List.of(new Queue())), Queue::new);
        });
        assertThat(UnknownMembers.project(retyped, tree, OLD, "dev/0")).isNull();
        // known fields in another order
        Schema reordered = DescribeVisitor.describe("dev", 2, 1, (Visitable) v -> {
            v.list("queues", new ArrayList<>(List.of(new Queue())), Queue::new);
            v.u8("ctrl", 1);
        });
        assertThat(UnknownMembers.project(reordered, tree, OLD, "dev/0")).isNull();
        // the same schema projects onto itself unchanged
        assertThat(UnknownMembers.project(OLD, tree, OLD, "dev/0").tree()).isEqualTo(tree);
    }
}
