/**
 * The {@code i8254} device: the PC's programmable interval timer, laid out exactly as QEMU 7.2 saves
 * it.
 *
 * @since 0.1
 */
package dev.vmstate.device.pit;
