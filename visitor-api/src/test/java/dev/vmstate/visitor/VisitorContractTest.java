package dev.vmstate.visitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.binary.BinaryBody;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.error.StreamWriteException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.Difference;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class VisitorContractTest {

    private static AllKinds busy() {
        AllKinds d = new AllKinds();
        d.flag = true;
        d.queues.add(new AllKinds.Inner());
        d.queues.get(0).count = 9;
        d.pair[1].addr = 0xFEE0_0000L;
        d.fixed[2] = 7;
        d.pending = 5;
        d.u8 = 0xC6;
        return d;
    }

    @Test
    void savingU8OutOfRangeNamesThePathAndTheValue() {
        AllKinds d = busy();
        d.u8 = 256;
        assertThatThrownBy(() -> Visitables.toTree("dev", d))
                .isInstanceOf(StreamWriteException.class)
                .satisfies(e -> assertThat(((VmstateException) e).path()).isEqualTo("u8"))
                .hasMessageContaining("invalid value 256 for uint8, expected 0..255");
        assertThatThrownBy(() -> BinaryBody.save(d)).isInstanceOf(StreamWriteException.class);
        assertThatThrownBy(() -> RecordingVisitor.record(d)).isInstanceOf(StreamWriteException.class);
    }

    @Test
    void nestedRangeErrorsCarryTheFullPath() {
        AllKinds d = busy();
        d.queues.add(new AllKinds.Inner());
        d.queues.get(1).count = 70000;
        VmstateException e = (VmstateException) org.assertj.core.api.Assertions.catchThrowable(() -> BinaryBody.save(d));
        assertThat(e.path()).isEqualTo("queues[1].count");
        assertThat(e.getMessage()).isEqualTo("invalid value 70000 for uint16, expected 0..65535\n at queues[1].count");
        assertThat(e.getOriginalMessage()).isEqualTo("invalid value 70000 for uint16, expected 0..65535");

        d.queues.get(1).count = 1;
        d.regs[2] = -1;
        e = (VmstateException) org.assertj.core.api.Assertions.catchThrowable(() -> Visitables.toTree("dev", d));
        assertThat(e.path()).isEqualTo("regs[2]");
    }

    @Test
    void treeRoundTripGivesAnEmptyDiff() {
        AllKinds d = busy();
        StructValue tree = Visitables.toTree("dev", d);
        AllKinds back = Visitables.fromTree(tree, new AllKinds());
        assertThat(Visitables.diff("dev", d, back)).isEmpty();
        assertThat(Visitables.toTree("dev", back)).isEqualTo(tree);
        assertThat(tree.get("allkinds/pending")).isNotNull();
    }

    @Test
    void binaryRoundTripIsByteStable() {
        AllKinds d = busy();
        byte[] body = BinaryBody.save(d);
        AllKinds back = BinaryBody.load(body, new AllKinds());
        assertThat(Visitables.diff("dev", d, back)).isEmpty();
        assertThat(BinaryBody.save(back)).isEqualTo(body);
    }

    @Test
    void cloneEqualsOriginalAndIsIndependent() {
        AllKinds d = busy();
        AllKinds c = Visitables.clone(d, AllKinds::new);
        assertThat(Visitables.diff("dev", d, c)).isEmpty();
        c.fixed[0] = 99;
        assertThat(d.fixed[0]).isZero();
    }

    @Test
    void diffNamesEveryDifferingPathWithBothValues() {
        AllKinds a = busy();
        AllKinds b = busy();
        b.u16 = 1;
        b.fixed[3] = 0x42;
        b.pair[1].count = 3;
        b.pending = 0;
        b.queues.add(new AllKinds.Inner());
        List<Difference> diff = Visitables.diff("dev", a, b);
        assertThat(diff).extracting(Difference::path).containsExactly(
                "dev.u16", "dev.fixed[3]", "dev.pair[1].count", "dev.queues[1]", "dev.allkinds/pending");
        assertThat(diff.get(0).left()).hasToString("60000");
        assertThat(diff.get(0).right()).hasToString("1");
        assertThat(diff.get(4).right()).isNull();
    }

    @Test
    void recordingVisitorListsEveryEvent() {
        AllKinds.Inner inner = new AllKinds.Inner();
        inner.count = 4;
        assertThat(RecordingVisitor.record(inner)).containsExactly(Event.u16("count", 4), Event.u64("addr", 0));
        List<Event> events = RecordingVisitor.record(busy());
        assertThat(events).contains(
                Event.listStart("pair", 2), Event.structStart("pair"), Event.listEnd(),
                Event.enumeration("link", AllKinds.Link.UP),
                Event.buffer("fixed", new byte[] {0, 0, 7, 0}),
                Event.varray("vlans", 10, 20),
                Event.sectionStart("allkinds/pending", 1), Event.i32("pending", 5), Event.sectionEnd());
        assertThat(RecordingVisitor.record(new AllKinds())).endsWith(Event.sectionAbsent("allkinds/pending"));
    }

    @Test
    void describeGivesEveryKindAndHint() {
        Schema s = Visitables.describe("allkinds", 1, 1, new AllKinds());
        assertThat(s.fields()).extracting(f -> f.name()).containsExactly("flag", "i8", "i16", "i32", "i64", "u8",
                "u16", "u32", "u64", "f64", "name", "blob", "fixed", "regs", "vlans", "inner", "pair", "queues", "link");
        assertThat(s.sections()).extracting(f -> f.name()).containsExactly("allkinds/pending");
        assertThat(s.member("fixed").size()).isEqualTo(4);
        assertThat(s.member("regs").length()).isEqualTo(3);
        assertThat(s.member("pair").length()).isEqualTo(2);
        assertThat(s.member("pair").struct().name()).isEqualTo("inner");
        assertThat(s.member("pair").struct().version()).isEqualTo(2);
        assertThat(s.member("u32").hint()).isEqualTo(Hint.HEX);
        assertThat(s.member("link").enumNames()).containsEntry(7L, "NEGOTIATING");
        // describe does not depend on the state
        assertThat(Visitables.describe("allkinds", 1, 1, busy())).isEqualTo(s);
    }

    @Test
    void treeInIsStrictAboutKindsAndMembers() {
        StructValue good = Visitables.toTree("dev", busy());
        java.util.Map<String, dev.vmstate.tree.StateTree> m = new java.util.LinkedHashMap<>(good.members());
        m.put("u16", new dev.vmstate.tree.StateTree.IntValue(Kind.U32, 5));
        assertThatThrownBy(() -> Visitables.fromTree(new StructValue("dev", m), new AllKinds()))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessage("found uint32, expected uint16\n at u16");
        m.put("u16", new dev.vmstate.tree.StateTree.IntValue(Kind.U16, 5));
        m.put("extra", new dev.vmstate.tree.StateTree.BoolValue(true));
        assertThatThrownBy(() -> Visitables.fromTree(new StructValue("dev", m), new AllKinds()))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("unknown field(s) extra");
        m.remove("extra");
        m.remove("name");
        assertThatThrownBy(() -> Visitables.fromTree(new StructValue("dev", m), new AllKinds()))
                .isInstanceOf(SchemaMismatchException.class).hasMessage("missing field\n at name");
    }

    @Test
    void printerUsesHints() {
        Schema s = Visitables.describe("allkinds", 1, 1, new AllKinds());
        String text = Visitables.print("dev0", s, busy());
        assertThat(text).contains("u8 = 0xC6 (busy|error|0xC0)")
                .contains("u32 = 0xEE6B2800")
                .contains("addr = 0x00000000FEE00000")
                .contains("link = UP(1)")
                .contains("allkinds/pending: section v1");
        assertThat(Visitables.print("dev0", s, new AllKinds())).contains("allkinds/pending: section absent");
    }
}
