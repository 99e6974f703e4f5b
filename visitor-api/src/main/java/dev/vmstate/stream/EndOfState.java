package dev.vmstate.stream;

/**
 * The end of the device state ({@code QEMU_VM_EOF}). Only a {@link Description} may follow.
 *
 * @since 0.1
 */
public record EndOfState() implements StreamRecord {
}
