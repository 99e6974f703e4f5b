package dev.vmstate.compat;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Version {@code v} has a member that version {@code v + 1} dropped. The member's schema and
 * default are declared here so that the step stays invertible: upgrading drops the member (a
 * value other than the default is reported as a loss), downgrading puts the default back at
 * {@code after}. The inverse is {@link Add}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param path         the member in version {@code v}; its last name is {@code field}'s name
 * @param field        the member's schema in version {@code v}
 * @param defaultValue the value a downgraded tree holds ({@code null}: an absent section)
 * @param after        where version {@code v} had the member (see {@link Operation}): the
 *                     member it followed, {@link Operation#FIRST}, or {@code null} for after the
 *                     last field
 * @since 0.1
 */
public record Remove(List<String> path, Field field, StateTree defaultValue, String after) implements Operation {

    public Remove {
        path = Paths.checked(path, 1);
        Add.checkMember(path, field, defaultValue);
    }

    /** A removal of a member that was the last field of its struct (or the last section). */
    public Remove(List<String> path, Field field, StateTree defaultValue) {
        this(path, field, defaultValue, null);
    }

    @Override
    public Schema up(Schema before) {
        return SchemaWalk.update(before, Paths.parent(path), s -> {
            Field f = Members.require(s, field.name());
            if (!SchemaShapes.same(f, field)) {
                throw new IllegalArgumentException(field.name() + " is declared as " + field.describe()
                        + ", but " + s.name() + " has " + f.describe());
            }
            return Members.without(s, field.name());
        });
    }

    @Override
    public StructValue up(StructValue tree, Schema before, LossSink losses) {
        String name = field.name();
        return TreeWalk.update(tree, before, Paths.parent(path), (v, s, where) -> {
            StateTree cur = field.isSection() ? v.get(name) : TreeWalk.require(v, name, where);
            if (!Objects.equals(cur, defaultValue)) {
                losses.lost(where.field(name).render(), cur,
                        describe() + ": " + (cur == null ? "absent" : "not the default"));
            }
            Map<String, StateTree> out = new LinkedHashMap<>(v.members());
            out.remove(name);
            return new StructValue(v.type(), out);
        });
    }

    @Override
    public Add inverse() {
        return new Add(path, field, defaultValue, after);
    }

    @Override
    public boolean losslessUp() {
        return false;
    }

    @Override
    public String describe() {
        return "remove " + Paths.render(path) + " " + field.describe() + ", default " + Add.show(defaultValue);
    }
}
