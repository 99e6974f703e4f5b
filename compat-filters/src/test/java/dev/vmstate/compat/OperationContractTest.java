package dev.vmstate.compat;

import static dev.vmstate.compat.Conversions.checkContract;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree.BoolValue;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.ListValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every operation, at the root, inside a nested struct, under a list and inside a section:
 * schema up and down invert, and values survive both ways whenever no loss is reported.
 */
class OperationContractTest {
    static final Schema INNER = new Schema("inner", 1, 1, List.of(
            Field.scalar("p", Kind.U8, null), Field.scalar("q", Kind.U16, null)));
    static final Schema ITEM = new Schema("item", 1, 1, List.of(
            Field.scalar("k", Kind.U16, null), Field.scalar("v", Kind.I8, null)));
    static final Schema SEC = new Schema("demo/sec", 2, 1, List.of(Field.scalar("z", Kind.U32, null)));
    static final Schema DEMO = new Schema("demo", 1, 1, List.of(
            Field.scalar("a", Kind.U16, null),
            Field.scalar("b", Kind.I32, null),
            Field.scalar("w", Kind.U16, null),
            Field.struct("s", INNER, 0),
            Field.struct("pair", INNER, 2),
            Field.list("items", ITEM),
            Field.section(SEC.name(), SEC)));

    private static List<String> p(String... names) {
        return List.of(names);
    }

    @Test
    void rename() {
        checkContract(DEMO, new Rename(p("a"), "a2"), false);
        checkContract(DEMO, new Rename(p("items", "k"), "key"), false);
        checkContract(DEMO, new Rename(p("pair", "q"), "r"), false);
        checkContract(DEMO, new Rename(p("demo/sec"), "demo/renamed"), false);
        checkContract(DEMO, new Rename(p("demo/sec", "z"), "zz"), false);
    }

    @Test
    void retype() {
        checkContract(DEMO, new Retype(p("a"), Kind.U16, Kind.U32), false);
        checkContract(DEMO, new Retype(p("a"), Kind.U16, Kind.U64), false);
        checkContract(DEMO, new Retype(p("b"), Kind.I32, Kind.I16), false);
        checkContract(DEMO, new Retype(p("b"), Kind.I32, Kind.U32), false);
        checkContract(DEMO, new Retype(p("b"), Kind.I32, Kind.U64), false);
        checkContract(DEMO, new Retype(p("items", "v"), Kind.I8, Kind.I64), false);
        checkContract(DEMO, new Retype(p("demo/sec", "z"), Kind.U32, Kind.U8), false);
    }

    @Test
    void addAndRemove() {
        Field c = Field.scalar("c", Kind.U8, null);
        checkContract(DEMO, new Add(p("c"), c, new IntValue(Kind.U8, 7), "a"), false);
        checkContract(DEMO, new Add(p("s", "c"), c, new IntValue(Kind.U8, 0), Operation.FIRST), false);
        checkContract(DEMO, new Add(p("items", "c"), c, new IntValue(Kind.U8, 1), null), false);
        checkContract(DEMO, new Add(p("demo/sec", "c"), c, new IntValue(Kind.U8, 1), "z"), false);
        Schema extra = new Schema("demo/extra", 1, 1, List.of(Field.scalar("e", Kind.BOOL, null)));
        checkContract(DEMO, new Add(p("demo/extra"), Field.section("demo/extra", extra), null, null), false);
        checkContract(DEMO, new Add(p("demo/extra"), Field.section("demo/extra", extra),
                new SectionValue(1, new StructValue("demo/extra", Map.of("e", new BoolValue(true)))), null), false);
        checkContract(DEMO, new Remove(p("b"), Field.scalar("b", Kind.I32, null), new IntValue(Kind.I32, -1), "a"),
                false);
        checkContract(DEMO, new Remove(p("items", "v"), Field.scalar("v", Kind.I8, null), new IntValue(Kind.I8, 0)),
                false);
        checkContract(DEMO, new Remove(p("demo/sec"), Field.section(SEC.name(), SEC), null), false);
        checkContract(DEMO, new Remove(p("s"), Field.struct("s", INNER, 0), Zero.of(Field.struct("s", INNER, 0)),
                "w"), false);
    }

    @Test
    void moveIntoAndOutOfSections() {
        checkContract(DEMO, new MoveIntoSection(p("a"), "demo/sec", "z", Operation.FIRST), true);
        checkContract(DEMO, new MoveIntoSection(p("a"), "demo/sec", Operation.FIRST, Operation.FIRST), true);
        checkContract(DEMO, new MoveIntoSection(p("s"), "demo/sec", "z", "w"), true);
        checkContract(DEMO, new MoveOutOfSection(p("demo/sec", "z"), "b", null), true);
        // A section that holds nothing but the moved field is created and dropped with it.
        Schema lone = new Schema("lone", 1, 1, List.of(Field.scalar("a", Kind.U16, null),
                Field.section("lone/s", new Schema("lone/s", 1, 1, List.of()))));
        checkContract(lone, new MoveIntoSection(p("a"), "lone/s", null, Operation.FIRST), true);
        Schema nested = new Schema("nested", 1, 1, List.of(Field.list("items", DEMO)));
        checkContract(nested, new MoveIntoSection(p("items", "w"), "demo/sec", "z", "b"), true);
    }

    @Test
    void splitAndMerge() {
        Part lo = new Part("lo", Kind.U8, 0, 8);
        Part hi = new Part("hi", Kind.U8, 8, 8);
        checkContract(DEMO, new Split(p("w"), Kind.U16, List.of(lo, hi)), false);
        checkContract(DEMO, new Split(p("w"), Kind.U16, List.of(hi, lo)), false);
        checkContract(DEMO, new Split(p("w"), Kind.U16, List.of(new Part("nib", Kind.U8, 4, 4))), false);
        checkContract(DEMO, new Split(p("b"), Kind.I32, List.of(new Part("b0", Kind.U8, 0, 8),
                new Part("b1", Kind.U16, 8, 16), new Part("b3", Kind.U32, 24, 8))), false);
        checkContract(DEMO, new Split(p("items", "v"), Kind.I8, List.of(new Part("v", Kind.U8, 0, 8))), false);
        Schema split = new Split(p("w"), Kind.U16, List.of(lo, hi)).up(DEMO);
        checkContract(split, new Merge(p("w"), Kind.U16, List.of(lo, hi)), false);
        checkContract(split, new Merge(p("hi"), Kind.U32, List.of(lo, new Part("hi", Kind.U8, 16, 8))), false);
    }

    @Test
    void transforms() {
        UnaryOperator<StructValue> flip = s -> xor(s, "k", 0x5A5A);
        checkContract(DEMO, new Transform("flip", p("items"), flip, flip, true), false);
        checkContract(DEMO, new Transform("flip-lossy-declared", p("items"), flip, flip, false), false);
        // Keeps only the high byte on the way up: the chain must report the low byte as lost.
        UnaryOperator<StructValue> high = s -> and(s, "a", 0xFF00);
        checkContract(DEMO, new Transform("high-byte", p(), high, UnaryOperator.identity(), false), false);
        checkContract(DEMO, new Transform("nothing", p("demo/sec"), UnaryOperator.identity(),
                UnaryOperator.identity(), true), false);
    }

    static StructValue xor(StructValue s, String name, long mask) {
        IntValue v = (IntValue) s.get(name);
        return ExampleChains.with(s, name, new IntValue(v.kind(), v.value() ^ mask));
    }

    static StructValue and(StructValue s, String name, long mask) {
        IntValue v = (IntValue) s.get(name);
        return ExampleChains.with(s, name, new IntValue(v.kind(), v.value() & mask));
    }

    @Test
    void operationsUnderAListApplyToEveryElement() {
        StructValue tree = Zero.of(DEMO);
        StructValue item = new StructValue("item", Map.of("k", new IntValue(Kind.U16, 1), "v", new IntValue(Kind.I8, 2)));
        Map<String, dev.vmstate.tree.StateTree> m = new LinkedHashMap<>(tree.members());
        m.put("items", new ListValue(Kind.LIST, List.of(item, item, item)));
        StructValue withItems = new StructValue("demo", m);
        StructValue up = new Rename(p("items", "k"), "key").up(withItems, DEMO, (path, v, w) -> { });
        org.assertj.core.api.Assertions.assertThat(((ListValue) up.get("items")).items())
                .hasSize(3).allSatisfy(i -> org.assertj.core.api.Assertions.assertThat(i.members())
                        .containsOnlyKeys("key", "v").containsEntry("key", new IntValue(Kind.U16, 1)));
    }
}
