package dev.vmstate.compat;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The member at {@code path} is called {@code newName} from version {@code v + 1} on; it keeps
 * its place, kind and value. A renamed section's body schema takes the new name too, as a
 * section's body is named after it. Lossless both ways.
 *
 * <p>Immutable and thread-safe.
 *
 * @param path    the member as version {@code v} names it
 * @param newName its name in version {@code v + 1}
 * @since 0.1
 */
public record Rename(List<String> path, String newName) implements Operation {

    public Rename {
        path = Paths.checked(path, 1);
        Objects.requireNonNull(newName, "newName");
        if (newName.isEmpty()) {
            throw new IllegalArgumentException("rename of " + Paths.render(path) + " to an empty name");
        }
    }

    @Override
    public Schema up(Schema before) {
        String old = Paths.last(path);
        return SchemaWalk.update(before, Paths.parent(path), s -> {
            Field f = Members.require(s, old);
            if (!old.equals(newName)) {
                Members.requireAbsent(s, newName);
            }
            return Members.replace(s, old, List.of(renamed(f)));
        });
    }

    private Field renamed(Field f) {
        Schema body = f.struct();
        if (f.isSection()) {
            body = new Schema(newName, body.version(), body.minimumVersion(), body.members());
        }
        return new Field(newName, f.kind(), f.size(), f.length(), f.element(), body, f.hint(), f.enumNames(),
                f.mustUnderstand());
    }

    @Override
    public StructValue up(StructValue tree, Schema before, LossSink losses) {
        String old = Paths.last(path);
        return TreeWalk.update(tree, before, Paths.parent(path), (v, s, where) -> {
            Map<String, StateTree> out = new LinkedHashMap<>();
            v.members().forEach((name, value) -> {
                if (name.equals(old)) {
                    out.put(newName, value instanceof SectionValue sec
                            ? new SectionValue(sec.version(), new StructValue(newName, sec.body().members()))
                            : value);
                } else {
                    out.put(name, value);
                }
            });
            return new StructValue(v.type(), out);
        });
    }

    @Override
    public Rename inverse() {
        return new Rename(Paths.child(Paths.parent(path), newName), Paths.last(path));
    }

    @Override
    public boolean losslessUp() {
        return true;
    }

    @Override
    public String describe() {
        return "rename " + Paths.render(path) + " to " + newName;
    }
}
