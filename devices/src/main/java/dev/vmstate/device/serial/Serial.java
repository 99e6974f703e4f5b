package dev.vmstate.device.serial;

import dev.vmstate.compat.CompatChain;
import dev.vmstate.device.Configurable;
import dev.vmstate.device.DeviceProperties;
import dev.vmstate.device.DeviceType;
import dev.vmstate.schema.Schema;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.util.Map;

/**
 * An ISA 16550A serial port, QEMU's {@code isa-serial}: section {@code serial}, version 3, loads
 * from version 2 (qemu/qemu:hw/char/serial-isa.c @7.2). The outer vmsd has a single field, the
 * nested {@link SerialState} called {@code state}, exactly as QEMU writes it; a reset port saves
 * the 11 bytes {@code 00 0C 00 00 01 00 08 60 B0 00 00}.
 *
 * <p>Properties: {@code iobase} (default 0x3f8), {@code irq} (4), {@code chardev} ("null").
 * They are configuration, not state, and are not visited. Not thread-safe.
 *
 * @since 0.1
 */
public final class Serial implements Visitable, Configurable {
    /** The {@code serial} device type. */
    public static final DeviceType<Serial> TYPE = DeviceType.of("serial", 3, 2,
            "ISA 16550A UART, QEMU 7.2 layout (isa-serial)", Serial.class, Serial::new)
            .withHistory(Serial::history);

    /**
     * QEMU's history of the section, quirk included (reference §9.2): the outer {@code serial}
     * section went from version 2 to 3, but the inner {@code vmstate_serial} struct ignores the
     * stream's version and always reads its v3 fields, {@code fcr_vmstate} included. So a v2
     * section carries the same 11 bytes as a v3 one, and the step changes no field.
     */
    static CompatChain history(Schema current) {
        return CompatChain.of(current).step(2, s -> { }).build();
    }

    private final SerialState state = new SerialState();
    private long iobase = 0x3F8;
    private int irq = 4;
    private String chardev = "null";

    @Override
    public void visit(Visitor v) {
        // QEMU 7.2 serial-isa.c vmstate_isa_serial: VMSTATE_STRUCT(state, ..., 0, vmstate_serial, SerialState).
        v.struct("state", state);
    }

    @Override
    public void configure(Map<String, Object> properties) {
        iobase = DeviceProperties.integer(properties, "iobase", iobase, 0, 0xFFFF);
        irq = (int) DeviceProperties.integer(properties, "irq", irq, 0, 15);
        chardev = DeviceProperties.string(properties, "chardev", chardev);
    }

    /** The UART's registers and state. */
    public SerialState state() {
        return state;
    }

    public long iobase() {
        return iobase;
    }

    public int irq() {
        return irq;
    }

    /** The host backend id; only host ttys report modem lines (see {@link SerialState#pollMsl}). */
    public String chardev() {
        return chardev;
    }
}
