package dev.vmstate.compat;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.SampleTrees;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.List;

/**
 * Zero values: 0, false, empty, all-zero buffers, the smallest enum code, empty lists, absent
 * sections. They are what {@link dev.vmstate.tree.GenericState} gives a member a stream did not
 * carry, so a field that moves out of an absent section reads as it would have without compat.
 */
final class Zero {
    /** Every draw at the point closest to zero: the minimum of a range that excludes it. */
    private static final SampleTrees.Draw ZERO = (min, max) -> Math.max(min, Math.min(max, 0));

    private Zero() {
    }

    static StructValue of(Schema s) {
        return SampleTrees.generate(s, ZERO, 0);
    }

    /** The zero value of {@code f}; {@code null} (absent) for a section. */
    static StateTree of(Field f) {
        return of(new Schema("zero", 0, 0, List.of(f))).get(f.name());
    }
}
