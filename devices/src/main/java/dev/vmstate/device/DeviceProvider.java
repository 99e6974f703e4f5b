package dev.vmstate.device;

import java.util.List;

/**
 * The service interface through which a jar contributes device types: list the implementation in
 * {@code META-INF/services/dev.vmstate.device.DeviceProvider} and {@link DeviceRegistry#load()}
 * finds it, as formats are found through their SPI.
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe; the built-in
 * one is {@link SampleDevices}.
 *
 * @since 0.1
 */
public interface DeviceProvider {
    /** The device types this provider contributes; names must be unique across all providers. */
    List<DeviceType<?>> deviceTypes();
}
