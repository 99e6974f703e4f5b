package dev.vmstate.device.pit;

import dev.vmstate.compat.Add;
import dev.vmstate.compat.CompatChain;
import dev.vmstate.device.Configurable;
import dev.vmstate.device.DeviceProperties;
import dev.vmstate.device.DeviceType;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.util.List;
import java.util.Map;

/**
 * The 8254 programmable interval timer, QEMU's {@code i8254} ({@code isa-pit}): version 3, loads
 * from version 2 (qemu/qemu:hw/timer/i8254_common.c @7.2). Three members, 108 bytes at v3:
 * {@code channels[0].irq_disabled}, the array of three {@link PitChannel}s, and
 * {@code channels[0].next_transition_time} (formerly {@code irq_timer}), which repeats channel 0's
 * value; on load the last one read wins, as in QEMU.
 *
 * <p>Reset state as a QEMU 7.2 PIT at virtual time 0: every channel counts 0x10000 in mode 3,
 * gates 1, 1, 0, and channel 0's first transition is half a period ahead (0x1a30c2c ns).
 *
 * <p>Properties: {@code iobase} (0x40), {@code irq} (0). Not thread-safe.
 *
 * @since 0.1
 */
public final class I8254 implements Visitable, Configurable {
    /** The {@code i8254} device type. */
    public static final DeviceType<I8254> TYPE = DeviceType.of("i8254", 3, 2,
            "8254 programmable interval timer, QEMU 7.2 layout (isa-pit)", I8254.class, I8254::new)
            .withHistory(I8254::history);

    /**
     * QEMU's history of the section (hw/timer/i8254_common.c, reference §9.4): version 3 added
     * {@code channels[0].irq_disabled} in front of the channels; a v2 stream (104 bytes) starts
     * with them. The name holds a dot, so the step names its path as one member.
     */
    static CompatChain history(Schema current) {
        String irqDisabled = "channels[0].irq_disabled";
        return CompatChain.of(current)
                .step(2, s -> s.op(new Add(List.of(irqDisabled), Field.scalar(irqDisabled, Kind.U32, null),
                        new StateTree.IntValue(Kind.U32, 0))))
                .build();
    }

    private final PitChannel[] channels = {new PitChannel(), new PitChannel(), new PitChannel()};
    private long iobase = 0x40;
    private int irq;

    /** A PIT just reset at virtual time 0 (QEMU 7.2 i8254_common.c pit_reset_common). */
    public I8254() {
        for (int i = 0; i < channels.length; i++) {
            PitChannel c = channels[i];
            c.mode = 3;
            c.gate = i != 2 ? 1 : 0; // channel 2 is the speaker's; its gate is port 0x61 bit 0
            c.countLoadTime = 0;
            c.count = 0x10000;
        }
        channels[0].nextTransitionTime = channels[0].nextTransitionTime(0);
    }

    @Override
    public void visit(Visitor v) {
        PitChannel c0 = channels[0];
        // QEMU 7.2 vmstate_pit_common: VMSTATE_UINT32_V(channels[0].irq_disabled, PITCommonState, 3).
        c0.irqDisabled = v.u32("channels[0].irq_disabled", c0.irqDisabled);
        v.structs("channels", channels);
        // "formerly irq_timer": channel 0's deadline again, after the array.
        c0.nextTransitionTime = v.i64("channels[0].next_transition_time", c0.nextTransitionTime);
    }

    @Override
    public void configure(Map<String, Object> properties) {
        iobase = DeviceProperties.integer(properties, "iobase", iobase, 0, 0xFFFF);
        irq = (int) DeviceProperties.integer(properties, "irq", irq, 0, 15);
    }

    /** Channel {@code index}, 0..2. */
    public PitChannel channel(int index) {
        return channels[index];
    }

    public long iobase() {
        return iobase;
    }

    public int irq() {
        return irq;
    }
}
