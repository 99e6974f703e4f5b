package dev.vmstate.tree;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree.ListValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the section versions a stream gave back into a tree a visitor loaded, for a reader whose
 * target is a {@link GenericState}. Loading gives each present section its schema's version, but a
 * generic target stands for the stream itself (converted, compared, written again), so it must
 * keep each present section's version as written, which may be older. The versions come in the
 * order the load visitor met the sections: the tree's pre-order, in schema order. Only a stream
 * with an older section pays for the copy.
 *
 * <p>Stateless and thread-safe; every call works on its own copy.
 *
 * @since 0.1
 */
public final class SectionVersions {
    private final int[] versions;
    private int next;

    private SectionVersions(int[] versions) {
        this.versions = versions;
    }

    /**
     * A copy of {@code tree}, loaded with schema {@code s}, in which the {@code i}-th present
     * section (in pre-order) has version {@code versions[i]}; {@code versions} has one entry for
     * each present section.
     */
    public static StructValue apply(Schema s, StructValue tree, int[] versions) {
        return new SectionVersions(versions).struct(s, tree);
    }

    private StructValue struct(Schema s, StructValue v) {
        Map<String, StateTree> out = new LinkedHashMap<>();
        for (Field f : s.members()) {
            StateTree t = v.get(f.name());
            if (t != null) {
                out.put(f.name(), value(f, t));
            }
        }
        return new StructValue(s.name(), out);
    }

    private StateTree value(Field f, StateTree t) {
        if (t instanceof SectionValue sv) {
            int version = versions[next++];
            return new SectionValue(version, struct(f.struct(), sv.body()));
        }
        if (t instanceof StructValue sv) {
            return struct(f.struct(), sv);
        }
        if (t instanceof ListValue l) {
            List<StructValue> items = new ArrayList<>(l.items().size());
            for (StructValue item : l.items()) {
                items.add(struct(f.struct(), item));
            }
            return new ListValue(l.kind(), items);
        }
        return t;
    }
}
