package dev.vmstate.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.compat.Conversions.Recorder;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each operation does to known values, what it reports as lost, and how it describes itself. */
class OperationExamplesTest {
    static final Schema SEC = new Schema("t/sec", 4, 4, List.of());
    static final Schema T = new Schema("t", 1, 1, List.of(
            Field.scalar("a", Kind.U16, null),
            Field.scalar("b", Kind.I16, null),
            Field.scalar("c", Kind.U64, null),
            Field.section(SEC.name(), SEC)));

    static StructValue t(long a, long b, long c) {
        Map<String, StateTree> m = new LinkedHashMap<>();
        m.put("a", new IntValue(Kind.U16, a));
        m.put("b", new IntValue(Kind.I16, b));
        m.put("c", new IntValue(Kind.U64, c));
        return new StructValue("t", m);
    }

    static long get(StructValue v, String... path) {
        StateTree cur = v;
        for (String name : path) {
            cur = cur instanceof SectionValue s ? s.body().get(name) : ((StructValue) cur).get(name);
        }
        return ((IntValue) cur).value();
    }

    @Test
    void narrowingClampsAndReportsTheValue() {
        Retype narrow = new Retype(List.of("a"), Kind.U16, Kind.U8);
        Recorder r = new Recorder();
        StructValue up = narrow.up(t(300, 0, 0), T, r);
        assertThat(get(up, "a")).isEqualTo(255);
        assertThat(r.losses).containsExactly("a=300 (retype a uint16 -> uint8 (narrow): outside 0..255, becomes 255)");
        Recorder none = new Recorder();
        assertThat(get(narrow.up(t(200, 0, 0), T, none), "a")).isEqualTo(200);
        assertThat(none.losses).isEmpty();
        assertThat(narrow.losslessUp()).isFalse();
        assertThat(narrow.losslessDown()).isTrue();
    }

    @Test
    void retypeBetweenSignsChecksBothWays() {
        Retype toUnsigned = new Retype(List.of("b"), Kind.I16, Kind.U64);
        Recorder r = new Recorder();
        assertThat(get(toUnsigned.up(t(0, -1, 0), T, r), "b")).isZero();
        assertThat(r.losses).hasSize(1);
        Retype signed = new Retype(List.of("c"), Kind.U64, Kind.I64);
        Recorder r2 = new Recorder();
        assertThat(get(signed.up(t(0, 0, -1), T, r2), "c")).isEqualTo(Long.MAX_VALUE);
        assertThat(r2.losses).containsExactly("c=18446744073709551615 (retype c uint64 -> int64 (range change):"
                + " outside -9223372036854775808..9223372036854775807, becomes 9223372036854775807)");
        assertThat(toUnsigned.lossless()).isFalse();
        assertThat(new Retype(List.of("a"), Kind.U16, Kind.I32).losslessUp()).isTrue();
    }

    @Test
    void splitTakesBitRangesAndMergeJoinsThem() {
        Part lo = new Part("lo", Kind.U8, 0, 8);
        Part hi = new Part("hi", Kind.U8, 8, 8);
        Split split = new Split(List.of("a"), Kind.U16, List.of(lo, hi));
        StructValue up = split.up(t(0xABCD, 0, 0), T, new Recorder());
        assertThat(up.members()).containsKeys("lo", "hi");
        assertThat(List.copyOf(up.members().keySet())).startsWith("lo", "hi", "b");
        assertThat(get(up, "lo")).isEqualTo(0xCD);
        assertThat(get(up, "hi")).isEqualTo(0xAB);
        assertThat(split.lossless()).isTrue();

        Split signed = new Split(List.of("b"), Kind.I16, List.of(lo, hi));
        StructValue bytes = signed.up(t(0, -2, 0), T, new Recorder());
        assertThat(get(bytes, "lo")).isEqualTo(0xFE);
        assertThat(get(bytes, "hi")).isEqualTo(0xFF);
        assertThat(get(signed.down(bytes, signed.up(T), new Recorder()), "b")).isEqualTo(-2);
    }

    @Test
    void splitAndMergeReportBitsTheyCannotCarry() {
        Part nib = new Part("nib", Kind.U8, 4, 4);
        Split split = new Split(List.of("a"), Kind.U16, List.of(nib));
        Recorder r = new Recorder();
        StructValue up = split.up(t(0xABCD, 0, 0), T, r);
        assertThat(get(up, "nib")).isEqualTo(0xC);
        assertThat(r.losses).containsExactly("a=43981 (split a uint16 into nib[4..7] uint8: bits 0xAB0D are in no part)");

        Merge merge = split.inverse();
        Recorder m = new Recorder();
        StructValue down = merge.up(ExampleChains.with(up, "nib", new IntValue(Kind.U8, 0x1F)), split.up(T), m);
        assertThat(get(down, "a")).isEqualTo(0xF0);
        assertThat(m.losses).containsExactly("nib=31 (merge nib[4..7] uint8 into a uint16: wider than 4 bits, becomes 15)");
        assertThat(split.losslessUp()).isFalse();
        assertThat(merge.losslessUp()).isFalse();
    }

    @Test
    void addDropsOnlyTheDefaultSilently() {
        Add add = new Add(List.of("n"), Field.scalar("n", Kind.U32, null), new IntValue(Kind.U32, 5), null);
        Schema v2 = add.up(T);
        assertThat(v2.members().stream().map(Field::name)).containsExactly("a", "b", "c", "n", "t/sec");
        StructValue up = add.up(t(1, 2, 3), T, new Recorder());
        assertThat(get(up, "n")).isEqualTo(5);
        Recorder quiet = new Recorder();
        assertThat(add.down(up, v2, quiet)).isEqualTo(t(1, 2, 3));
        assertThat(quiet.losses).isEmpty();
        Recorder loud = new Recorder();
        add.down(ExampleChains.with(up, "n", new IntValue(Kind.U32, 6)), v2, loud);
        assertThat(loud.losses).containsExactly("n=6 (remove n uint32, default 5: not the default)");
        assertThat(add.losslessUp()).isTrue();
        assertThat(add.losslessDown()).isFalse();
    }

    @Test
    void removingAPresentSectionIsALoss() {
        Remove remove = new Remove(List.of("t/sec"), Field.section("t/sec", SEC), null);
        StructValue present = ExampleChains.with(t(0, 0, 0), "t/sec", new SectionValue(4, new StructValue("t/sec", Map.of())));
        Recorder r = new Recorder();
        assertThat(remove.up(present, T, r)).isEqualTo(t(0, 0, 0));
        assertThat(r.losses).containsExactly("t/sec=SectionValue[version=4, body={}] (remove t/sec section v4, default absent: not the default)");
        Recorder none = new Recorder();
        remove.up(t(0, 0, 0), T, none);
        assertThat(none.losses).isEmpty();
    }

    @Test
    void movingIntoAnAbsentSectionCreatesItOnlyForANonZeroValue() {
        MoveIntoSection move = new MoveIntoSection(List.of("a"), "t/sec", null, Operation.FIRST);
        Schema v2 = move.up(T);
        assertThat(v2.member("t/sec").struct().members()).extracting(Field::name).containsExactly("a");

        StructValue created = move.up(t(7, 1, 2), T, new Recorder());
        assertThat(created.get("t/sec")).isEqualTo(new SectionValue(4, new StructValue("t/sec",
                Map.of("a", new IntValue(Kind.U16, 7)))));
        assertThat(get(created, "t/sec", "a")).isEqualTo(7);
        assertThat(created.members()).doesNotContainKey("a");

        StructValue dropped = move.up(t(0, 1, 2), T, new Recorder());
        assertThat(dropped.members()).doesNotContainKeys("a", "t/sec");

        // Down: an absent section gives the zero value; a present one gives its value and, emptied, goes.
        assertThat(move.down(dropped, v2, new Recorder())).isEqualTo(t(0, 1, 2));
        assertThat(move.down(created, v2, new Recorder())).isEqualTo(t(7, 1, 2));
        assertThat(move.lossless()).isTrue();
    }

    @Test
    void movingIntoAPresentSectionKeepsItsVersion() {
        Schema sec = new Schema("t/sec", 4, 4, List.of(Field.scalar("z", Kind.U8, null)));
        Schema t = new Schema("t", 1, 1, List.of(Field.scalar("a", Kind.U16, null), Field.section("t/sec", sec)));
        StructValue v = new StructValue("t", Map.of("a", new IntValue(Kind.U16, 0),
                "t/sec", new SectionValue(2, new StructValue("t/sec", Map.of("z", new IntValue(Kind.U8, 1))))));
        MoveIntoSection move = new MoveIntoSection(List.of("a"), "t/sec", Operation.FIRST, null);
        StructValue up = move.up(v, t, new Recorder());
        SectionValue s = (SectionValue) up.get("t/sec");
        assertThat(s.version()).isEqualTo(2);
        assertThat(List.copyOf(s.body().members().keySet())).containsExactly("a", "z");
        assertThat(move.down(up, move.up(t), new Recorder())).isEqualTo(v);
    }

    @Test
    void aLossyTransformReportsWhatDoesNotComeBack() {
        Transform high = new Transform("high-byte", List.of(), s -> OperationContractTest.and(s, "a", 0xFF00),
                s -> s, false);
        Recorder r = new Recorder();
        StructValue up = high.up(t(0x1234, 0, 0), T, r);
        assertThat(get(up, "a")).isEqualTo(0x1200);
        assertThat(r.losses).containsExactly("a=4660 (transform high-byte at (root) (lossy): comes back as 4608)");
        Recorder none = new Recorder();
        high.up(t(0x1200, 0, 0), T, none);
        assertThat(none.losses).isEmpty();
    }

    @Test
    void aTransformMustKeepTheSchema() {
        Transform bad = new Transform("drops-a", List.of(), s -> {
            Map<String, StateTree> m = new LinkedHashMap<>(s.members());
            m.remove("a");
            return new StructValue("t", m);
        }, s -> s, true);
        assertThatThrownBy(() -> bad.up(t(1, 2, 3), T, new Recorder()))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("transform drops-a returned a value that does not fit t")
                .hasMessageContaining("missing value, expected uint16");
    }

    @Test
    void describeIsOneLineNamingThePath() {
        Field f = Field.scalar("n", Kind.U8, null);
        List<Operation> ops = List.of(
                new Rename(List.of("s", "a"), "b"),
                new Retype(List.of("a"), Kind.U16, Kind.U32),
                new Add(List.of("n"), f, new IntValue(Kind.U8, 0)),
                new Remove(List.of("n"), f, new IntValue(Kind.U8, 1), "a"),
                new MoveIntoSection(List.of("a"), "t/sec"),
                new MoveOutOfSection(List.of("t/sec", "a")),
                new Split(List.of("a"), Kind.U16, List.of(new Part("lo", Kind.U8, 0, 8))),
                new Transform("scale", List.of("s"), s -> s, s -> s, true));
        assertThat(ops).extracting(Operation::describe).containsExactly(
                "rename s.a to b",
                "retype a uint16 -> uint32 (widen)",
                "add n uint8, default 0",
                "remove n uint8, default 1",
                "move a into section t/sec",
                "move t/sec.a out of section t/sec",
                "split a uint16 into lo[0..7] uint8",
                "transform scale at s");
    }

    @Test
    void operationsRefuseMalformedDeclarations() {
        Field f = Field.scalar("n", Kind.U8, null);
        assertThatThrownBy(() -> new Add(List.of("m"), f, new IntValue(Kind.U8, 0)))
                .hasMessage("path m does not end with the field's name n");
        assertThatThrownBy(() -> new Add(List.of("n"), f, new IntValue(Kind.U16, 0)))
                .hasMessageStartingWith("default 0 does not fit n: found uint16, expected uint8");
        assertThatThrownBy(() -> new Add(List.of("n"), f, null))
                .hasMessageStartingWith("default absent does not fit n: missing value");
        assertThatThrownBy(() -> new Retype(List.of("a"), Kind.U16, Kind.F64))
                .hasMessage("retype of a from uint16 to float64: only integer kinds can be retyped");
        assertThatThrownBy(() -> new Part("p", Kind.I8, 0, 8))
                .hasMessage("part p is int8, expected an unsigned integer kind");
        assertThatThrownBy(() -> new Split(List.of("a"), Kind.U16,
                List.of(new Part("x", Kind.U8, 0, 8), new Part("y", Kind.U8, 4, 8))))
                .hasMessage("split of a: part y[4..11] uint8 overlaps another part");
        assertThatThrownBy(() -> new Split(List.of("a"), Kind.U16, List.of(new Part("x", Kind.U16, 4, 16))))
                .hasMessage("split of a: part x[4..19] uint16 lies outside the 16 bits of uint16");
        assertThatThrownBy(() -> new MoveIntoSection(List.of("a"), "a"))
                .hasMessageContaining("not a section name of its own");
        assertThatThrownBy(() -> new Rename(List.of(), "x")).hasMessage("path [] needs at least 1 member name(s)");
    }
}
