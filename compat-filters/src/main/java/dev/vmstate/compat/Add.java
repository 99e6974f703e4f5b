package dev.vmstate.compat;

import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Version {@code v + 1} has a member that version {@code v} lacks. Upgrading puts in
 * {@code defaultValue}; downgrading drops the member, which loses nothing when it holds the
 * default and is reported as a loss otherwise. The member may be a section: its default is then
 * {@code null} (absent) or a present section, and a section held where the default is absent is a
 * loss on the way down. The inverse is {@link Remove}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param path         the member in version {@code v + 1}; its last name is {@code field}'s name
 * @param field        the member's schema
 * @param defaultValue the value an upgraded tree holds; it must fit {@code field}
 * @param after        where version {@code v + 1} has the member (see {@link Operation});
 *                     filled in by the chain builder, so pass {@code null}
 * @since 0.1
 */
public record Add(List<String> path, Field field, StateTree defaultValue, String after) implements Operation {

    public Add {
        path = Paths.checked(path, 1);
        checkMember(path, field, defaultValue);
    }

    /** An addition whose place the chain builder finds in the newer schema. */
    public Add(List<String> path, Field field, StateTree defaultValue) {
        this(path, field, defaultValue, null);
    }

    /** Shared with {@link Remove}: the field is named by the path and the default fits it. */
    static void checkMember(List<String> path, Field field, StateTree defaultValue) {
        Objects.requireNonNull(field, "field");
        if (!field.name().equals(Paths.last(path))) {
            throw new IllegalArgumentException("path " + Paths.render(path) + " does not end with the field's name "
                    + field.name());
        }
        try {
            Fits.check(field, defaultValue);
        } catch (SchemaMismatchException e) {
            throw new IllegalArgumentException("default " + show(defaultValue) + " does not fit "
                    + Paths.render(path) + ": " + e.getMessage(), e);
        }
    }

    static String show(StateTree v) {
        return v == null ? "absent" : v.toString();
    }

    @Override
    public Schema up(Schema before) {
        return SchemaWalk.update(before, Paths.parent(path), s -> Members.insert(s, field, after));
    }

    @Override
    public StructValue up(StructValue tree, Schema before, LossSink losses) {
        return TreeWalk.update(tree, before, Paths.parent(path), (v, s, where) -> {
            if (defaultValue == null) {
                return v;
            }
            Map<String, StateTree> out = new LinkedHashMap<>(v.members());
            out.put(field.name(), defaultValue);
            return TreeWalk.arrange(Members.insert(s, field, after), out);
        });
    }

    @Override
    public Remove inverse() {
        return new Remove(path, field, defaultValue, after);
    }

    @Override
    public boolean losslessUp() {
        return true;
    }

    @Override
    public String describe() {
        return "add " + Paths.render(path) + " " + field.describe() + ", default " + show(defaultValue);
    }
}
