package dev.vmstate.device.rtc;

import dev.vmstate.compat.CompatChain;
import dev.vmstate.device.Configurable;
import dev.vmstate.device.DeviceProperties;
import dev.vmstate.device.DeviceType;
import dev.vmstate.schema.Schema;
import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The MC146818 real-time clock and its 128-byte CMOS RAM, QEMU's {@code mc146818rtc}: version 3,
 * loads from version 1 (qemu/qemu:hw/rtc/mc146818rtc.c @7.2). Thirteen fields (245 bytes at v3)
 * and one subsection, {@code mc146818rtc/irq_reinject_on_ack_count}, saved when the count is not
 * zero.
 *
 * <p>The two {@code VMSTATE_UNUSED} runs (28 and 24 bytes, vmdesc names {@code unused[0]} and
 * {@code unused[1]}) are kept as this device's own arrays: zeros unless a stream carried
 * something else, which is then written back unchanged.
 *
 * <p>Properties: {@code iobase} (0x70), {@code irq} (8), {@code base_year} (1980, QEMU's
 * default; the PC sets 2000, which QEMU takes to mean 0). Public fields mirror QEMU's
 * {@code RTCState}; timers are absolute ns on the RTC clock (the host clock by default) or -1.
 * Not thread-safe.
 *
 * @since 0.1
 */
public final class Mc146818Rtc implements Visitable, Configurable {
    /** The {@code mc146818rtc} device type. */
    public static final DeviceType<Mc146818Rtc> TYPE = DeviceType.of("mc146818rtc", 3, 1,
            "MC146818 RTC with CMOS RAM, QEMU 7.2 layout", Mc146818Rtc.class, Mc146818Rtc::new)
            .withHistory(Mc146818Rtc::history);

    /**
     * QEMU's history of the section (hw/rtc/mc146818rtc.c, reference §9.3): version 2 added
     * {@code irq_coalesced} and {@code period}, version 3 the five fields of the realtime clock.
     * A v1 stream carries fields 1-6 (197 bytes), a v2 stream fields 1-8 (205 bytes). The defaults
     * are what QEMU's post_load starts from for an older stream: zero, and an unarmed timer (-1).
     */
    static CompatChain history(Schema current) {
        return CompatChain.of(current)
                .step(1, s -> s.add("irq_coalesced", Kind.U32, 0).add("period", Kind.U32, 0))
                .step(2, s -> s.add("base_rtc", Kind.U64, 0).add("last_update", Kind.U64, 0)
                        .add("offset", Kind.I64, 0).add("update_timer", Kind.I64, -1)
                        .add("next_alarm_time", Kind.U64, 0))
                .build();
    }

    // CMOS register indices, as QEMU's include/hw/rtc/mc146818rtc_regs.h.
    public static final int RTC_SECONDS = 0x00;
    public static final int RTC_MINUTES = 0x02;
    public static final int RTC_HOURS = 0x04;
    public static final int RTC_DAY_OF_WEEK = 0x06;
    public static final int RTC_DAY_OF_MONTH = 0x07;
    public static final int RTC_MONTH = 0x08;
    public static final int RTC_YEAR = 0x09;
    public static final int RTC_REG_A = 0x0A;
    public static final int RTC_REG_B = 0x0B;
    public static final int RTC_REG_C = 0x0C;
    public static final int RTC_REG_D = 0x0D;
    public static final int RTC_CENTURY = 0x32;
    /** Register B: 24-hour mode. */
    public static final int REG_B_24H = 0x02;
    /** Register B: binary, not BCD. */
    public static final int REG_B_DM = 0x04;

    public byte[] cmosData = new byte[128];
    public int cmosIndex;
    /** QEMU's first {@code VMSTATE_UNUSED(7 * 4)}. */
    public byte[] unused0 = new byte[28];
    public long periodicTimer = -1;
    public long nextPeriodicTime;
    /** QEMU's second {@code VMSTATE_UNUSED(3 * 8)}. */
    public byte[] unused1 = new byte[24];
    /** u32. */
    public long irqCoalesced;
    /** u32: the periodic interrupt period in 32.768 kHz ticks. */
    public long period;
    /** u64: the guest time in seconds since 1970 at {@link #lastUpdate}. */
    public long baseRtc;
    /** u64: RTC-clock ns of the last update of {@link #baseRtc}. */
    public long lastUpdate;
    /** Sub-second ns between the clock and the guest's second boundary. */
    public long offset;
    public long updateTimer = -1;
    /** u64: RTC-clock ns of the next alarm. */
    public long nextAlarmTime;
    /** u16: interrupts re-injected before the guest acknowledged them (lost_tick_policy=slew). */
    public int irqReinjectOnAckCount;

    private long iobase = 0x70;
    private int irq = 8;
    private int baseYear = 1980;

    private final Visitable reinjectBody =
            v -> irqReinjectOnAckCount = v.u16("irq_reinject_on_ack_count", irqReinjectOnAckCount);

    /** Power-on state: the date is not set yet; registers A, B and D as QEMU's realize sets them. */
    public Mc146818Rtc() {
        cmosData[RTC_REG_A] = 0x26; // 32.768 kHz time base, 1024 Hz rate
        cmosData[RTC_REG_B] = REG_B_24H;
        cmosData[RTC_REG_D] = (byte) 0x80; // VRT: the battery is good
    }

    @Override
    public void visit(Visitor v) {
        // QEMU 7.2 hw/rtc/mc146818rtc.c vmstate_rtc, fields in declaration order.
        cmosData = v.buffer("cmos_data", cmosData, 128);
        cmosIndex = v.u8("cmos_index", cmosIndex, Hint.HEX);
        unused0 = v.buffer("unused[0]", unused0, 28);
        periodicTimer = v.i64("periodic_timer", periodicTimer, Hint.TIMER);
        nextPeriodicTime = v.i64("next_periodic_time", nextPeriodicTime);
        unused1 = v.buffer("unused[1]", unused1, 24);
        irqCoalesced = v.u32("irq_coalesced", irqCoalesced);
        period = v.u32("period", period);
        baseRtc = v.u64("base_rtc", baseRtc);
        lastUpdate = v.u64("last_update", lastUpdate);
        offset = v.i64("offset", offset);
        updateTimer = v.i64("update_timer", updateTimer, Hint.TIMER);
        nextAlarmTime = v.u64("next_alarm_time", nextAlarmTime);
        v.section("mc146818rtc/irq_reinject_on_ack_count", irqReinjectOnAckCount != 0, reinjectBody);
    }

    @Override
    public void configure(Map<String, Object> properties) {
        iobase = DeviceProperties.integer(properties, "iobase", iobase, 0, 0xFFFF);
        irq = (int) DeviceProperties.integer(properties, "irq", irq, 0, 15);
        int year = (int) DeviceProperties.integer(properties, "base_year", baseYear, 0, 9999);
        // QEMU 7.2 rtc_realizefn: "for historical reasons" base_year 2000 means 0, so that the
        // century byte is set correctly (0x20 in the PC's CMOS).
        baseYear = year == 2000 ? 0 : year;
    }

    public long iobase() {
        return iobase;
    }

    public int irq() {
        return irq;
    }

    /** The year the CMOS year and century registers count from (0 when configured as 2000, as in QEMU). */
    public int baseYear() {
        return baseYear;
    }

    /**
     * Sets the clock to {@code time} (UTC): the CMOS date registers in the mode register B selects,
     * and {@link #baseRtc}, as QEMU 7.2's {@code rtc_set_date_from_tm} and {@code rtc_set_time} do.
     */
    public void setDate(LocalDateTime time) {
        int year = time.getYear() - baseYear;
        cmosData[RTC_SECONDS] = (byte) toCmos(time.getSecond());
        cmosData[RTC_MINUTES] = (byte) toCmos(time.getMinute());
        int hour = time.getHour();
        if ((cmosData[RTC_REG_B] & REG_B_24H) != 0) {
            cmosData[RTC_HOURS] = (byte) toCmos(hour);
        } else {
            // 12-hour mode: 12 for 0 and 12, PM in bit 7 (QEMU's rtc_set_cmos).
            int h12 = hour % 12 == 0 ? 12 : hour % 12;
            cmosData[RTC_HOURS] = (byte) (toCmos(h12) | (hour >= 12 ? 0x80 : 0));
        }
        // tm_wday counts from Sunday = 0; the register from Sunday = 1.
        cmosData[RTC_DAY_OF_WEEK] = (byte) toCmos(time.getDayOfWeek().getValue() % 7 + 1);
        cmosData[RTC_DAY_OF_MONTH] = (byte) toCmos(time.getDayOfMonth());
        cmosData[RTC_MONTH] = (byte) toCmos(time.getMonthValue());
        cmosData[RTC_YEAR] = (byte) toCmos(Math.floorMod(year, 100));
        // QEMU 7.2 rtc_set_cmos: the century is relative to base_year too.
        cmosData[RTC_CENTURY] = (byte) toCmos(Math.floorDiv(year, 100));
        baseRtc = time.toEpochSecond(ZoneOffset.UTC);
    }

    /** {@code value} as register B says: BCD unless DM is set. */
    int toCmos(int value) {
        if ((cmosData[RTC_REG_B] & REG_B_DM) != 0) {
            return value;
        }
        return ((value / 10) << 4) | (value % 10);
    }
}
