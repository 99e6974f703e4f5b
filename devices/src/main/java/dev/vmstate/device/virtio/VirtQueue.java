package dev.vmstate.device.virtio;

import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.util.Map;

/**
 * One split virtqueue of a {@link VirtioDevice}, type {@code vs-virtqueue} v1: its size, the guest
 * physical addresses of its three rings, the device's progress through them, its MSI-X vector and
 * whether the driver enabled it (virtio 1.2, section 2.7 and 4.1.4.3).
 *
 * <p>Public fields, as the common configuration registers. Not thread-safe.
 *
 * @since 0.1
 */
public final class VirtQueue implements Visitable {
    /** "No MSI-X vector", virtio's {@code VIRTIO_MSI_NO_VECTOR}. */
    public static final int NO_VECTOR = 0xFFFF;

    private static final Hint VECTOR = Hint.names(Map.of((long) NO_VECTOR, "NO_VECTOR"));

    /** Entries in the ring (a power of 2 for split rings), u16. */
    public int num;
    public long desc;
    public long avail;
    public long used;
    /** The next available-ring index the device will read, u16 (wraps). */
    public int lastAvailIdx;
    /** The used-ring index the device last published, u16 (wraps). */
    public int usedIdx;
    public int vector = NO_VECTOR;
    public boolean enabled;

    /** A queue of size 0, for loading into. */
    public VirtQueue() {
    }

    /** A queue of {@code num} entries, not yet set up by the driver. */
    public VirtQueue(int num) {
        this.num = num;
    }

    @Override
    public void visit(Visitor v) {
        num = v.u16("num", num);
        desc = v.u64("desc", desc, Hint.HEX);
        avail = v.u64("avail", avail, Hint.HEX);
        used = v.u64("used", used, Hint.HEX);
        lastAvailIdx = v.u16("last_avail_idx", lastAvailIdx);
        usedIdx = v.u16("used_idx", usedIdx);
        vector = v.u16("vector", vector, VECTOR);
        enabled = v.bool("enabled", enabled);
    }

    @Override
    public String typeName() {
        return "vs-virtqueue";
    }

    @Override
    public int typeVersion() {
        return 1;
    }

    /**
     * Places the three rings contiguously from {@code base}, as a driver does: descriptor table (16
     * bytes per entry), available ring (6 + 2 * num bytes), used ring 4-byte aligned (6 + 8 * num).
     */
    public void place(long base) {
        desc = base;
        avail = desc + 16L * num;
        used = (avail + 6 + 2L * num + 3) & ~3L;
    }
}
