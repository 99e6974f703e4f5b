/**
 * The {@code vs-pci-nic} device: a PCI Ethernet controller in vmstate's own layout.
 *
 * @since 0.1
 */
package dev.vmstate.device.nic;
