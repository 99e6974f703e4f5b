package dev.vmstate.compat;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Kind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/** The chains the tests share: QEMU's mc146818rtc, and an invented timer that uses every operation. */
final class ExampleChains {
    private ExampleChains() {
    }

    static final Schema RTC_REINJECT = new Schema("mc146818rtc/irq_reinject_on_ack_count", 1, 1,
            List.of(Field.scalar("irq_reinject_on_ack_count", Kind.U16, null)));

    /** mc146818rtc as QEMU 7.2 has it: version 3, minimum 1 (qemu/qemu:hw/rtc/mc146818rtc.c). */
    static final Schema RTC = new Schema("mc146818rtc", 3, 1, List.of(
            Field.buffer("cmos_data", 128),
            Field.scalar("cmos_index", Kind.U8, Hint.HEX),
            Field.buffer("unused[0]", 28),
            Field.scalar("periodic_timer", Kind.I64, Hint.TIMER),
            Field.scalar("next_periodic_time", Kind.I64, null),
            Field.buffer("unused[1]", 24),
            Field.scalar("irq_coalesced", Kind.U32, null),
            Field.scalar("period", Kind.U32, null),
            Field.scalar("base_rtc", Kind.U64, null),
            Field.scalar("last_update", Kind.U64, null),
            Field.scalar("offset", Kind.I64, null),
            Field.scalar("update_timer", Kind.I64, Hint.TIMER),
            Field.scalar("next_alarm_time", Kind.U64, null),
            Field.section(RTC_REINJECT.name(), RTC_REINJECT)));

    /** QEMU's history of the section: fields 7-8 came with version 2, fields 9-13 with version 3. */
    static CompatChain rtc() {
        return CompatChain.of(RTC)
                .step(1, s -> s.add("irq_coalesced", Kind.U32, 0)
                        .add("period", Kind.U32, 0))
                .step(2, s -> s.add("base_rtc", Kind.U64, 0)
                        .add("last_update", Kind.U64, 0)
                        .add("offset", Kind.I64, 0)
                        .add("update_timer", Kind.I64, -1)
                        .add("next_alarm_time", Kind.U64, 0))
                .build();
    }

    static final Schema CHANNEL = new Schema("channel", 1, 1, List.of(
            Field.scalar("op_mode", Kind.U8, null),
            Field.scalar("gate", Kind.BOOL, null)));
    static final Schema EXTRA = new Schema("vs-timer/extra", 1, 1, List.of(Field.scalar("x", Kind.U8, null)));
    static final Schema LATCH = new Schema("vs-timer/latch", 1, 1, List.of(Field.scalar("latch", Kind.U32, Hint.HEX)));

    /** An invented timer at version 3; its history since version 0 uses every kind of operation. */
    static final Schema TIMER = new Schema("vs-timer", 3, 0, List.of(
            Field.scalar("ctrl_lo", Kind.U8, null),
            Field.scalar("ctrl_hi", Kind.U8, null),
            Field.scalar("count", Kind.U32, null),
            Field.scalar("status", Kind.U8, Hint.HEX),
            Field.scalar("period_ns", Kind.U64, null),
            Field.scalar("y", Kind.U8, null),
            Field.list("channels", CHANNEL),
            Field.section(EXTRA.name(), EXTRA),
            Field.section(LATCH.name(), LATCH)));

    /**
     * Version 0 -> 1: two count bytes merged into a u16; {@code legacy} dropped. 1 -> 2: the
     * control word split into bytes, count widened, {@code flags} and each channel's {@code mode}
     * renamed, {@code y} moved out of the extra section. 2 -> 3: {@code latch} moved into a new
     * section, the period counted in ns instead of µs ticks.
     */
    static CompatChain timer() {
        return timerSteps(true).build();
    }

    /** The same history without the transform, as a JSON file can hold it. */
    static CompatChain timerDeclarative() {
        return timerSteps(false).build();
    }

    private static ChainBuilder timerSteps(boolean withTransform) {
        Part lo = new Part("ctrl_lo", Kind.U8, 0, 8);
        Part hi = new Part("ctrl_hi", Kind.U8, 8, 8);
        return CompatChain.of(TIMER)
                .step(0, s -> s.merge("count", Kind.U16, new Part("count_lo", Kind.U8, 0, 8),
                                new Part("count_hi", Kind.U8, 8, 8))
                        .remove("legacy", Field.scalar("legacy", Kind.U8, null), new IntValue(Kind.U8, 0), "flags"))
                .step(1, s -> s.split("ctrl", Kind.U16, lo, hi)
                        .retype("count", Kind.U16, Kind.U32)
                        .rename("flags", "status")
                        .rename("channels.mode", "op_mode")
                        .moveOutOfSection("vs-timer/extra.y", "x"))
                .step(2, s -> {
                    s.add(LATCH.name(), Field.section(LATCH.name(), new Schema(LATCH.name(), 1, 1, List.of())), null)
                            .moveIntoSection("latch", LATCH.name(), "count")
                            .retype("period_ticks", Kind.U32, Kind.U64)
                            .rename("period_ticks", "period_ns");
                    if (withTransform) {
                        s.transform("period-us-to-ns", "", t -> period(t, p -> p * 1000),
                                t -> period(t, p -> Long.divideUnsigned(p, 1000)), false);
                    }
                });
    }

    private static StructValue period(StructValue s, LongUnaryOperator f) {
        Map<String, StateTree> m = new LinkedHashMap<>(s.members());
        m.put("period_ns", new IntValue(Kind.U64, f.applyAsLong(((IntValue) m.get("period_ns")).value())));
        return new StructValue(s.type(), m);
    }

    /** {@code tree} with member {@code name} set to {@code value}. */
    static StructValue with(StructValue tree, String name, StateTree value) {
        Map<String, StateTree> m = new LinkedHashMap<>(tree.members());
        m.put(name, value);
        return new StructValue(tree.type(), m);
    }
}
