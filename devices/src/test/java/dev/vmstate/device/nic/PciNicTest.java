package dev.vmstate.device.nic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.error.StreamWriteException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree.EnumValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Event;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.RecordingVisitor;
import dev.vmstate.visitor.TreeInVisitor;
import dev.vmstate.visitor.TreeOutVisitor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PciNicTest {
    @Test
    void resetStateRecordsEveryFieldWithoutTheOptionalSections() {
        PciNic nic = new PciNic();
        List<Event> events = RecordingVisitor.record(nic);

        assertThat(events).hasSize(21);
        assertThat(events.get(0)).isEqualTo(Event.buffer("config", nic.config));
        assertThat(events.subList(1, 10)).containsExactly(
                Event.buffer("mac", new byte[] {0x52, 0x54, 0x00, 0x12, 0x34, 0x56}),
                Event.u32("ctrl", 0), Event.u32("status", 0), Event.u32("imask", 0),
                Event.u16("rx_head", 0), Event.u16("rx_tail", 0), Event.u16("tx_head", 0), Event.u16("tx_tail", 0),
                Event.array("mta", new long[128]));
        assertThat(events.subList(10, 21)).containsExactly(
                Event.varray("vlans"), Event.enumeration("link", LinkState.DOWN), Event.bool("promiscuous", false),
                Event.u64("rx_packets", 0), Event.u64("tx_packets", 0), Event.u64("rx_bytes", 0),
                Event.u64("tx_bytes", 0), Event.u64("rx_dropped", 0), Event.u64("rx_crc_errors", 0),
                Event.sectionAbsent("vs-pci-nic/itr"), Event.sectionAbsent("vs-pci-nic/sfp"));
        assertThat(nic.readConfig32(0)).as("device id : vendor id").isEqualTo(0x100E_8086L);
    }

    @Test
    void pendingModerationMakesTheSectionNeeded() {
        PciNic nic = new PciNic();
        nic.itr = 976;
        nic.itrTimer = 5_000;
        nic.icrPending = 0x80;

        assertThat(RecordingVisitor.record(nic)).endsWith(
                Event.sectionStart("vs-pci-nic/itr", 1), Event.u32("itr", 976), Event.i64("itr_timer", 5_000),
                Event.u32("icr_pending", 0x80), Event.sectionEnd(), Event.sectionAbsent("vs-pci-nic/sfp"));
    }

    @Test
    void anSfpValueMakesTheDiagnosticsSectionNeeded() {
        PciNic nic = new PciNic();
        nic.sfpTemperature = 0x2A80;

        assertThat(RecordingVisitor.record(nic)).endsWith(
                Event.sectionStart("vs-pci-nic/sfp", 1), Event.i8("sfp_rx_power_dbm", 0),
                Event.i16("sfp_temperature", 0x2A80), Event.sectionEnd());
    }

    @Test
    void enumTravelsAsItsExplicitCode() {
        PciNic nic = new PciNic();
        nic.link = LinkState.NEGOTIATING;
        StructValue tree = TreeOutVisitor.toTree("vs-pci-nic", nic);

        assertThat(tree.get("link")).isEqualTo(new EnumValue(2, "NEGOTIATING"));
        assertThat(TreeInVisitor.load(tree, new PciNic()).link).isEqualTo(LinkState.NEGOTIATING);
    }

    @Test
    void schemaCoversTheDataModel() {
        Schema schema = PciNic.TYPE.schema();
        assertThat(schema.name()).isEqualTo("vs-pci-nic");
        assertThat(schema.member("config").size()).isEqualTo(256);
        assertThat(schema.member("mta").length()).isEqualTo(128);
        assertThat(schema.member("mta").element()).isEqualTo(Kind.U32);
        assertThat(schema.member("vlans").kind()).isEqualTo(Kind.VARRAY);
        assertThat(schema.member("link").enumNames()).isEqualTo(Map.of(0L, "DOWN", 1L, "UP", 2L, "NEGOTIATING"));
        Schema sfp = schema.member("vs-pci-nic/sfp").struct();
        assertThat(sfp.member("sfp_rx_power_dbm").kind()).isEqualTo(Kind.I8);
        assertThat(sfp.member("sfp_temperature").kind()).isEqualTo(Kind.I16);
        assertThat(schema.member("ctrl").hint().render(Kind.U32, 0x261)).isEqualTo("0x00000261 (FD|ASDE|SLU|SPEED1)");
        assertThat(schema.sections()).extracting(Field::name).containsExactly("vs-pci-nic/itr", "vs-pci-nic/sfp");
    }

    @Test
    void multicastHashFollowsThe8254xFilter() {
        PciNic nic = new PciNic();
        nic.addMulticast(new byte[] {0x33, 0x33, (byte) 0xFF, 0x12, 0x34, 0x56});
        // bits 47:36 of 33:33:ff:12:34:56 = 0x563: entry 43, bit 3
        assertThat(nic.mta[43]).isEqualTo(1L << 3);
    }

    @Test
    void outOfRangeValuesNameTheirPath() {
        PciNic nic = new PciNic();
        nic.vlans = new long[] {1, 70_000};
        assertThatThrownBy(() -> RecordingVisitor.record(nic)).isInstanceOfSatisfying(StreamWriteException.class,
                e -> assertThat(e.path()).isEqualTo("vlans[1]"));
        nic.vlans = new long[0];
        nic.sfpRxPowerDbm = 200;
        assertThatThrownBy(() -> RecordingVisitor.record(nic)).isInstanceOfSatisfying(StreamWriteException.class,
                e -> assertThat(e.path()).isEqualTo("vs-pci-nic/sfp.sfp_rx_power_dbm"));
    }

    @Test
    void configureReadsTheMacAndRejectsAMalformedOne() {
        PciNic nic = new PciNic();
        nic.configure(Map.of("mac", "02:00:00:aa:bb:cc", "addr", "0000:00:05.0"));
        assertThat(nic.macString()).isEqualTo("02:00:00:aa:bb:cc");
        assertThat(nic.addr()).isEqualTo("0000:00:05.0");

        assertThatThrownBy(() -> nic.configure(Map.of("mac", "02:00")))
                .isInstanceOfSatisfying(SchemaMismatchException.class,
                        e -> assertThat(e.path()).isEqualTo("properties.mac"));
        assertThatThrownBy(() -> nic.configure(Map.of("mac", 7L)))
                .isInstanceOfSatisfying(SchemaMismatchException.class,
                        e -> assertThat(e.getOriginalMessage()).isEqualTo("found an integer, expected a string"));
    }
}
