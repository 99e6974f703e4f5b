package dev.vmstate.compat.check;

import static dev.vmstate.compat.check.Direction.FORWARD;
import static dev.vmstate.compat.check.Direction.REVERSE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.vmstate.compat.ChainBuilder;
import dev.vmstate.compat.CompatChain;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The static checker's rules, one broken NEW build per rule against an invented device
 * {@code vs-dev} (version 2, minimum 1; version 1 had no {@code count}), in both directions.
 */
class CompatCheckerTest {
    static final Schema TIMER = new Schema("vs-timer-state", 1, 1, List.of(
            Field.scalar("period", Kind.U32, null),
            Field.scalar("armed", Kind.BOOL, null)));
    static final Schema QUEUE = new Schema("vs-queue", 1, 1, List.of(Field.scalar("num", Kind.U16, null)));
    static final Schema EXTRA = new Schema("vs-dev/extra", 1, 1, List.of(Field.scalar("x", Kind.U8, null)));

    /** OLD's current layout. */
    static final List<Field> FIELDS = List.of(
            Field.scalar("ctrl", Kind.U32, Hint.HEX),
            Field.scalar("count", Kind.U16, null),
            Field.enumeration("mode", Map.of(0L, "OFF", 1L, "ON")),
            Field.buffer("buf", 8),
            Field.array("regs", Kind.U16, 4),
            Field.struct("timer", TIMER, 0),
            Field.list("queues", QUEUE),
            Field.section(EXTRA.name(), EXTRA));

    static Schema schema(int version, int minimum, List<Field> members) {
        return new Schema("vs-dev", version, minimum, members);
    }

    /** The chain of OLD: count came with version 2. */
    static final CompatChain OLD = CompatChain.of(schema(2, 1, FIELDS))
            .step(1, s -> s.add("count", Kind.U16, 0)).build();

    /** OLD's history on a NEW current layout; more steps as given. */
    static CompatChain neu(int version, List<Field> members, Consumer<ChainBuilder> more) {
        ChainBuilder b = CompatChain.of(schema(version, 1, members)).step(1, s -> s.add("count", Kind.U16, 0));
        more.accept(b);
        return b.build();
    }

    static List<Field> edit(UnaryOperator<List<Field>> change) {
        return List.copyOf(change.apply(new ArrayList<>(FIELDS)));
    }

    static List<Field> replace(String name, Field by) {
        return edit(l -> {
            l.replaceAll(f -> f.name().equals(name) ? by : f);
            return l;
        });
    }

    static List<Problem> forward(CompatChain neu) {
        return CompatChecker.check(OLD, neu, FORWARD);
    }

    static List<Problem> reverse(CompatChain neu) {
        return CompatChecker.check(OLD, neu, REVERSE);
    }

    static List<Rule> rules(List<Problem> ps) {
        return ps.stream().map(Problem::rule).toList();
    }

    static boolean compatible(List<Problem> ps) {
        return ps.stream().noneMatch(Problem::isError);
    }

    // ---- compatible builds ------------------------------------------------------------------

    @Test
    void theSameChainHasNoProblemsEitherWay() {
        assertThat(forward(OLD)).isEmpty();
        assertThat(reverse(OLD)).isEmpty();
        CheckReport r = CompatChecker.check(List.of(OLD), List.of(OLD), FORWARD);
        assertThat(r.compatible()).isTrue();
        assertThat(r.lines()).containsExactly("1 device type, forward (can NEW read what OLD writes?): 0 errors,"
                + " 0 warnings: compatible");
    }

    @Test
    void changesWithTheirStepsAreCompatibleBothWays() {
        CompatChain neu = neu(3, edit(l -> {
            l.replaceAll(f -> f.name().equals("ctrl") ? Field.scalar("control", Kind.U64, null) : f);
            l.add(Field.scalar("scratch", Kind.U8, null));
            l.removeIf(f -> f.name().equals("buf"));
            return l;
        }), b -> b.step(2, s -> s.rename("ctrl", "control").retype("control", Kind.U32, Kind.U64)
                .add("scratch", Kind.U8, 0)
                .remove("buf", Field.buffer("buf", 8), new dev.vmstate.tree.StateTree.BytesValue(Kind.BUFFER,
                        new byte[8]), "mode")));
        assertThat(forward(neu)).isEmpty();
        assertThat(reverse(neu)).isEmpty();
    }

    @Test
    void hintsNeverMatter() {
        CompatChain neu = neu(2, replace("ctrl", Field.scalar("ctrl", Kind.U32, Hint.flags("A", "B"))), b -> { });
        assertThat(forward(neu)).isEmpty();
        assertThat(reverse(neu)).isEmpty();
    }

    // ---- device types and version ranges ----------------------------------------------------

    @Test
    void aTypeTheReaderLacksIsAnErrorOneTheWriterLacksAWarning() {
        CompatChain other = CompatChain.of(new Schema("vs-other", 1, 1, List.of())).build();
        CheckReport forward = CompatChecker.check(List.of(OLD, other), List.of(OLD), FORWARD);
        assertThat(forward.problems()).extracting(Problem::severity, Problem::rule, Problem::type, Problem::message)
                .containsExactly(tuple(Severity.ERROR, Rule.TYPE_MISSING, "vs-other",
                        "device type in OLD (v1), not in NEW: NEW refuses its sections"));
        assertThat(forward.compatible()).isFalse();
        assertThat(forward.types()).isEqualTo(2);
        CheckReport reverse = CompatChecker.check(List.of(OLD, other), List.of(OLD), REVERSE);
        assertThat(reverse.problems()).extracting(Problem::severity, Problem::rule, Problem::message)
                .containsExactly(tuple(Severity.WARNING, Rule.TYPE_NOT_SENT, "device type in OLD, not in NEW:"
                        + " streams from NEW never carry it, so the device keeps its reset state"));
        assertThat(reverse.compatible()).isTrue();
        assertThat(CompatChecker.check(List.of(OLD), List.of(OLD, other), REVERSE).problems())
                .extracting(Problem::rule).containsExactly(Rule.TYPE_MISSING);
    }

    @Test
    void aNewVersionBelowTheOldOneCannotReadItsStreams() {
        CompatChain neu = CompatChain.of(OLD.schemaAt(1).withVersions(1, 1)).build();
        assertThat(forward(neu)).extracting(Problem::rule, Problem::versions, Problem::message)
                .containsExactly(tuple(Rule.VERSION_DECREASED, List.of(2), "OLD writes v2, NEW reads only up to v1"));
        // NEW writes v1, which OLD reads
        assertThat(reverse(neu)).isEmpty();
    }

    @Test
    void aMinimumRaisedPastTheWrittenVersionIsAnErrorBelowItAWarning() {
        CompatChain min2 = CompatChain.of(schema(2, 2, FIELDS)).build();
        assertThat(forward(min2)).extracting(Problem::severity, Problem::rule, Problem::message)
                .containsExactly(tuple(Severity.WARNING, Rule.MINIMUM_RAISED, "minimum version 1 in OLD, 2 in NEW:"
                        + " NEW no longer reads v1, which OLD reads (saved streams, OLD's --target-version)"));
        assertThat(reverse(min2)).isEmpty();

        CompatChain min3 = CompatChain.of(schema(3, 3, FIELDS)).build();
        assertThat(forward(min3)).extracting(Problem::severity, Problem::rule, Problem::message)
                .containsExactly(tuple(Severity.ERROR, Rule.MINIMUM_RAISED,
                        "OLD writes v2, NEW reads only from v3 (its minimum version)"));
        assertThat(reverse(min3)).extracting(Problem::severity, Problem::rule, Problem::message)
                .containsExactly(tuple(Severity.ERROR, Rule.MINIMUM_RAISED,
                        "OLD reads up to v2, NEW cannot downgrade below its minimum version v3"));
    }

    @Test
    void inReverseANewVersionBelowOldsMinimumIsAnError() {
        CompatChain old = CompatChain.of(schema(3, 3, FIELDS)).build();
        CompatChain neu = CompatChain.of(schema(2, 2, FIELDS)).build();
        assertThat(CompatChecker.check(old, neu, REVERSE)).extracting(Problem::rule, Problem::message)
                .containsExactly(tuple(Rule.VERSION_DECREASED, "NEW writes at most v2, OLD reads only from v3"));
    }

    // ---- layouts of a version both support --------------------------------------------------

    @Test
    void aFieldAddedWithoutAStepOrBumpIsReportedOncePerFieldWithEveryVersion() {
        CompatChain neu = neu(2, edit(l -> {
            l.add(5, Field.scalar("scratch", Kind.U8, null));
            return l;
        }), b -> { });
        List<Problem> ps = forward(neu);
        assertThat(ps).extracting(Problem::severity, Problem::rule, Problem::versions, Problem::path, Problem::message)
                .containsExactly(
                        tuple(Severity.ERROR, Rule.NO_VERSION_BUMP, List.of(2), "", "the layout changed"
                                + " (1 incompatible difference) but both builds call it v2: bump NEW's version and"
                                + " add a step"),
                        tuple(Severity.ERROR, Rule.FIELD_ADDED, List.of(1, 2), "scratch",
                                "uint8 in NEW, not in OLD, and no step adds it with a default"));
        assertThat(ps.get(1).render()).isEqualTo("error: vs-dev v1-2 scratch: uint8 in NEW, not in OLD, and no step"
                + " adds it with a default [field-added]");
        assertThat(rules(reverse(neu))).containsExactly(Rule.NO_VERSION_BUMP, Rule.FIELD_ADDED);
    }

    @Test
    void aFieldAddedWithABumpButNoStepIsInTheOlderLayouts() {
        CompatChain neu = neu(3, edit(l -> {
            l.add(Field.scalar("scratch", Kind.U8, null));
            return l;
        }), b -> b.step(2, s -> { }));
        assertThat(forward(neu)).extracting(Problem::rule, Problem::versions)
                .containsExactly(tuple(Rule.FIELD_ADDED, List.of(1, 2)));
    }

    @Test
    void aFieldRemovedWithoutAStep() {
        CompatChain neu = neu(3, edit(l -> {
            l.removeIf(f -> f.name().equals("buf"));
            return l;
        }), b -> b.step(2, s -> { }));
        assertThat(forward(neu)).extracting(Problem::rule, Problem::path, Problem::message)
                .containsExactly(tuple(Rule.FIELD_REMOVED, "buf", "buffer[8] in OLD, not in NEW, and no step"
                        + " removes it"));
        assertThat(rules(reverse(neu))).containsExactly(Rule.FIELD_REMOVED);
    }

    @Test
    void aFieldRenamedWithoutAStep() {
        CompatChain neu = neu(2, replace("buf", Field.buffer("buffer", 8)), b -> { });
        assertThat(forward(neu)).extracting(Problem::rule, Problem::path, Problem::message).contains(
                tuple(Rule.FIELD_RENAMED, "buf", "called buf in OLD and buffer in NEW (same place, same type"
                        + " buffer[8]), and no step renames it"));
    }

    @Test
    void aTypeNarrowedWidenedOrChanged() {
        assertThat(forward(neu(2, replace("ctrl", Field.scalar("ctrl", Kind.U16, null)), b -> { })))
                .extracting(Problem::rule, Problem::path, Problem::message).contains(tuple(Rule.TYPE_NARROWED, "ctrl",
                        "narrowed from uint32 in OLD to uint16 in NEW, and no step retypes it (uint16 holds only"
                                + " 0..65535)"));
        assertThat(forward(neu(2, replace("ctrl", Field.scalar("ctrl", Kind.U64, null)), b -> { })))
                .extracting(Problem::rule, Problem::message).contains(tuple(Rule.TYPE_CHANGED,
                        "widened from uint32 in OLD to uint64 in NEW without a retype step: the encodings differ"));
        assertThat(forward(neu(2, replace("ctrl", Field.scalar("ctrl", Kind.I32, null)), b -> { })))
                .extracting(Problem::rule, Problem::message).contains(tuple(Rule.TYPE_CHANGED,
                        "changed from uint32 in OLD to int32 in NEW without a retype step"));
        assertThat(forward(neu(2, replace("ctrl", Field.variable("ctrl", Kind.STR)), b -> { })))
                .extracting(Problem::rule, Problem::message).contains(tuple(Rule.TYPE_CHANGED,
                        "uint32 in OLD, string in NEW, and no operation converts one into the other"));
        assertThat(forward(neu(2, replace("regs", Field.array("regs", Kind.U8, 4)), b -> { })))
                .extracting(Problem::rule, Problem::message).contains(tuple(Rule.TYPE_NARROWED,
                        "array element narrowed from uint16 in OLD to uint8 in NEW, and no step retypes it"
                                + " (uint8 holds only 0..255)"));
    }

    @Test
    void aTypeNarrowedInsideAListElement() {
        Schema queue = new Schema("vs-queue", 1, 1, List.of(Field.scalar("num", Kind.U8, null)));
        List<Problem> ps = forward(neu(2, replace("queues", Field.list("queues", queue)), b -> { }));
        assertThat(ps).extracting(Problem::rule, Problem::path)
                .containsExactly(tuple(Rule.NO_VERSION_BUMP, ""), tuple(Rule.TYPE_NARROWED, "queues.num"));
    }

    @Test
    void sizesAndLengthsChanged() {
        assertThat(forward(neu(2, replace("buf", Field.buffer("buf", 16)), b -> { })))
                .extracting(Problem::rule, Problem::message)
                .contains(tuple(Rule.SIZE_CHANGED, "buffer of 8 bytes in OLD, 16 in NEW"));
        assertThat(forward(neu(2, replace("regs", Field.array("regs", Kind.U16, 8)), b -> { })))
                .extracting(Problem::rule, Problem::message).contains(tuple(Rule.SIZE_CHANGED,
                        "array of 4 entries in OLD, 8 in NEW (uint16[4] -> uint16[8])"));
        assertThat(forward(neu(2, replace("timer", Field.struct("timer", TIMER, 2)), b -> { })))
                .extracting(Problem::rule).contains(Rule.TYPE_CHANGED);
    }

    @Test
    void fieldsInAnotherOrder() {
        CompatChain neu = neu(2, edit(l -> {
            l.add(0, l.remove(1)); // count before ctrl
            return l;
        }), b -> { });
        assertThat(forward(neu)).extracting(Problem::rule, Problem::path, Problem::message).containsExactly(
                tuple(Rule.NO_VERSION_BUMP, "", "the layout changed (1 incompatible difference) but both builds call"
                        + " it v2: bump NEW's version and add a step"),
                tuple(Rule.ORDER_CHANGED, "ctrl", "field first in OLD, after count in NEW, and no step moves it"));
    }

    @Test
    void aFieldMovedIntoOrOutOfAStruct() {
        Schema timer = new Schema("vs-timer-state", 1, 1, List.of(
                Field.scalar("period", Kind.U32, null), Field.scalar("armed", Kind.BOOL, null),
                Field.scalar("ctrl", Kind.U32, null)));
        CompatChain into = neu(2, edit(l -> {
            l.removeIf(f -> f.name().equals("ctrl"));
            l.replaceAll(f -> f.name().equals("timer") ? Field.struct("timer", timer, 0) : f);
            return l;
        }), b -> { });
        assertThat(forward(into)).extracting(Problem::rule, Problem::path, Problem::message).contains(
                tuple(Rule.FIELD_MOVED, "ctrl", "at ctrl in OLD, at timer.ctrl in NEW: moved into struct timer with"
                        + " no step"));
        Schema shorter = new Schema("vs-timer-state", 1, 1, List.of(Field.scalar("armed", Kind.BOOL, null)));
        CompatChain outOf = neu(2, edit(l -> {
            l.replaceAll(f -> f.name().equals("timer") ? Field.struct("timer", shorter, 0) : f);
            l.add(Field.scalar("period", Kind.U32, null));
            return l;
        }), b -> { });
        assertThat(forward(outOf)).extracting(Problem::rule, Problem::path, Problem::message).contains(
                tuple(Rule.FIELD_MOVED, "timer.period", "at timer.period in OLD, at period in NEW: moved out of"
                        + " struct timer with no step"));
        Schema extra = new Schema("vs-dev/extra", 1, 1, List.of(Field.scalar("x", Kind.U8, null),
                Field.scalar("ctrl", Kind.U32, null)));
        CompatChain intoSection = neu(2, edit(l -> {
            l.removeIf(f -> f.name().equals("ctrl"));
            l.replaceAll(f -> f.isSection() ? Field.section(extra.name(), extra) : f);
            return l;
        }), b -> { });
        assertThat(forward(intoSection)).extracting(Problem::rule, Problem::message).contains(
                tuple(Rule.FIELD_MOVED, "at ctrl in OLD, at vs-dev/extra.ctrl in NEW: moved into section"
                        + " vs-dev/extra with no step"));
    }

    @Test
    void enumCodesTheReaderLacks() {
        CompatChain fewer = neu(2, replace("mode", Field.enumeration("mode", Map.of(0L, "OFF"))), b -> { });
        assertThat(forward(fewer)).extracting(Problem::rule, Problem::path, Problem::message).contains(
                tuple(Rule.ENUM_CODE_UNKNOWN, "mode", "enum code(s) [1] in OLD, not in NEW: NEW refuses a state"
                        + " that holds one"));
        assertThat(reverse(fewer)).isEmpty();
        CompatChain more = neu(2, replace("mode", Field.enumeration("mode", Map.of(0L, "OFF", 1L, "ON", 2L, "AUTO"))),
                b -> { });
        assertThat(forward(more)).isEmpty();
        assertThat(rules(reverse(more))).containsExactly(Rule.NO_VERSION_BUMP, Rule.ENUM_CODE_UNKNOWN);
        // renaming a code is presentation
        assertThat(forward(neu(2, replace("mode", Field.enumeration("mode", Map.of(0L, "DISABLED", 1L, "ON"))),
                b -> { }))).isEmpty();
    }

    // ---- sections ----------------------------------------------------------------------------

    static final Schema EXTRA2 = new Schema("vs-dev/wol", 1, 1, List.of(Field.scalar("wol", Kind.U8, null)));

    @Test
    void aSectionAddedWithoutABumpIsCompatibleUnlessTheOldReaderMustUnderstandIt() {
        CompatChain optional = neu(2, edit(l -> {
            l.add(Field.section(EXTRA2.name(), EXTRA2));
            return l;
        }), b -> { });
        assertThat(forward(optional)).extracting(Problem::severity, Problem::rule, Problem::path, Problem::message)
                .containsExactly(tuple(Severity.WARNING, Rule.SECTION_NOT_SENT, "vs-dev/wol", "section in NEW, not in"
                        + " OLD, and no step adds it: OLD never sends it, so NEW reads it as absent"));
        assertThat(reverse(optional)).extracting(Problem::severity, Problem::rule, Problem::message)
                .containsExactly(tuple(Severity.WARNING, Rule.SECTION_UNKNOWN, "optional section in NEW, not in OLD,"
                        + " and no step adds it: OLD skips it when present, except in a legacy stream without a"
                        + " description (QEMU's rule: an unknown subsection is fatal)"));
        CompatChain must = neu(2, edit(l -> {
            l.add(Field.section(EXTRA2.name(), EXTRA2).withMustUnderstand(true));
            return l;
        }), b -> { });
        assertThat(compatible(forward(must))).isTrue();
        assertThat(reverse(must)).extracting(Problem::severity, Problem::rule, Problem::message).containsExactly(
                tuple(Severity.ERROR, Rule.NO_VERSION_BUMP, "the layout changed (1 incompatible difference) but both"
                        + " builds call it v2: bump NEW's version and add a step"),
                tuple(Severity.ERROR, Rule.SECTION_UNKNOWN, "must-understand section in NEW, not in OLD, and no step"
                        + " adds it: OLD refuses a state that holds it"));
    }

    @Test
    void aSectionTheNewReaderLacksIsAWarningWhenOptionalAndAnErrorWhenMustUnderstand() {
        CompatChain neu = neu(2, edit(l -> {
            l.removeIf(Field::isSection);
            return l;
        }), b -> { });
        assertThat(forward(neu)).extracting(Problem::severity, Problem::rule, Problem::path)
                .containsExactly(tuple(Severity.WARNING, Rule.SECTION_UNKNOWN, "vs-dev/extra"));
        assertThat(reverse(neu)).extracting(Problem::severity, Problem::rule)
                .containsExactly(tuple(Severity.WARNING, Rule.SECTION_NOT_SENT));

        List<Field> mustFields = edit(l -> {
            l.replaceAll(f -> f.isSection() ? f.withMustUnderstand(true) : f);
            return l;
        });
        CompatChain old = CompatChain.of(schema(2, 1, mustFields)).step(1, s -> s.add("count", Kind.U16, 0)).build();
        assertThat(CompatChecker.check(old, neu, FORWARD)).extracting(Problem::severity, Problem::rule)
                .contains(tuple(Severity.ERROR, Rule.SECTION_UNKNOWN));
    }

    @Test
    void aNewerSectionVersionTheReaderRefuses() {
        Schema extra = new Schema("vs-dev/extra", 2, 2, EXTRA.members());
        CompatChain neu = neu(2, edit(l -> {
            l.replaceAll(f -> f.isSection() ? Field.section(extra.name(), extra) : f);
            return l;
        }), b -> { });
        assertThat(forward(neu)).isEmpty();
        assertThat(reverse(neu)).extracting(Problem::rule, Problem::path, Problem::message).containsExactly(
                tuple(Rule.NO_VERSION_BUMP, "", "the layout changed (1 incompatible difference) but both builds call"
                        + " it v2: bump NEW's version and add a step"),
                tuple(Rule.SECTION_VERSION_NEWER, "vs-dev/extra", "section v2 in NEW, OLD reads up to v1"));
    }

    @Test
    void sectionsInAnotherOrder() {
        List<Field> two = edit(l -> {
            l.add(Field.section(EXTRA2.name(), EXTRA2));
            return l;
        });
        CompatChain old = CompatChain.of(schema(2, 1, two)).step(1, s -> s.add("count", Kind.U16, 0)).build();
        List<Field> swapped = new ArrayList<>(two);
        swapped.add(swapped.remove(swapped.size() - 2));
        CompatChain neu = CompatChain.of(schema(2, 1, swapped)).step(1, s -> s.add("count", Kind.U16, 0)).build();
        assertThat(CompatChecker.check(old, neu, FORWARD)).extracting(Problem::rule, Problem::path, Problem::message)
                .contains(tuple(Rule.ORDER_CHANGED, "vs-dev/extra", "section first in OLD, after vs-dev/wol in NEW,"
                        + " and no step moves it"));
    }

    @Test
    void onlyChainsOfOneTypeCompare() {
        CompatChain other = CompatChain.of(new Schema("vs-other", 1, 1, List.of())).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CompatChecker.check(OLD, other, FORWARD))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cannot compare vs-dev with vs-other");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CompatChecker.check(List.of(OLD, OLD), List.of(),
                FORWARD)).hasMessage("OLD lists device type vs-dev twice");
    }

    // ---- steps -------------------------------------------------------------------------------

    @Test
    void aStepWithAnotherDefaultIsAWarning() {
        CompatChain neu = CompatChain.of(schema(2, 1, FIELDS)).step(1, s -> s.add("count", Kind.U16, 7)).build();
        assertThat(forward(neu)).extracting(Problem::severity, Problem::rule, Problem::versions, Problem::message)
                .containsExactly(tuple(Severity.WARNING, Rule.STEP_CHANGED, List.of(2), "step 1->2 differs: OLD add"
                        + " count uint16, default 0; NEW add count uint16, default 7 (upgrades and downgrades between"
                        + " the builds give other values)"));
    }

    @Test
    void aReportRendersOneLinePerProblemThenTheSummaryAndAsJson() {
        CompatChain neu = neu(2, replace("ctrl", Field.scalar("ctrl", Kind.U16, null)), b -> { });
        CheckReport r = CompatChecker.check(List.of(OLD), List.of(neu), FORWARD);
        assertThat(r.lines()).containsExactly(
                "error: vs-dev v2: the layout changed (1 incompatible difference) but both builds call it v2: bump"
                        + " NEW's version and add a step [no-version-bump]",
                "error: vs-dev v1-2 ctrl: narrowed from uint32 in OLD to uint16 in NEW, and no step retypes it"
                        + " (uint16 holds only 0..65535) [type-narrowed]",
                "1 device type, forward (can NEW read what OLD writes?): 2 errors, 0 warnings: incompatible");
        Map<String, Object> m = r.toMap("old.json", "new.json");
        assertThat(m).containsEntry("vmstate_check", 1L).containsEntry("old", "old.json")
                .containsEntry("direction", "forward").containsEntry("compatible", false).containsEntry("errors", 2L);
        assertThat(dev.vmstate.internal.Json.compact(((List<?>) m.get("problems")).get(1))).isEqualTo(
                "{\"severity\": \"error\", \"rule\": \"type-narrowed\", \"type\": \"vs-dev\", \"versions\": [1, 2],"
                        + " \"path\": \"ctrl\", \"message\": \"narrowed from uint32 in OLD to uint16 in NEW, and no step"
                        + " retypes it (uint16 holds only 0..65535)\"}");
        assertThat(Rule.fromId("type-narrowed")).isEqualTo(Rule.TYPE_NARROWED);
    }

    @Test
    void problemVersionsRender() {
        assertThat(new Problem(Severity.ERROR, Rule.FIELD_ADDED, "t", List.of(1, 3), "", "m").renderVersions())
                .isEqualTo("v1,3");
        assertThat(new Problem(Severity.ERROR, Rule.FIELD_ADDED, "t", List.of(4), "", "m").render())
                .isEqualTo("error: t v4: m [field-added]");
    }
}
