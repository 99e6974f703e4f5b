package dev.vmstate.format.asn1;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.ListValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the section versions a stream gave back into a tree a visitor loaded: a
 * {@code GenericState} gives each present section its schema's version, but a stream converted
 * from an older one must keep the version it was written with. The versions come in the order the
 * load visitor met the sections, which is the tree's pre-order in schema order. Only a stream
 * with an older section pays for this copy.
 */
final class SectionVersions {
    private final int[] versions;
    private int next;

    private SectionVersions(int[] versions) {
        this.versions = versions;
    }

    static StructValue apply(Schema s, StructValue tree, int[] versions) {
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
