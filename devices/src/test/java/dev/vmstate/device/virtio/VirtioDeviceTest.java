package dev.vmstate.device.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Event;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.RecordingVisitor;
import dev.vmstate.visitor.TreeInVisitor;
import dev.vmstate.visitor.TreeOutVisitor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VirtioDeviceTest {
    @Test
    void resetStateRecordsOneQueueAndNoInflightSection() {
        VirtioDevice d = new VirtioDevice();

        assertThat(RecordingVisitor.record(d)).containsExactly(
                Event.u16("device_id", 2),
                Event.u64("device_features", 0x1_3000_1644L),
                Event.u64("driver_features", 0),
                Event.u8("status", 0),
                Event.u8("config_generation", 0),
                Event.u8("isr", 0),
                Event.u16("queue_sel", 0),
                Event.listStart("queues", 1),
                Event.structStart("queues"),
                Event.u16("num", 256), Event.u64("desc", 0), Event.u64("avail", 0), Event.u64("used", 0),
                Event.u16("last_avail_idx", 0), Event.u16("used_idx", 0), Event.u16("vector", 0xFFFF),
                Event.bool("enabled", false),
                Event.structEnd(),
                Event.listEnd(),
                Event.bytes("config", d.config),
                Event.str("serial", ""),
                Event.sectionAbsent("vs-virtio-dev/inflight"));
    }

    @Test
    void configureSizesTheQueuesAndTheBlockConfig() {
        VirtioDevice d = new VirtioDevice();
        d.configure(Map.of("num-queues", 3L, "queue-size", 128L, "capacity", 2048L, "serial", "S1"));

        assertThat(d.queues).hasSize(3).allSatisfy(q -> assertThat(q.num).isEqualTo(128));
        assertThat(d.config).hasSize(36);
        assertThat(d.config[0]).as("capacity, little-endian").isEqualTo((byte) 0x00);
        assertThat(d.config[1]).isEqualTo((byte) 0x08);
        assertThat(d.config[12]).as("seg_max = queue size - 2").isEqualTo((byte) 126);
        assertThat(d.config[34]).as("num_queues").isEqualTo((byte) 3);
        assertThat(d.serial).isEqualTo("S1");
    }

    @Test
    void listAndInflightSectionRoundTrip() {
        VirtioDevice source = new VirtioDevice();
        source.configure(Map.of("num-queues", 2L));
        source.queues.get(1).num = 64;
        source.queues.get(1).place(0x10_0000L);
        source.inflight = new long[] {3, 9};
        StructValue tree = TreeOutVisitor.toTree("vs-virtio-dev", source);

        VirtioDevice target = TreeInVisitor.load(tree, new VirtioDevice());

        assertThat(target.queues).hasSize(2);
        assertThat(target.queues.get(1).used).isEqualTo(0x10_0000L + 16 * 64 + 6 + 2 * 64 + 2);
        assertThat(target.inflight).containsExactly(3, 9);
        assertThat(RecordingVisitor.record(target)).endsWith(
                Event.sectionStart("vs-virtio-dev/inflight", 1), Event.varray("heads", 3, 9), Event.sectionEnd());
        assertThat(TreeOutVisitor.toTree("vs-virtio-dev", target)).isEqualTo(tree);
    }

    @Test
    void schemaTakesTheQueueTypeFromTheFactory() {
        VirtioDevice d = new VirtioDevice();
        d.queues = List.of();
        Schema schema = dev.vmstate.visitor.DescribeVisitor.describe("vs-virtio-dev", 3, 1, d);

        assertThat(schema).isEqualTo(VirtioDevice.TYPE.schema());
        assertThat(schema.member("queues").kind()).isEqualTo(Kind.LIST);
        assertThat(schema.member("queues").struct().name()).isEqualTo("vs-virtqueue");
        assertThat(schema.member("status").hint().render(Kind.U8, 0x0F))
                .isEqualTo("0x0F (ACKNOWLEDGE|DRIVER|DRIVER_OK|FEATURES_OK)");
    }
}
