package dev.vmstate.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.device.nic.PciNic;
import dev.vmstate.device.pit.I8254;
import dev.vmstate.device.ramblock.RamBlock;
import dev.vmstate.device.rtc.Mc146818Rtc;
import dev.vmstate.device.serial.Serial;
import dev.vmstate.device.virtio.VirtioDevice;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.machine.DeviceNode;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.DescribeVisitor;
import dev.vmstate.visitor.Event;
import dev.vmstate.visitor.RecordingVisitor;
import dev.vmstate.visitor.TreeInVisitor;
import dev.vmstate.visitor.TreeOutVisitor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MachineTest {
    private static final DeviceRegistry REGISTRY = DeviceRegistry.load();

    private static StructValue tree(Machine m, String id) {
        return TreeOutVisitor.toTree(m.type(id).name(), m.device(id));
    }

    @Test
    void buildsOneConfiguredDevicePerNodeInTreeOrder() {
        Machine m = Machine.build(SampleMachines.samplePc(), REGISTRY);

        assertThat(m.machineType()).isEqualTo("sample-pc");
        assertThat(m.ids()).containsExactly("com1", "rtc", "pit", "nic0", "vda", "ram0");
        assertThat(m.type("com1")).isSameAs(Serial.TYPE);
        assertThat(m.device("com1", Serial.class).iobase()).isEqualTo(0x3F8);
        assertThat(m.device("rtc", Mc146818Rtc.class).irq()).isEqualTo(8);
        assertThat(m.device("pit", I8254.class).iobase()).isEqualTo(0x40);
        assertThat(m.device("nic0", PciNic.class).addr()).isEqualTo("0000:00:03.0");
        assertThat(m.device("vda", VirtioDevice.class).queues).hasSize(3);
        assertThat(m.device("ram0", RamBlock.class).dirtyBitmap).hasSize(64);
        assertThat(m.tree()).isEqualTo(SampleMachines.samplePc());
    }

    @Test
    void populatedStateRoundTripsThroughTreesIntoAFreshMachine() {
        Machine source = SampleMachines.populatedSamplePc(REGISTRY);
        Machine fresh = Machine.build(SampleMachines.samplePc(), REGISTRY);

        for (String id : source.ids()) {
            StructValue saved = tree(source, id);
            assertThat(saved).as(id + " is not in its reset state").isNotEqualTo(tree(fresh, id));
            TreeInVisitor.load(saved, fresh.device(id));
            assertThat(tree(fresh, id)).as(id).isEqualTo(saved);
        }
    }

    @Test
    void populateIsDeterministic() {
        Machine a = SampleMachines.populatedSamplePc(REGISTRY);
        Machine b = SampleMachines.populatedSamplePc(REGISTRY);

        for (String id : a.ids()) {
            assertThat(RecordingVisitor.record(a.device(id))).as(id).isEqualTo(RecordingVisitor.record(b.device(id)));
        }
    }

    @Test
    void populatedDevicesHoldTheAdvertisedState() {
        Machine m = SampleMachines.populatedSamplePc(REGISTRY);

        List<Event> serial = RecordingVisitor.record(m.device("com1"));
        assertThat(serial).contains(Event.u16("divider", 1), Event.sectionStart("serial/recv_fifo", 1),
                Event.sectionStart("serial/fifo_timeout_timer", 1), Event.u32("num", 5));
        Mc146818Rtc rtc = m.device("rtc", Mc146818Rtc.class);
        assertThat(rtc.cmosData[0x09]).isEqualTo((byte) 0x23);
        assertThat(rtc.cmosData[0x32]).isEqualTo((byte) 0x20);
        assertThat(rtc.updateTimer).isGreaterThan(rtc.lastUpdate);
        I8254 pit = m.device("pit", I8254.class);
        assertThat(pit.channel(0).mode).isEqualTo(2);
        assertThat(pit.channel(0).nextTransitionTime).isGreaterThan(SampleMachines.VIRTUAL_NOW_NS);
        PciNic nic = m.device("nic0", PciNic.class);
        assertThat(nic.promiscuous).isTrue();
        assertThat(nic.vlans).containsExactly(1, 100, 200);
        assertThat(RecordingVisitor.record(nic)).contains(Event.sectionStart("vs-pci-nic/itr", 1));
        VirtioDevice vda = m.device("vda", VirtioDevice.class);
        assertThat(vda.queues).extracting(q -> q.num).containsExactly(256, 128, 64);
        assertThat(vda.queues).extracting(q -> q.desc).doesNotHaveDuplicates();
        assertThat(vda.isLive()).isTrue();
        assertThat(m.device("ram0", RamBlock.class).dirtyPages()).isEqualTo(4 + 16 + 3 + 2);
    }

    @Test
    void schemaDoesNotDependOnState() {
        Machine m = SampleMachines.populatedSamplePc(REGISTRY);

        for (String id : m.ids()) {
            DeviceType<?> t = m.type(id);
            assertThat(DescribeVisitor.describe(t.name(), t.version(), t.minimumVersion(), m.device(id)))
                    .as(id).isEqualTo(t.schema());
        }
    }

    @Test
    void samplePcTreeRoundTripsThroughJson() {
        DeviceTree tree = SampleMachines.samplePc();
        String json = tree.toJson();

        assertThat(DeviceTree.fromJson(json)).isEqualTo(tree);
        assertThat(DeviceTree.fromJson(json).toJson()).isEqualTo(json);
        assertThat(tree.find("com1").properties()).containsEntry("iobase", 1016L).containsEntry("chardev", "null");
        assertThat(tree.find("nic0").bus()).isEqualTo("pci.0");
    }

    @Test
    void unknownTypeInTheTreeNamesTheDevice() {
        DeviceTree tree = new DeviceTree("m", List.of(DeviceNode.of("eth0", "e1000", "pci.0", Map.of())));

        assertThatThrownBy(() -> Machine.build(tree, REGISTRY)).isInstanceOfSatisfying(SchemaMismatchException.class,
                e -> {
                    assertThat(e.path()).isEqualTo("eth0");
                    assertThat(e.getOriginalMessage()).startsWith("unknown device type \"e1000\", known: i8254");
                });
    }

    @Test
    void badPropertyNamesTheDeviceAndTheProperty() {
        DeviceTree tree = new DeviceTree("m", List.of(DeviceNode.of("com1", "serial", "isa.0",
                Map.of("iobase", "0x3f8"))));

        assertThatThrownBy(() -> Machine.build(tree, REGISTRY)).isInstanceOfSatisfying(SchemaMismatchException.class,
                e -> {
                    assertThat(e.path()).isEqualTo("com1.properties.iobase");
                    assertThat(e.getOriginalMessage()).isEqualTo("found a string, expected an integer");
                });
    }

    @Test
    void unknownIdAndWrongClassAreReported() {
        Machine m = Machine.build(SampleMachines.samplePc(), REGISTRY);

        assertThatThrownBy(() -> m.device("com2")).isInstanceOf(SchemaMismatchException.class)
                .hasMessage("unknown device id \"com2\" in machine sample-pc, known: com1, rtc, pit, nic0, vda, ram0");
        assertThatThrownBy(() -> m.type("com2")).isInstanceOf(SchemaMismatchException.class);
        assertThatThrownBy(() -> m.device("rtc", Serial.class)).isInstanceOf(SchemaMismatchException.class)
                .hasMessageStartingWith("device is a Mc146818Rtc, expected Serial");
    }
}
