package dev.vmstate.tree;

/**
 * One difference between two states: where, and the value on each side ({@code null} where a
 * side has no such member, e.g. a section present on one side only).
 *
 * @since 0.1
 */
public record Difference(String path, StateTree left, StateTree right) {
    @Override
    public String toString() {
        return path + ": " + (left == null ? "(absent)" : left) + " -> " + (right == null ? "(absent)" : right);
    }
}
