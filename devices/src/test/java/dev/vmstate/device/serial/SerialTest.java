package dev.vmstate.device.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.error.StreamWriteException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Event;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.RecordingVisitor;
import dev.vmstate.visitor.TreeInVisitor;
import dev.vmstate.visitor.TreeOutVisitor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SerialTest {
    private static final String[] SECTIONS = {"serial/thr_ipending", "serial/tsr", "serial/recv_fifo",
        "serial/xmit_fifo", "serial/fifo_timeout_timer", "serial/timeout_ipending", "serial/poll"};

    /** The ten fields of QEMU 7.2's reset body: 00 0C 00 00 01 00 08 60 B0 00 00. */
    private static List<Event> resetFields() {
        return List.of(
                Event.u16("divider", 12), Event.u8("rbr", 0), Event.u8("ier", 0), Event.u8("iir", 0x01),
                Event.u8("lcr", 0), Event.u8("mcr", 0x08), Event.u8("lsr", 0x60), Event.u8("msr", 0xB0),
                Event.u8("scr", 0), Event.u8("fcr_vmstate", 0));
    }

    @Test
    void resetStateRecordsQemuResetBody() {
        List<Event> expected = new ArrayList<>();
        expected.add(Event.structStart("state"));
        expected.addAll(resetFields());
        for (String s : SECTIONS) {
            expected.add(Event.sectionAbsent(s));
        }
        expected.add(Event.structEnd());

        assertThat(RecordingVisitor.record(new Serial())).containsExactlyElementsOf(expected);
    }

    @Test
    void everySubsectionNeededRecordsItsFieldsInQemuOrder() {
        Serial serial = new Serial();
        SerialState s = serial.state();
        s.ier = SerialState.IER_THRI;
        s.thrIpending = 1; // iir says "no interrupt", so only the subsection can restore it
        s.tsrRetry = 3;
        s.thr = 0x41;
        s.tsr = 0x42;
        s.recvFifo.push((byte) 'a');
        s.xmitFifo.push((byte) 'b');
        s.xmitFifo.push((byte) 'c');
        s.fifoTimeoutTimer = 1_000_000;
        s.timeoutIpending = 1;
        s.pollMsl = 1;
        s.modemStatusPoll = 2_000_000;
        byte[] recv = new byte[16];
        recv[0] = 'a';
        byte[] xmit = new byte[16];
        xmit[0] = 'b';
        xmit[1] = 'c';

        List<Event> expected = new ArrayList<>();
        expected.add(Event.structStart("state"));
        expected.add(Event.u16("divider", 12));
        expected.addAll(List.of(Event.u8("rbr", 0), Event.u8("ier", 0x02), Event.u8("iir", 0x01),
                Event.u8("lcr", 0), Event.u8("mcr", 0x08), Event.u8("lsr", 0x60), Event.u8("msr", 0xB0),
                Event.u8("scr", 0), Event.u8("fcr_vmstate", 0)));
        expected.addAll(List.of(
                Event.sectionStart("serial/thr_ipending", 1), Event.i32("thr_ipending", 1), Event.sectionEnd(),
                Event.sectionStart("serial/tsr", 1), Event.u32("tsr_retry", 3), Event.u8("thr", 0x41),
                Event.u8("tsr", 0x42), Event.sectionEnd(),
                Event.sectionStart("serial/recv_fifo", 1), Event.structStart("recv_fifo"),
                Event.buffer("data", recv), Event.u32("head", 0), Event.u32("num", 1), Event.structEnd(),
                Event.sectionEnd(),
                Event.sectionStart("serial/xmit_fifo", 1), Event.structStart("xmit_fifo"),
                Event.buffer("data", xmit), Event.u32("head", 0), Event.u32("num", 2), Event.structEnd(),
                Event.sectionEnd(),
                Event.sectionStart("serial/fifo_timeout_timer", 1), Event.i64("fifo_timeout_timer", 1_000_000),
                Event.sectionEnd(),
                Event.sectionStart("serial/timeout_ipending", 1), Event.i32("timeout_ipending", 1),
                Event.sectionEnd(),
                Event.sectionStart("serial/poll", 1), Event.i32("poll_msl", 1),
                Event.i64("modem_status_poll", 2_000_000), Event.sectionEnd(),
                Event.structEnd()));

        assertThat(RecordingVisitor.record(serial)).containsExactlyElementsOf(expected);
    }

    @Test
    void thrIpendingIsNeededOnlyWhenIirCannotRestoreIt() {
        SerialState s = new SerialState();
        s.thrIpending = 1;
        assertThat(s.thrIpendingNeeded()).as("THRI masked").isFalse();
        s.ier = SerialState.IER_THRI;
        assertThat(s.thrIpendingNeeded()).as("iir: no interrupt, pending 1").isTrue();
        s.iir = SerialState.IIR_THRI;
        assertThat(s.thrIpendingNeeded()).as("iir says THRI, pending 1").isFalse();
        s.thrIpending = 0;
        assertThat(s.thrIpendingNeeded()).as("iir says THRI, pending 0").isTrue();
    }

    @Test
    void pollIsNeededFromZeroAndTheOtherSectionsWhenNonZero() {
        SerialState s = new SerialState();
        s.pollMsl = 0;
        assertThat(RecordingVisitor.record(s)).contains(Event.sectionStart("serial/poll", 1))
                .contains(Event.sectionAbsent("serial/timeout_ipending"));
        s.timeoutIpending = -1;
        assertThat(RecordingVisitor.record(s)).contains(Event.sectionStart("serial/timeout_ipending", 1));
    }

    @Test
    void loadDerivesThrIpendingAndPollMslWhenTheirSubsectionsAreAbsent() {
        SerialState source = new SerialState();
        source.iir = SerialState.IIR_THRI;
        source.fcr = 0xC1;
        StructValue tree = TreeOutVisitor.toTree("serial", source);

        SerialState target = new SerialState();
        target.thrIpending = 7;
        target.pollMsl = 5;
        TreeInVisitor.load(tree, target);

        assertThat(target.thrIpending).as("QEMU serial_post_load derives it from IIR").isEqualTo(1);
        assertThat(target.pollMsl).as("QEMU serial_pre_load sets -1").isEqualTo(-1);
        assertThat(target.fcr).as("fcr comes back from fcr_vmstate").isEqualTo(0xC1);
        assertThat(TreeOutVisitor.toTree("serial", target)).isEqualTo(tree);
    }

    @Test
    void loadKeepsSubsectionValues() {
        Serial source = new Serial();
        source.state().ier = SerialState.IER_THRI;
        source.state().thrIpending = 1;
        source.state().pollMsl = 0;
        source.state().modemStatusPoll = 99;
        source.state().receive(new byte[] {1, 2, 3}, 0);
        StructValue tree = TreeOutVisitor.toTree("serial", source);

        Serial target = TreeInVisitor.load(tree, new Serial());

        assertThat(target.state().thrIpending).isEqualTo(1);
        assertThat(target.state().pollMsl).isZero();
        assertThat(target.state().recvFifo.num).isZero(); // fcr is 0: no FIFO, the byte went to rbr
        assertThat(target.state().rbr).isEqualTo(3);
        assertThat(TreeOutVisitor.toTree("serial", target)).isEqualTo(tree);
    }

    @Test
    void schemaListsQemuFieldsAndSevenSubsections() {
        Schema schema = Serial.TYPE.schema();
        assertThat(schema.name()).isEqualTo("serial");
        assertThat(schema.version()).isEqualTo(3);
        assertThat(schema.minimumVersion()).isEqualTo(2);
        assertThat(schema.members()).extracting(Field::name).containsExactly("state");

        Schema inner = schema.member("state").struct();
        assertThat(inner.name()).isEqualTo("serial");
        assertThat(inner.version()).isEqualTo(3);
        assertThat(inner.fields()).extracting(Field::name).containsExactly("divider", "rbr", "ier", "iir", "lcr",
                "mcr", "lsr", "msr", "scr", "fcr_vmstate");
        assertThat(inner.fields()).extracting(Field::kind).containsExactly(Kind.U16, Kind.U8, Kind.U8, Kind.U8,
                Kind.U8, Kind.U8, Kind.U8, Kind.U8, Kind.U8, Kind.U8);
        assertThat(inner.fields().stream().mapToInt(Field::size).sum()).as("QEMU's 11-byte body").isEqualTo(11);
        assertThat(inner.sections()).extracting(Field::name).containsExactly(SECTIONS);
        assertThat(inner.sections()).allSatisfy(f -> assertThat(f.struct().version()).isEqualTo(1));

        Field fifo = inner.member("serial/recv_fifo").struct().member("recv_fifo");
        assertThat(fifo.struct().name()).isEqualTo("Fifo8");
        assertThat(fifo.struct().version()).isEqualTo(1);
        assertThat(fifo.struct().members()).extracting(Field::name).containsExactly("data", "head", "num");
        assertThat(fifo.struct().member("data").size()).isEqualTo(16);
        assertThat(inner.member("serial/poll").struct().member("modem_status_poll").hint().id()).isEqualTo("timer");
    }

    @Test
    void savingAnOutOfRangeRegisterNamesItsPath() {
        Serial serial = new Serial();
        serial.state().lcr = 256;

        assertThatThrownBy(() -> TreeOutVisitor.toTree("serial", serial))
                .isInstanceOfSatisfying(StreamWriteException.class, e -> {
                    assertThat(e.path()).isEqualTo("state.lcr");
                    assertThat(e.getOriginalMessage()).isEqualTo("invalid value 256 for uint8, expected 0..255");
                });
        assertThatThrownBy(() -> RecordingVisitor.record(serial))
                .isInstanceOfSatisfying(StreamWriteException.class, e -> assertThat(e.path()).isEqualTo("state.lcr"));
    }

    @Test
    void anOutOfRangeValueInASubsectionNamesTheSectionInItsPath() {
        Serial serial = new Serial();
        serial.state().recvFifo.push((byte) 1);
        serial.state().recvFifo.head = -1;

        assertThatThrownBy(() -> RecordingVisitor.record(serial)).isInstanceOfSatisfying(VmstateException.class,
                e -> assertThat(e.path()).isEqualTo("state.serial/recv_fifo.recv_fifo.head"));
    }

    @Test
    void receiveQueuesBytesAndArmsTheCharacterTimeout() {
        SerialState s = new SerialState();
        s.setBaud(115200);
        s.lcr = 0x03;
        s.ier = SerialState.IER_RDI;
        s.writeFcr(0xC7);
        s.receive(new byte[] {'h', 'i'}, 1_000);

        assertThat(s.fcr).isEqualTo(0xC1);
        assertThat(s.divider).isEqualTo(1);
        assertThat(s.charTransmitTimeNs()).as("8N1 at 115200").isEqualTo(86_800);
        assertThat(s.fifoTimeoutTimer).isEqualTo(1_000 + 4 * 86_800);
        assertThat(s.recvFifo.num).isEqualTo(2);
        assertThat(s.lsr & SerialState.LSR_DR).isNotZero();
        assertThat(s.iir).as("FIFO on, below the trigger level: no interrupt").isEqualTo(0xC1);
        assertThat(s.recvFifo.pop()).isEqualTo((byte) 'h');
    }
}
