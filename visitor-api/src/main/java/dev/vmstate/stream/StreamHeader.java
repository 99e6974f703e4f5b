package dev.vmstate.stream;

import dev.vmstate.machine.DeviceTree;
import java.util.Arrays;
import java.util.Objects;

/**
 * The start of a stream: QEMU's stream version, the configuration (machine type) when the
 * stream has one, and the device tree when the writer knew it.
 *
 * @param streamVersion        QEMU's {@code QEMU_VM_FILE_VERSION}: 3
 * @param machineType          the configuration section's machine type, or {@code null} when the stream
 *                             has no configuration section (QEMU machine types 2.3 and older)
 * @param configurationExtra   the configuration's subsections exactly as on QEMU's wire (each
 *                             {@code 05 len name be32-version body}); empty when there are none
 * @param deviceTree           the machine's device tree, or {@code null} when the stream does not carry one
 * @since 0.1
 */
public record StreamHeader(int streamVersion, String machineType, byte[] configurationExtra, DeviceTree deviceTree)
        implements StreamRecord {

    /** QEMU_VM_FILE_VERSION. */
    public static final int VERSION = 3;

    public StreamHeader {
        configurationExtra = configurationExtra == null ? new byte[0] : configurationExtra.clone();
    }

    /** A header for our own streams: version 3, a configuration with {@code machineType}, the tree. */
    public static StreamHeader of(String machineType, DeviceTree deviceTree) {
        return new StreamHeader(VERSION, machineType, new byte[0], deviceTree);
    }

    @Override
    public byte[] configurationExtra() {
        return configurationExtra.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamHeader h && h.streamVersion == streamVersion && Objects.equals(h.machineType, machineType)
                && Arrays.equals(h.configurationExtra, configurationExtra) && Objects.equals(h.deviceTree, deviceTree);
    }

    @Override
    public int hashCode() {
        return Objects.hash(streamVersion, machineType, Arrays.hashCode(configurationExtra), deviceTree);
    }
}
