/**
 * The device registry and the machine: {@link dev.vmstate.device.DeviceType},
 * {@link dev.vmstate.device.DeviceProvider} (the SPI through which jars add device types),
 * {@link dev.vmstate.device.DeviceRegistry}, {@link dev.vmstate.device.Machine} (a device tree with
 * live devices), and the built-in sample devices and machine. Each device lives in its own
 * sub-package.
 *
 * @since 0.1
 */
package dev.vmstate.device;
