package dev.vmstate.compat;

import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.List;

/**
 * One invertible change between version {@code v} and {@code v + 1} of a device's state, as a
 * {@link Step} lists them. Each operation maps a {@link Schema} and a state tree up
 * ({@code v -> v+1}) and down ({@code v+1 -> v}); {@link #down} is always {@link #inverse()}'s
 * {@link #up}, so every operation is written once per direction pair and the two cannot drift.
 *
 * <h2>Paths</h2>
 * A path is the list of member names from the device's root struct to the member the operation
 * changes, through nested structs, struct arrays, lists and sections. Under a list or struct
 * array the operation applies to every element; under a section that a tree does not hold
 * (absent) it has nothing to change. The operations of a step apply in order on the way up, so
 * an operation's path is read in the schema its predecessors in the step produced (a field
 * renamed by the first operation is found by its new name in the second); on the way down they
 * apply in reverse order.
 *
 * <h2>Positions</h2>
 * Member order is part of a schema (QEMU's legacy stream is positional), so an operation that
 * puts a member into a struct says where, by an {@code after} anchor: the name of the member it
 * follows, {@link #FIRST} to put it first, or {@code null} for "after the last field" (before
 * the optional sections; a section goes last). Anchors into the newer schema are filled in by
 * {@link CompatChain}'s builder from the schema the device describes today, so a caller leaves
 * them {@code null}; anchors into the older schema (where {@link Remove} and the section moves
 * put a member back on the way down) are the caller's to give, {@code null} when the member was
 * the last field.
 *
 * <h2>Losses</h2>
 * A value the other version cannot carry is reported to a {@link LossSink} with its path, and
 * the conversion goes on with the nearest value that version can carry (the default for a
 * dropped field, the clamped value for a narrowed one). {@link CompatChain} turns a report into a
 * {@link dev.vmstate.error.LossyDowngradeException} unless the caller allows loss. For any
 * operation and any tree {@code x} of version {@code v}: if {@code up(x)} reports nothing then
 * {@code down(up(x))} equals {@code x}; symmetrically for {@code down}.
 *
 * <p>Implementations are immutable records and thread-safe (a {@link Transform}'s functions must
 * be as well).
 *
 * @since 0.1
 */
public sealed interface Operation
        permits Rename, Retype, Add, Remove, MoveIntoSection, MoveOutOfSection, Split, Merge, Transform {

    /** The anchor that puts a member before every other member of its struct. */
    String FIRST = "";

    /** The member this operation changes (for a {@link Transform}, the struct it rewrites). */
    List<String> path();

    /**
     * The schema of version {@code v + 1} (or of the next operation in the step) from the schema
     * {@code before} this operation; fails with an {@link IllegalArgumentException} naming the
     * member when the operation does not apply to {@code before}.
     */
    Schema up(Schema before);

    /** The schema before this operation from the schema {@code after} it; {@link #inverse()}'s {@link #up(Schema)}. */
    default Schema down(Schema after) {
        return inverse().up(after);
    }

    /**
     * {@code tree}, which fits {@code before}, converted to fit {@link #up(Schema) up(before)};
     * every value that does not survive is reported to {@code losses}.
     */
    StructValue up(StructValue tree, Schema before, LossSink losses);

    /** {@code tree}, which fits {@code after}, converted back; {@link #inverse()}'s {@link #up(StructValue, Schema, LossSink)}. */
    default StructValue down(StructValue tree, Schema after, LossSink losses) {
        return inverse().up(tree, after, losses);
    }

    /** The operation that undoes this one: its {@code up} is this one's {@code down}. */
    Operation inverse();

    /** True when {@link #up(StructValue, Schema, LossSink)} can never report a loss. */
    boolean losslessUp();

    /** True when {@link #down(StructValue, Schema, LossSink)} can never report a loss. */
    default boolean losslessDown() {
        return inverse().losslessUp();
    }

    /** True when neither direction can lose a value. */
    default boolean lossless() {
        return losslessUp() && losslessDown();
    }

    /** One line for reports and the static checker, e.g. {@code add base_rtc uint64, default 0}. */
    String describe();
}
