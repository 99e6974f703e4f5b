package dev.vmstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.DescribeVisitor;
import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class RoundTripTest {

    static final class Queue implements Visitable {
        int num;
        long desc;
        boolean enabled;

        @Override
        public void visit(Visitor v) {
            num = v.u16("num", num);
            desc = v.u64("desc", desc, Hint.HEX);
            enabled = v.bool("enabled", enabled);
        }
    }

    static final class Good implements Visitable {
        int status;
        String serial = "";
        byte[] config = new byte[0];
        long[] inflight = new long[0];
        List<Queue> queues = new ArrayList<>();
        double rate;

        @Override
        public void visit(Visitor v) {
            status = v.u8("status", status);
            serial = v.str("serial", serial);
            config = v.bytes("config", config);
            rate = v.f64("rate", rate);
            queues = v.list("queues", queues, Queue::new);
            v.section("good/inflight", inflight.length > 0,
                    s -> inflight = s.varray("heads", Kind.U16, inflight));
        }
    }

    /** Broken on purpose: loading forgets the top bit of 'status'. */
    static final class Lossy implements Visitable {
        int status;

        @Override
        public void visit(Visitor v) {
            int s = v.u8("status", status);
            status = v.isInput() ? s & 0x7F : s;
        }
    }

    @Test
    void wellBehavedDevicePassesEveryProperty() {
        RoundTrip.check("good", Good::new);
    }

    @Test
    void lossyLoadIsCaughtAndShrunk() {
        assertThatThrownBy(() -> RoundTrip.check("lossy", Lossy::new))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("lossy.status");
    }

    @Test
    void generatedStatesFitTheSchema() {
        Schema schema = DescribeVisitor.describe("good", 1, 1, new Good());
        Gen<StructValue> gen = Arbitraries.states(schema);
        Properties.qt().forAll(gen).checkAssert(tree -> {
            assertThat(dev.vmstate.schema.StructureValidator.conforms("good", tree, schema)).isNull();
            StructValue q = tree;
            assertThat(((dev.vmstate.tree.StateTree.IntValue) q.get("status")).value()).isBetween(0L, 255L);
        });
    }
}
