package dev.vmstate.compat;

import static dev.vmstate.compat.ExampleChains.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.error.LossyDowngradeException;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.error.VersionException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.testkit.Arbitraries;
import dev.vmstate.testkit.Properties;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mc146818rtc chain as QEMU's history has it, and the invented timer's chain through every operation. */
class CompatChainTest {
    static final CompatChain RTC = ExampleChains.rtc();
    static final CompatChain TIMER = ExampleChains.timer();

    static List<String> names(Schema s) {
        return s.members().stream().map(Field::name).toList();
    }

    @Test
    void rtcSchemaOfEveryVersionMatchesQemu() {
        Schema v1 = RTC.schemaAt(1);
        assertThat(names(v1)).containsExactly("cmos_data", "cmos_index", "unused[0]", "periodic_timer",
                "next_periodic_time", "unused[1]", "mc146818rtc/irq_reinject_on_ack_count");
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v1.minimumVersion()).isEqualTo(1);
        assertThat(names(RTC.schemaAt(2))).containsExactly("cmos_data", "cmos_index", "unused[0]", "periodic_timer",
                "next_periodic_time", "unused[1]", "irq_coalesced", "period", "mc146818rtc/irq_reinject_on_ack_count");
        assertThat(RTC.schemaAt(3)).isEqualTo(ExampleChains.RTC);
        assertThat(v1.member("cmos_index")).isEqualTo(ExampleChains.RTC.member("cmos_index"));
    }

    @Test
    void rtcUpgradeFillsDefaults() {
        StructValue v1 = Zero.of(RTC.schemaAt(1));
        StructValue v3 = RTC.upgrade(v1, 1);
        assertThat(v3.get("update_timer")).isEqualTo(new IntValue(Kind.I64, -1));
        assertThat(v3.get("period")).isEqualTo(new IntValue(Kind.U32, 0));
        assertThat(List.copyOf(v3.members().keySet())).isEqualTo(names(ExampleChains.RTC).subList(0, 13));
        Fits.check(ExampleChains.RTC, v3);
    }

    @Test
    void rtcDowngradeOfANonDefaultValueFailsWithPathValueAndVersion() {
        StructValue v3 = with(RTC.upgrade(Zero.of(RTC.schemaAt(1)), 1), "base_rtc", new IntValue(Kind.U64, 5));
        assertThatThrownBy(() -> RTC.downgrade(v3, 1, false))
                .isInstanceOfSatisfying(LossyDowngradeException.class, e -> {
                    assertThat(e.path()).isEqualTo("mc146818rtc.base_rtc");
                    assertThat(e.value()).isEqualTo(new IntValue(Kind.U64, 5));
                    assertThat(e.targetVersion()).isEqualTo(1);
                    assertThat(e.getOriginalMessage()).isEqualTo("downgrade to version 1 would lose 5: step 3->2,"
                            + " remove base_rtc uint64, default 0: not the default");
                    assertThat(e.getMessage()).endsWith("\n at mc146818rtc.base_rtc");
                });
        // Version 3 itself and version 2 after the value is back at its default lose nothing.
        assertThat(RTC.downgrade(v3, 3, false).tree()).isEqualTo(v3);
        assertThat(RTC.downgrade(with(v3, "base_rtc", new IntValue(Kind.U64, 0)), 2, false).lossless()).isTrue();
    }

    @Test
    void rtcDowngradeAllowingLossReportsEveryDroppedValue() {
        StructValue v3 = RTC.upgrade(Zero.of(RTC.schemaAt(1)), 1);
        for (String name : List.of("irq_coalesced", "period", "base_rtc", "last_update", "next_alarm_time")) {
            Kind k = ((IntValue) v3.get(name)).kind();
            v3 = with(v3, name, new IntValue(k, 9));
        }
        v3 = with(v3, "offset", new IntValue(Kind.I64, -3));
        v3 = with(v3, "update_timer", new IntValue(Kind.I64, 1000));
        Conversion c = RTC.downgrade(v3, 1, true);
        assertThat(c.version()).isEqualTo(1);
        assertThat(c.tree()).isEqualTo(Zero.of(RTC.schemaAt(1)));
        assertThat(c.losses()).extracting(Loss::path).containsExactlyInAnyOrder("mc146818rtc.irq_coalesced",
                "mc146818rtc.period", "mc146818rtc.base_rtc", "mc146818rtc.last_update", "mc146818rtc.offset",
                "mc146818rtc.update_timer", "mc146818rtc.next_alarm_time");
        assertThat(c.losses()).allSatisfy(l -> assertThat(l.targetVersion()).isEqualTo(1));
        assertThat(c.losses()).filteredOn(l -> l.path().endsWith("offset")).singleElement()
                .satisfies(l -> assertThat(l.value()).isEqualTo(new IntValue(Kind.I64, -3)))
                .satisfies(l -> assertThat(l.what()).startsWith("step 3->2, remove offset int64, default 0"));
    }

    @Test
    void rtcEveryOldStateUpgradesAndComesBackExactly() {
        for (int v = 1; v <= 3; v++) {
            int from = v;
            Properties.qt().forAll(Arbitraries.states(RTC.schemaAt(from))).checkAssert(old -> {
                StructValue now = RTC.upgrade(old, from);
                Fits.check(ExampleChains.RTC, now);
                Conversion back = RTC.downgrade(now, from, false);
                assertThat(back.tree()).isEqualTo(old);
                assertThat(back.lossless()).isTrue();
            });
        }
    }

    @Test
    void versionsOutsideTheChainFailClearly() {
        StructValue v1 = Zero.of(RTC.schemaAt(1));
        assertThatThrownBy(() -> RTC.schemaAt(0)).isInstanceOf(VersionException.class)
                .hasMessage("mc146818rtc version 0 is older than the minimum version 1");
        assertThatThrownBy(() -> RTC.upgrade(v1, 4)).isInstanceOf(VersionException.class)
                .hasMessage("mc146818rtc version 4 is newer than the current version 3");
        assertThatThrownBy(() -> RTC.downgrade(RTC.upgrade(v1, 1), 0, true)).isInstanceOf(VersionException.class);
    }

    @Test
    void aTreeOfTheWrongVersionIsRefusedWithItsPath() {
        StructValue v1 = Zero.of(RTC.schemaAt(1));
        assertThatThrownBy(() -> RTC.upgrade(v1, 2)).isInstanceOf(SchemaMismatchException.class)
                .hasMessage("missing value, expected uint32\n at mc146818rtc.irq_coalesced");
        assertThatThrownBy(() -> RTC.downgrade(v1, 1, true)).isInstanceOf(SchemaMismatchException.class);
    }

    @Test
    void removableBelowListsTheStepsARaisedMinimumMakesDeletable() {
        assertThat(RTC.removableBelow(3)).extracting(Step::from).containsExactly(1, 2);
        assertThat(RTC.removableBelow(2)).extracting(Step::from).containsExactly(1);
        assertThat(RTC.removableBelow(1)).isEmpty();
        assertThat(RTC.removableBelow(0)).isEmpty();
        assertThatThrownBy(() -> RTC.removableBelow(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mc146818rtc: minimum version 4 above the current version 3");
    }

    @Test
    void timerSchemaOfEveryVersion() {
        assertThat(names(TIMER.schemaAt(0))).containsExactly("ctrl", "count_lo", "count_hi", "latch", "flags",
                "legacy", "period_ticks", "channels", "vs-timer/extra");
        assertThat(names(TIMER.schemaAt(1))).containsExactly("ctrl", "count", "latch", "flags", "period_ticks",
                "channels", "vs-timer/extra");
        assertThat(names(TIMER.schemaAt(1).member("vs-timer/extra").struct())).containsExactly("x", "y");
        assertThat(names(TIMER.schemaAt(1).member("channels").struct())).containsExactly("mode", "gate");
        assertThat(names(TIMER.schemaAt(2))).containsExactly("ctrl_lo", "ctrl_hi", "count", "latch", "status",
                "period_ticks", "y", "channels", "vs-timer/extra");
        assertThat(TIMER.schemaAt(2).member("count").kind()).isEqualTo(Kind.U32);
        assertThat(TIMER.schemaAt(2).member("period_ticks").kind()).isEqualTo(Kind.U32);
        assertThat(TIMER.schemaAt(3)).isEqualTo(ExampleChains.TIMER);
        assertThat(TIMER.steps()).extracting(Step::describe).containsExactly(
                "0 -> 1: merge count_lo[0..7] uint8, count_hi[8..15] uint8 into count uint16;"
                        + " remove legacy uint8, default 0",
                "1 -> 2: split ctrl uint16 into ctrl_lo[0..7] uint8, ctrl_hi[8..15] uint8;"
                        + " retype count uint16 -> uint32 (widen); rename flags to status;"
                        + " rename channels.mode to op_mode; move vs-timer/extra.y out of section vs-timer/extra",
                "2 -> 3: add vs-timer/latch section v1, default absent; move latch into section vs-timer/latch;"
                        + " retype period_ticks uint32 -> uint64 (widen); rename period_ticks to period_ns;"
                        + " transform period-us-to-ns at (root) (lossy)");
    }

    @Test
    void timerEveryOldStateUpgradesWithoutLossAndComesBackExactly() {
        for (int v = 0; v <= 3; v++) {
            int from = v;
            Properties.qt().forAll(Arbitraries.states(TIMER.schemaAt(from))).checkAssert(generated -> {
                // Version 1 dropped legacy; only its default upgrades without loss (see the next test).
                StructValue old = from == 0 ? with(generated, "legacy", new IntValue(Kind.U8, 0)) : generated;
                Conversion now = TIMER.upgrade(old, from, false);
                Fits.check(ExampleChains.TIMER, now.tree());
                Conversion back = TIMER.downgrade(now.tree(), from, false);
                assertThat(back.tree()).isEqualTo(old);
            });
        }
    }

    @Test
    void timerEveryStateThatLosesNothingGoingDownComesBackUp() {
        Properties.qt().forAll(Arbitraries.states(ExampleChains.TIMER)).checkAssert(generated -> {
            // Periods a version 2 peer can state: whole microseconds that fit its u32.
            // and counts that fit the u16 of versions 0 and 1.
            long us = ((IntValue) generated.get("period_ns")).value() & 0xFFFF_FFFFL;
            long count = ((IntValue) generated.get("count")).value() & 0xFFFF;
            StructValue now = with(with(generated, "period_ns", new IntValue(Kind.U64, us * 1000)),
                    "count", new IntValue(Kind.U32, count));
            for (int v = 0; v <= 3; v++) {
                Conversion old = TIMER.downgrade(now, v, false);
                Fits.check(TIMER.schemaAt(v), old.tree());
                StructValue back = TIMER.upgrade(old.tree(), v);
                assertThat(Conversions.normal(back, ExampleChains.TIMER, true))
                        .isEqualTo(Conversions.normal(now, ExampleChains.TIMER, true));
            }
        });
    }

    @Test
    void timerUpgradeOfARemovedNonDefaultValueFailsUnlessLossIsAllowed() {
        StructValue v0 = with(Zero.of(TIMER.schemaAt(0)), "legacy", new IntValue(Kind.U8, 1));
        assertThatThrownBy(() -> TIMER.upgrade(v0, 0)).isInstanceOfSatisfying(LossyDowngradeException.class, e -> {
            assertThat(e.path()).isEqualTo("vs-timer.legacy");
            assertThat(e.targetVersion()).isEqualTo(3);
            assertThat(e.getOriginalMessage()).isEqualTo("upgrade to version 3 would lose 1: step 0->1,"
                    + " remove legacy uint8, default 0: not the default");
        });
        Conversion c = TIMER.upgrade(v0, 0, true);
        assertThat(c.losses()).extracting(Loss::toString).containsExactly("vs-timer.legacy: 1 lost for version 3"
                + " (step 0->1, remove legacy uint8, default 0: not the default)");
        assertThat(c.tree()).isEqualTo(TIMER.upgrade(Zero.of(TIMER.schemaAt(0)), 0));
    }

    @Test
    void timerDowngradeReportsAPeriodTheOlderVersionCannotState() {
        StructValue now = TIMER.upgrade(Zero.of(TIMER.schemaAt(1)), 1);
        StructValue odd = with(now, "period_ns", new IntValue(Kind.U64, 1500));
        assertThatThrownBy(() -> TIMER.downgrade(odd, 2, false)).isInstanceOfSatisfying(LossyDowngradeException.class,
                e -> {
                    assertThat(e.path()).isEqualTo("vs-timer.period_ns");
                    assertThat(e.targetVersion()).isEqualTo(2);
                    assertThat(e.getOriginalMessage()).isEqualTo("downgrade to version 2 would lose 1500: step 3->2,"
                            + " transform period-us-to-ns at (root) (lossy): comes back as 1000");
                });
        StructValue huge = with(now, "period_ns", new IntValue(Kind.U64, 5_000_000_000_000L));
        Conversion c = TIMER.downgrade(huge, 1, true);
        assertThat(c.losses()).singleElement().satisfies(l -> {
            assertThat(l.path()).isEqualTo("vs-timer.period_ticks");
            assertThat(l.what()).isEqualTo("step 3->2, retype period_ticks uint64 -> uint32 (narrow):"
                    + " outside 0..4294967295, becomes 4294967295");
        });
        assertThat(c.tree().get("period_ticks")).isEqualTo(new IntValue(Kind.U32, 0xFFFF_FFFFL));
    }

    @Test
    void aChainWithNoStepsHasOneVersion() {
        CompatChain only = CompatChain.of(ExampleChains.RTC).minimum(3).build();
        assertThat(only.schemaAt(3)).isEqualTo(ExampleChains.RTC.withVersions(3, 3));
        assertThat(only.steps()).isEmpty();
        assertThatThrownBy(() -> only.schemaAt(2)).isInstanceOf(VersionException.class);
    }
}
