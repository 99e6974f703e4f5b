package dev.vmstate.device;

import java.util.Map;

/**
 * A device that reads its configuration (iobase, irq, mac, ...) from the properties of its
 * {@link dev.vmstate.machine.DeviceNode}. {@link Machine#build} calls {@link #configure} once,
 * right after creating the device and before any state is loaded, as QEMU sets qdev properties
 * before realize.
 *
 * <p>Configuration is not state: it is never visited, because the device tree carries it.
 * Implementations ignore properties they do not know, so a tree written by a newer version still
 * builds, and reject a known property of the wrong type or range (see {@link DeviceProperties}).
 *
 * @since 0.1
 */
public interface Configurable {
    /** Applies {@code properties}; throws {@link dev.vmstate.error.SchemaMismatchException} on a bad value. */
    void configure(Map<String, Object> properties);
}
