/**
 * The {@code vs-virtio-dev} device: a virtio PCI device with split virtqueues, in vmstate's own
 * layout.
 *
 * @since 0.1
 */
package dev.vmstate.device.virtio;
