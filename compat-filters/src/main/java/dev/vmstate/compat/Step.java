package dev.vmstate.compat;

import java.util.List;
import java.util.Objects;

/**
 * The operations that turn version {@code from} of a device's state into version
 * {@code from + 1}, applied in order on the way up and in reverse order on the way down.
 * Immutable and thread-safe.
 *
 * @param from the older version
 * @param ops  the operations, in up order
 * @since 0.1
 */
public record Step(int from, List<Operation> ops) {

    public Step {
        if (from < 0) {
            throw new IllegalArgumentException("step from version " + from + ", expected 0 or more");
        }
        ops = List.copyOf(Objects.requireNonNull(ops, "ops"));
    }

    /** The newer version, {@code from + 1}. */
    public int to() {
        return from + 1;
    }

    /** True when no operation of the step can lose a value in either direction. */
    public boolean lossless() {
        return ops.stream().allMatch(Operation::lossless);
    }

    /** {@code 1 -> 2: add irq_coalesced uint32, default 0; add period uint32, default 0}. */
    public String describe() {
        return from + " -> " + to() + ": "
                + (ops.isEmpty() ? "no change" : String.join("; ", ops.stream().map(Operation::describe).toList()));
    }
}
