package dev.vmstate.compat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.visitor.Kind;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A chain that does not fit its schema is refused when it is built, naming the type, step and operation. */
class ChainValidationTest {
    static final Schema DEV = new Schema("dev", 2, 1, List.of(
            Field.scalar("a", Kind.U8, null),
            Field.scalar("b", Kind.U16, null),
            Field.section("dev/s", new Schema("dev/s", 1, 1, List.of(Field.scalar("z", Kind.U8, null))))));

    private static void refused(Consumer<StepBuilder> step, String message) {
        assertThatThrownBy(() -> CompatChain.of(DEV).step(1, step).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void unknownPath() {
        refused(s -> s.retype("nope", Kind.U8, Kind.U16),
                "dev step 1->2, op 0 (retype nope uint8 -> uint16 (widen)): no member nope in dev (members: a, b, dev/s)");
        refused(s -> s.rename("a", "c"), "dev step 1->2, op 0 (rename a to c): no member c in dev (members: a, b, dev/s)");
        refused(s -> s.rename("x.y", "c"), "dev step 1->2, op 0 (rename x.y to c): no member x in dev (members: a, b, dev/s)");
        refused(s -> s.transform("t", "a", v -> v, v -> v, true),
                "dev step 1->2, op 0 (transform t at a): a in dev is a uint8, not a struct, list or section");
    }

    @Test
    void nameClash() {
        refused(s -> s.rename("b", "a"), "dev step 1->2, op 0 (rename b to a): member b already exists in dev");
        refused(s -> s.split("w", Kind.U16, new Part("a", Kind.U8, 0, 8), new Part("hi", Kind.U8, 8, 8)),
                "dev step 1->2, op 0 (split w uint16 into a[0..7] uint8, hi[8..15] uint8): no member hi in dev"
                        + " (members: a, b, dev/s)");
    }

    @Test
    void kindMismatch() {
        refused(s -> s.retype("b", Kind.U8, Kind.U32),
                "dev step 1->2, op 0 (retype b uint8 -> uint32 (widen)): b in dev is a uint16, expected uint32");
        refused(s -> s.add("a", Kind.U16, 0),
                "dev step 1->2, op 0 (add a uint16, default 0): a is declared as uint16, but dev has uint8");
        refused(s -> s.moveIntoSection("x", "a"),
                "dev step 1->2, op 0 (move x into section a): a in dev is a uint8, not a section");
    }

    @Test
    void laterOperationsSeeWhatEarlierOnesMade() {
        // The second op names "c", which exists only after the first op renamed "old" on the way up.
        CompatChain.of(DEV).step(1, s -> s.rename("old", "c").rename("c", "a")).build();
        refused(s -> s.rename("old", "c").rename("old", "a"),
                "dev step 1->2, op 0 (rename old to c): no member c in dev (members: old, b, dev/s)");
    }

    @Test
    void anchorsMustName() {
        refused(s -> s.remove("x", Field.scalar("x", Kind.U8, null), new IntValue(Kind.U8, 0), "nope"),
                "dev step 1->2, op 0 (remove x uint8, default 0): no member nope in dev (members: a, b, dev/s)");
        refused(s -> s.op(new Add(List.of("b"), Field.scalar("b", Kind.U16, null), new IntValue(Kind.U16, 0), "dev/s")),
                "dev step 1->2, op 0 (add b uint16, default 0): declared after \"dev/s\", but the newer schema has it"
                        + " after \"a\"");
    }

    @Test
    void stepsMustCoverTheVersions() {
        assertThatThrownBy(() -> CompatChain.of(DEV).build())
                .hasMessage("dev: no step 1->2; steps must cover every version from the minimum 1 to 2");
        assertThatThrownBy(() -> CompatChain.of(DEV).minimum(0).step(1, s -> { }).build())
                .hasMessage("dev: no step 0->1; steps must cover every version from the minimum 0 to 2");
        assertThatThrownBy(() -> CompatChain.of(DEV).step(1, s -> { }).step(2, s -> { }).build())
                .hasMessage("dev: step 2->3 is outside the supported versions 1..2");
        assertThatThrownBy(() -> CompatChain.of(DEV).step(1, s -> { }).step(1, s -> { }))
                .hasMessage("dev: two steps from version 1");
        assertThatThrownBy(() -> CompatChain.of(DEV).minimum(3).build())
                .hasMessage("dev: minimum version 3 outside 0..2");
    }
}
