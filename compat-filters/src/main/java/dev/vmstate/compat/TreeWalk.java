package dev.vmstate.compat;

import dev.vmstate.error.Errors;
import dev.vmstate.error.VmstateException;
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
 * Applies an edit to every struct value a path leads to: through nested structs, into each
 * element of a list or struct array, and into a section's body when the section is present. An
 * absent section holds no value, so nothing below it is edited (#6).
 */
final class TreeWalk {
    /** An edit of one struct value whose schema is {@code schema}, found at {@code where}. */
    @FunctionalInterface
    interface Edit {
        StructValue apply(StructValue value, Schema schema, Where where);
    }

    private TreeWalk() {
    }

    static StructValue update(StructValue root, Schema rootSchema, List<String> structPath, Edit edit) {
        return update(root, rootSchema, structPath, 0, edit, Where.ROOT);
    }

    private static StructValue update(StructValue v, Schema s, List<String> path, int depth, Edit edit, Where where) {
        if (depth == path.size()) {
            return edit.apply(v, s, where);
        }
        String name = path.get(depth);
        Field f = Members.require(s, name);
        StateTree cur = v.get(name);
        Where here = where.field(name);
        StateTree next;
        if (cur == null) {
            if (f.isSection()) {
                return v;
            }
            throw located(Errors.missingField(name), where);
        } else if (cur instanceof SectionValue sec) {
            next = new SectionValue(sec.version(), update(sec.body(), f.struct(), path, depth + 1, edit, here));
        } else if (cur instanceof ListValue list) {
            List<StructValue> items = new ArrayList<>(list.items().size());
            for (int i = 0; i < list.items().size(); i++) {
                items.add(update(list.items().get(i), f.struct(), path, depth + 1, edit, here.index(i)));
            }
            next = new ListValue(list.kind(), items);
        } else if (cur instanceof StructValue struct) {
            next = update(struct, f.struct(), path, depth + 1, edit, here);
        } else {
            throw located(Errors.kindMismatch(name, cur.kind().typeName(), f.describe()), where);
        }
        Map<String, StateTree> members = new LinkedHashMap<>(v.members());
        members.put(name, next);
        return new StructValue(v.type(), members);
    }

    /**
     * A struct value of schema {@code s} holding {@code values}, in the schema's member order;
     * names the schema lacks are a bug in the calling operation.
     */
    static StructValue arrange(Schema s, Map<String, StateTree> values) {
        LinkedHashMap<String, StateTree> out = new LinkedHashMap<>();
        for (Field f : s.members()) {
            StateTree v = values.get(f.name());
            if (v != null) {
                out.put(f.name(), v);
            }
        }
        if (out.size() != values.size()) {
            List<String> extra = new ArrayList<>(values.keySet());
            extra.removeAll(out.keySet());
            throw new IllegalStateException("members " + extra + " are not in " + s.name());
        }
        return StructValue.owning(s.name(), out);
    }

    /** The value of the non-section member {@code name}, which a valid tree always holds. */
    static StateTree require(StructValue v, String name, Where where) {
        StateTree t = v.get(name);
        if (t == null) {
            throw located(Errors.missingField(name), where);
        }
        return t;
    }

    /** {@code e} with {@code where} in front of its path; returns {@code e} for throwing. */
    static <E extends VmstateException> E located(E e, Where where) {
        String at = where.render();
        if (!at.isEmpty()) {
            e.prependField(at);
        }
        return e;
    }
}
