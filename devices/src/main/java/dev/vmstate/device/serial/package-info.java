/**
 * The {@code serial} device: an ISA 16550A UART laid out exactly as QEMU 7.2 saves it.
 *
 * @since 0.1
 */
package dev.vmstate.device.serial;
