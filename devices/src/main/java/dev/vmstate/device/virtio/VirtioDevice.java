package dev.vmstate.device.virtio;

import dev.vmstate.compat.CompatChain;
import dev.vmstate.compat.Part;
import dev.vmstate.device.Configurable;
import dev.vmstate.device.DeviceProperties;
import dev.vmstate.device.DeviceType;
import dev.vmstate.schema.Schema;
import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A virtio PCI device in vmstate's own layout, type {@code vs-virtio-dev}: version 3, loads from
 * version 1 (its {@code history} says what each version changed). Feature words, device status,
 * the configuration generation and the ISR, a variable list of {@link VirtQueue}s, the
 * device-specific configuration space as variable bytes, a serial number string, and an optional,
 * must-understand section with the heads of descriptor chains the device has taken but not
 * completed.
 *
 * <p>Properties: {@code addr} (PCI address), {@code device-id} (virtio device id, default 2 =
 * block), {@code num-queues} (1), {@code queue-size} (256), {@code serial} (""),
 * {@code capacity} (block devices: 512-byte sectors, 0). Public fields; not thread-safe.
 *
 * @since 0.1
 */
public final class VirtioDevice implements Visitable, Configurable {
    /** The {@code vs-virtio-dev} device type. */
    public static final DeviceType<VirtioDevice> TYPE = DeviceType.of("vs-virtio-dev", 3, 1,
            "virtio PCI device (split virtqueues), vmstate layout", VirtioDevice.class, VirtioDevice::new)
            .withHistory(VirtioDevice::history);

    /**
     * The history of the section (#6; invented, as this device is vmstate's own). Version 1 saved
     * the device status and the ISR as one u16 register image, {@code status_isr}: the status in
     * bits 0-7, the ISR in bits 8-15, the way a legacy (virtio 0.9.5) I/O BAR lays out its status
     * byte at offset 18 and the ISR byte at 19. Version 2 split it into {@code status} and
     * {@code isr}, one u8 each, in its place: every bit of the image lands in a part exactly as
     * wide, so nothing is lost either way. Version 3 added {@code config_generation} (u8), the
     * counter virtio 1.0 introduced so that a driver can tell a torn read of the configuration
     * space (virtio 1.2 section 2.5.1); a version 2 stream comes from a device that never changed
     * its configuration under the driver, so it starts at 0.
     */
    static CompatChain history(Schema current) {
        return CompatChain.of(current)
                .step(1, s -> s.split("status_isr", Kind.U16, new Part("status", Kind.U8, 0, 8),
                        new Part("isr", Kind.U8, 8, 8)))
                .step(2, s -> s.add("config_generation", Kind.U8, 0))
                .build();
    }

    // Device status bits, virtio 1.2 section 2.1.
    public static final int STATUS_ACKNOWLEDGE = 1;
    public static final int STATUS_DRIVER = 2;
    public static final int STATUS_DRIVER_OK = 4;
    public static final int STATUS_FEATURES_OK = 8;
    public static final int STATUS_DEVICE_NEEDS_RESET = 64;
    public static final int STATUS_FAILED = 128;
    public static final int VIRTIO_ID_BLOCK = 2;
    // Feature bits, virtio 1.2 sections 5.2.3 and 6.
    public static final long BLK_F_SEG_MAX = 1L << 2;
    public static final long BLK_F_BLK_SIZE = 1L << 6;
    public static final long BLK_F_FLUSH = 1L << 9;
    public static final long BLK_F_TOPOLOGY = 1L << 10;
    public static final long BLK_F_MQ = 1L << 12;
    public static final long F_RING_INDIRECT_DESC = 1L << 28;
    public static final long F_RING_EVENT_IDX = 1L << 29;
    public static final long F_VERSION_1 = 1L << 32;

    private static final Hint STATUS = Hint.flags("ACKNOWLEDGE", "DRIVER", "DRIVER_OK", "FEATURES_OK", null,
            null, "DEVICE_NEEDS_RESET", "FAILED");
    private static final Hint ISR = Hint.flags("QUEUE", "CONFIG");
    private static final Hint DEVICE_IDS = Hint.names(Map.of(1L, "net", 2L, "block", 3L, "console", 4L, "entropy",
            5L, "balloon", 8L, "scsi", 9L, "9p", 16L, "gpu", 18L, "input", 19L, "vsock"));

    public int deviceId = VIRTIO_ID_BLOCK;
    public long deviceFeatures = F_VERSION_1 | F_RING_INDIRECT_DESC | F_RING_EVENT_IDX | BLK_F_SEG_MAX
            | BLK_F_BLK_SIZE | BLK_F_FLUSH | BLK_F_TOPOLOGY | BLK_F_MQ;
    public long driverFeatures;
    /** u8 device status; bits 0-7 of {@code status_isr} in v1. */
    public int status;
    /** u8 configuration generation, since v3. */
    public int configGeneration;
    /** u8 interrupt status; bits 8-15 of {@code status_isr} in v1. */
    public int isr;
    public int queueSel;
    public List<VirtQueue> queues = new ArrayList<>(List.of(new VirtQueue(256)));
    /** The device-specific configuration space, little-endian as the guest reads it. */
    public byte[] config = new byte[0];
    public String serial = "";
    /** Heads of descriptor chains taken from the available ring and not yet used, u16 each. */
    public long[] inflight = new long[0];

    private String addr = "";
    private final Visitable inflightBody = v -> inflight = v.varray("heads", Kind.U16, inflight);

    /** A block device with one 256-entry queue, before the driver has touched it. */
    public VirtioDevice() {
        config = blockConfig(0, 1, 256);
    }

    @Override
    public void visit(Visitor v) {
        deviceId = v.u16("device_id", deviceId, DEVICE_IDS);
        deviceFeatures = v.u64("device_features", deviceFeatures, Hint.HEX);
        driverFeatures = v.u64("driver_features", driverFeatures, Hint.HEX);
        status = v.u8("status", status, STATUS);
        configGeneration = v.u8("config_generation", configGeneration);
        isr = v.u8("isr", isr, ISR);
        queueSel = v.u16("queue_sel", queueSel);
        queues = v.list("queues", queues, VirtQueue::new);
        config = v.bytes("config", config);
        serial = v.str("serial", serial);
        // Requests the guest handed over and the device has not completed: a reader that skipped them
        // would leave the guest waiting forever, so a build that does not know this section must refuse it.
        v.mustUnderstand().section("vs-virtio-dev/inflight", inflight.length > 0, inflightBody);
    }

    @Override
    public void configure(Map<String, Object> properties) {
        addr = DeviceProperties.string(properties, "addr", addr);
        deviceId = (int) DeviceProperties.integer(properties, "device-id", deviceId, 1, 0xFFFF);
        int numQueues = (int) DeviceProperties.integer(properties, "num-queues", queues.size(), 1, 1024);
        int queueSize = (int) DeviceProperties.integer(properties, "queue-size", 256, 1, 32768);
        if (Integer.bitCount(queueSize) != 1) {
            throw DeviceProperties.invalid("queue-size", "invalid value " + queueSize + ", expected a power of 2");
        }
        serial = DeviceProperties.string(properties, "serial", serial);
        long capacity = DeviceProperties.integer(properties, "capacity", 0, 0, Long.MAX_VALUE);
        queues = new ArrayList<>();
        for (int i = 0; i < numQueues; i++) {
            queues.add(new VirtQueue(queueSize));
        }
        config = deviceId == VIRTIO_ID_BLOCK ? blockConfig(capacity, numQueues, queueSize) : new byte[0];
    }

    /**
     * The first 36 bytes of {@code struct virtio_blk_config} (virtio 1.2 section 5.2.4): capacity in
     * sectors, size_max, seg_max, no geometry, blk_size 512, topology, writeback, num_queues.
     */
    static byte[] blockConfig(long capacitySectors, int numQueues, int queueSize) {
        byte[] c = new byte[36];
        putLe(c, 0, capacitySectors, 8);
        putLe(c, 8, 0, 4); // size_max: no limit
        putLe(c, 12, queueSize - 2, 4); // seg_max: QEMU's seg-max-adjust leaves room for header and status
        putLe(c, 20, 512, 4); // blk_size
        c[24] = 3; // physical_block_exp: 4 KiB physical sectors
        putLe(c, 34, numQueues, 2);
        return c;
    }

    private static void putLe(byte[] b, int offset, long value, int width) {
        for (int i = 0; i < width; i++) {
            b[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    /** The PCI address from the device tree, e.g. {@code 0000:00:04.0}; empty when not configured. */
    public String addr() {
        return addr;
    }

    /** Whether the driver has completed initialisation (DRIVER_OK and not FAILED). */
    public boolean isLive() {
        return (status & STATUS_DRIVER_OK) != 0 && (status & STATUS_FAILED) == 0;
    }
}
