package dev.vmstate.testkit;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.SampleTrees;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.ListValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Makes absent the sections of a state that hold only zero values, among the named ones. When a
 * compat step moves a field into or out of an optional section, the section's presence follows
 * the field's value (#6, compat-filters' {@code MoveIntoSection}): an all-zero section may come
 * back absent, or an absent one present with zeros. Readers treat the two alike, so the compat
 * properties compare states with such sections made absent on both sides, and only those.
 */
final class ZeroSections {
    /** Every draw at the value closest to zero, as compat-filters defines a member's zero value. */
    private static final SampleTrees.Draw ZERO = (min, max) -> Math.max(min, Math.min(max, 0));

    private ZeroSections() {
    }

    /** {@code tree}, which fits {@code schema}, with each all-zero section called one of {@code names} absent. */
    static StructValue absent(StructValue tree, Schema schema, Set<String> names) {
        return names.isEmpty() ? tree : struct(tree, schema, names);
    }

    private static StructValue struct(StructValue tree, Schema schema, Set<String> names) {
        Map<String, StateTree> out = new LinkedHashMap<>();
        tree.members().forEach((name, value) -> {
            Field f = schema.member(name);
            StateTree v = f == null || f.struct() == null ? value : member(value, f, names);
            if (v != null) {
                out.put(name, v);
            }
        });
        return new StructValue(tree.type(), out);
    }

    private static StateTree member(StateTree value, Field f, Set<String> names) {
        if (value instanceof SectionValue sec) {
            StructValue body = struct(sec.body(), f.struct(), names);
            return names.contains(f.name()) && body.equals(SampleTrees.generate(f.struct(), ZERO, 0)) ? null
                    : new SectionValue(sec.version(), body);
        }
        if (value instanceof StructValue st) {
            return struct(st, f.struct(), names);
        }
        if (value instanceof ListValue l) {
            return new ListValue(l.kind(), l.items().stream().map(i -> struct(i, f.struct(), names)).toList());
        }
        return value;
    }
}
