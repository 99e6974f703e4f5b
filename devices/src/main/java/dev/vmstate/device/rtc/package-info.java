/**
 * The {@code mc146818rtc} device: the PC real-time clock and CMOS RAM, laid out exactly as QEMU 7.2
 * saves it.
 *
 * @since 0.1
 */
package dev.vmstate.device.rtc;
