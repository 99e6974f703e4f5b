package dev.vmstate.device.rtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Event;
import dev.vmstate.visitor.RecordingVisitor;
import dev.vmstate.visitor.TreeInVisitor;
import dev.vmstate.visitor.TreeOutVisitor;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Mc146818RtcTest {
    @Test
    void resetStateRecordsThirteenFieldsAndNoSubsection() {
        byte[] cmos = new byte[128];
        cmos[0x0A] = 0x26;
        cmos[0x0B] = 0x02;
        cmos[0x0D] = (byte) 0x80;

        assertThat(RecordingVisitor.record(new Mc146818Rtc())).containsExactly(
                Event.buffer("cmos_data", cmos),
                Event.u8("cmos_index", 0),
                Event.buffer("unused[0]", new byte[28]),
                Event.i64("periodic_timer", -1),
                Event.i64("next_periodic_time", 0),
                Event.buffer("unused[1]", new byte[24]),
                Event.u32("irq_coalesced", 0),
                Event.u32("period", 0),
                Event.u64("base_rtc", 0),
                Event.u64("last_update", 0),
                Event.i64("offset", 0),
                Event.i64("update_timer", -1),
                Event.u64("next_alarm_time", 0),
                Event.sectionAbsent("mc146818rtc/irq_reinject_on_ack_count"));
    }

    @Test
    void reinjectCountMakesTheSubsectionNeeded() {
        Mc146818Rtc rtc = new Mc146818Rtc();
        rtc.irqReinjectOnAckCount = 3;

        assertThat(RecordingVisitor.record(rtc)).endsWith(
                Event.u64("next_alarm_time", 0),
                Event.sectionStart("mc146818rtc/irq_reinject_on_ack_count", 1),
                Event.u16("irq_reinject_on_ack_count", 3),
                Event.sectionEnd());
    }

    @Test
    void schemaHasQemuFieldsAnd245Bytes() {
        Schema schema = Mc146818Rtc.TYPE.schema();
        assertThat(schema.name()).isEqualTo("mc146818rtc");
        assertThat(schema.version()).isEqualTo(3);
        assertThat(schema.minimumVersion()).isEqualTo(1);
        assertThat(schema.fields()).hasSize(13).extracting(Field::name).containsExactly("cmos_data", "cmos_index",
                "unused[0]", "periodic_timer", "next_periodic_time", "unused[1]", "irq_coalesced", "period",
                "base_rtc", "last_update", "offset", "update_timer", "next_alarm_time");
        assertThat(schema.fields().stream().mapToInt(Field::size).sum()).isEqualTo(245);
        assertThat(schema.sections()).extracting(Field::name)
                .containsExactly("mc146818rtc/irq_reinject_on_ack_count");
        assertThat(schema.member("update_timer").hint().id()).isEqualTo("timer");
    }

    @Test
    void setDateWritesTheBcdBytesOfTheQemuReferenceStream() {
        Mc146818Rtc rtc = new Mc146818Rtc();
        rtc.configure(Map.of("base_year", 2000L));
        rtc.setDate(LocalDateTime.of(2023, 1, 1, 0, 0, 0));

        // qemu-migration.md 10.1: cmos_data[0..13] of pc-i440fx-7.2-devices.mig.
        assertThat(HexFormat.of().formatHex(Arrays.copyOf(rtc.cmosData, 14)))
                .isEqualTo("0000000000000101012326020080");
        assertThat(rtc.cmosData[Mc146818Rtc.RTC_CENTURY]).isEqualTo((byte) 0x20);
        assertThat(rtc.baseRtc).isEqualTo(1_672_531_200L);
        assertThat(rtc.baseYear()).as("QEMU takes base_year 2000 to mean 0").isZero();
    }

    @Test
    void setDateHonoursTwelveHourAndBinaryModes() {
        Mc146818Rtc rtc = new Mc146818Rtc();
        rtc.cmosData[Mc146818Rtc.RTC_REG_B] = Mc146818Rtc.REG_B_DM; // binary, 12-hour
        rtc.setDate(LocalDateTime.of(1999, 12, 31, 23, 59, 58));

        assertThat(rtc.cmosData[Mc146818Rtc.RTC_SECONDS]).isEqualTo((byte) 58);
        assertThat(rtc.cmosData[Mc146818Rtc.RTC_HOURS]).isEqualTo((byte) (0x80 | 11));
        assertThat(rtc.cmosData[Mc146818Rtc.RTC_DAY_OF_WEEK]).as("Friday").isEqualTo((byte) 6);
        assertThat(rtc.cmosData[Mc146818Rtc.RTC_YEAR]).as("1999 - 1980").isEqualTo((byte) 19);
    }

    @Test
    void unusedBytesSurviveARoundTrip() {
        Mc146818Rtc source = new Mc146818Rtc();
        source.unused0[5] = 0x55;
        source.unused1[23] = (byte) 0xAA;
        StructValue tree = TreeOutVisitor.toTree("mc146818rtc", source);

        Mc146818Rtc target = TreeInVisitor.load(tree, new Mc146818Rtc());

        assertThat(target.unused0).isEqualTo(source.unused0);
        assertThat(target.unused1).isEqualTo(source.unused1);
        assertThat(TreeOutVisitor.toTree("mc146818rtc", target)).isEqualTo(tree);
    }
}
