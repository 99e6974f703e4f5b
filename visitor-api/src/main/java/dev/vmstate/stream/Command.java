package dev.vmstate.stream;

import java.util.Arrays;

/**
 * An in-band command ({@code QEMU_VM_COMMAND}): the command number and its payload, kept as
 * bytes (see {@code ../shared/reference/qemu-migration.md} §1.7 for the numbers).
 *
 * @since 0.1
 */
public record Command(int command, byte[] data) implements StreamRecord {
    public Command {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Command c && c.command == command && Arrays.equals(c.data, data);
    }

    @Override
    public int hashCode() {
        return command * 31 + Arrays.hashCode(data);
    }
}
