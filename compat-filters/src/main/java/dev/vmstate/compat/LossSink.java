package dev.vmstate.compat;

import dev.vmstate.tree.StateTree;

/**
 * Where an {@link Operation} reports a value the other version cannot carry. {@link CompatChain}
 * supplies one that either throws at the first report or collects every report as a
 * {@link Loss}. A sink serves one conversion on one thread and need not be thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface LossSink {
    /**
     * Reports that {@code value}, at {@code path} (from the device's root struct, as
     * {@code channels[2].count}; empty for the root), does not survive, because of {@code what}.
     */
    void lost(String path, StateTree value, String what);
}
