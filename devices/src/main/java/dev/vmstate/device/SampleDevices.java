package dev.vmstate.device;

import dev.vmstate.device.nic.PciNic;
import dev.vmstate.device.pit.I8254;
import dev.vmstate.device.ramblock.RamBlock;
import dev.vmstate.device.rtc.Mc146818Rtc;
import dev.vmstate.device.serial.Serial;
import dev.vmstate.device.virtio.VirtioDevice;
import java.util.List;

/**
 * The built-in device types: three laid out exactly as QEMU 7.2 saves them ({@code serial},
 * {@code mc146818rtc}, {@code i8254}) and three in vmstate's own layouts ({@code vs-pci-nic},
 * {@code vs-virtio-dev}, {@code vs-ramblock}), whose names carry a {@code vs-} prefix so they can
 * never collide with a QEMU vmsd name. Registered in
 * {@code META-INF/services/dev.vmstate.device.DeviceProvider}.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class SampleDevices implements DeviceProvider {
    private static final List<DeviceType<?>> TYPES = List.of(Serial.TYPE, Mc146818Rtc.TYPE, I8254.TYPE,
            PciNic.TYPE, VirtioDevice.TYPE, RamBlock.TYPE);

    @Override
    public List<DeviceType<?>> deviceTypes() {
        return TYPES;
    }
}
