package dev.vmstate.device.pit;

import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.util.Map;

/**
 * One of the three counters of an 8254, saved as QEMU 7.2's {@code vmstate_pit_channel}
 * ("pit channel", v2; qemu/qemu:hw/timer/i8254_common.c): 14 fields, 32 bytes.
 *
 * <p>{@link #irqDisabled} belongs to the channel, as in QEMU's {@code PITChannelState}, but this
 * struct does not visit it: QEMU saves channel 0's copy at the device level, as
 * {@code channels[0].irq_disabled} (see {@link I8254}). Public fields mirror the C struct;
 * times are ns on the virtual clock. Not thread-safe.
 *
 * @since 0.1
 */
public final class PitChannel implements Visitable {
    /** The input clock, QEMU's {@code PIT_FREQ}. */
    public static final long PIT_FREQ = 1_193_182;
    /** Access mode "LSB then MSB", QEMU's {@code RW_STATE_WORD0}. */
    public static final int RW_STATE_WORD0 = 3;

    private static final Hint MODES = Hint.names(Map.of(
            0L, "interrupt on terminal count", 1L, "hardware one-shot", 2L, "rate generator",
            3L, "square wave", 4L, "software strobe", 5L, "hardware strobe"));
    private static final Hint RW_STATES = Hint.names(Map.of(
            0L, "latch", 1L, "LSB", 2L, "MSB", 3L, "LSB then MSB", 4L, "MSB pending"));

    /** The reload value, 1..0x10000 (0x10000 is written as 0). */
    public int count = 0x10000;
    public int latchedCount;
    public int countLatched;
    public int statusLatched;
    public int status;
    public int readState;
    public int writeState;
    public int writeLatch;
    public int rwMode;
    public int mode = 3;
    public int bcd;
    public int gate;
    public long countLoadTime;
    public long nextTransitionTime;
    /** u32; saved by {@link I8254} for channel 0 only. */
    public long irqDisabled;

    @Override
    public void visit(Visitor v) {
        count = v.i32("count", count);
        latchedCount = v.u16("latched_count", latchedCount);
        countLatched = v.u8("count_latched", countLatched);
        statusLatched = v.u8("status_latched", statusLatched);
        status = v.u8("status", status, Hint.HEX);
        readState = v.u8("read_state", readState, RW_STATES);
        writeState = v.u8("write_state", writeState, RW_STATES);
        writeLatch = v.u8("write_latch", writeLatch, Hint.HEX);
        rwMode = v.u8("rw_mode", rwMode, RW_STATES);
        mode = v.u8("mode", mode, MODES);
        bcd = v.u8("bcd", bcd);
        gate = v.u8("gate", gate);
        countLoadTime = v.i64("count_load_time", countLoadTime);
        nextTransitionTime = v.i64("next_transition_time", nextTransitionTime);
    }

    @Override
    public String typeName() {
        return "pit channel";
    }

    @Override
    public int typeVersion() {
        return 2;
    }

    /**
     * Programs the channel as a guest does (control word, then LSB and MSB of {@code newCount}) at
     * virtual time {@code nowNs}, and computes the next output transition.
     */
    public void program(int newMode, int newCount, long nowNs) {
        if (newMode < 0 || newMode > 5 || newCount < 1 || newCount > 0x10000) {
            throw new IllegalArgumentException("mode " + newMode + " count " + newCount);
        }
        mode = newMode;
        rwMode = RW_STATE_WORD0;
        readState = RW_STATE_WORD0;
        writeState = RW_STATE_WORD0;
        writeLatch = newCount & 0xFF;
        count = newCount;
        countLoadTime = nowNs;
        nextTransitionTime = nextTransitionTime(nowNs);
    }

    /**
     * QEMU 7.2 i8254_common.c {@code pit_get_next_transition_time}: the virtual time of the next
     * output change after {@code currentTime}, or -1 when the output will not change again.
     */
    public long nextTransitionTime(long currentTime) {
        long d = muldiv(currentTime - countLoadTime, PIT_FREQ, 1_000_000_000L);
        long next;
        switch (mode) {
            case 2 -> {
                long base = (d / count) * count;
                next = (d - base) == 0 && d != 0 ? base + count : base + count + 1;
            }
            case 3 -> {
                long base = (d / count) * count;
                long period2 = (count + 1) >> 1;
                next = (d - base) < period2 ? base + period2 : base + count;
            }
            case 4, 5 -> {
                if (d < count) {
                    next = count;
                } else if (d == count) {
                    next = count + 1;
                } else {
                    return -1;
                }
            }
            default -> {
                if (d < count) {
                    next = count;
                } else {
                    return -1;
                }
            }
        }
        long t = countLoadTime + muldiv(next, 1_000_000_000L, PIT_FREQ);
        // QEMU: "fix potential rounding problems".
        return t <= currentTime ? currentTime + 1 : t;
    }

    /** {@code a * b / c} without overflow for the ranges used here, as QEMU's muldiv64. */
    private static long muldiv(long a, long b, long c) {
        return java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(b))
                .divide(java.math.BigInteger.valueOf(c)).longValue();
    }
}
