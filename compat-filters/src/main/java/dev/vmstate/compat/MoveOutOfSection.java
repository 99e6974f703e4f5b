package dev.vmstate.compat;

import dev.vmstate.error.Errors;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The field at {@code path}, in the body of an optional section, moves out into the struct that
 * holds the section. The inverse of {@link MoveIntoSection}, whose Javadoc gives the rules for
 * absent sections: up from an absent section gives the field its zero value; up from a present
 * one takes the field out and drops the section when nothing is left in it; down creates the
 * section when the field is not zero.
 *
 * <p>Immutable and thread-safe.
 *
 * @param path        the field in version {@code v}: the struct's path, the section's name, the
 *                    field's name
 * @param after       where version {@code v + 1} has the field in the struct (see
 *                    {@link Operation}); filled in by the chain builder, so pass {@code null}
 * @param formerAfter where version {@code v} has the field in the section's body: the member it
 *                    follows, {@link Operation#FIRST}, or {@code null} for after the last field
 * @since 0.1
 */
public record MoveOutOfSection(List<String> path, String after, String formerAfter) implements Operation {

    public MoveOutOfSection {
        path = Paths.checked(path, 2);
    }

    /** A move of a field that was the last field of its section, into a place the chain builder finds. */
    public MoveOutOfSection(List<String> path) {
        this(path, null, null);
    }

    /** The path of the struct that holds the section. */
    private List<String> structPath() {
        return path.subList(0, path.size() - 2);
    }

    private String section() {
        return path.get(path.size() - 2);
    }

    @Override
    public Schema up(Schema before) {
        return SchemaWalk.update(before, structPath(), this::local);
    }

    /** The struct holding the section and, after the move, the field. */
    private Schema local(Schema s) {
        Field sec = Members.requireSection(s, section());
        Field f = MoveIntoSection.movable(sec.struct(), Paths.last(path));
        Schema body = Members.without(sec.struct(), f.name());
        return Members.insert(Members.replace(s, section(), List.of(Members.withStruct(sec, body))), f, after);
    }

    @Override
    public StructValue up(StructValue tree, Schema before, LossSink losses) {
        String name = Paths.last(path);
        String section = section();
        return TreeWalk.update(tree, before, structPath(), (v, s, where) -> {
            Schema out = LocalSchemas.of(this, s, this::local);
            Schema bodyOut = Members.require(out, section).struct();
            Map<String, StateTree> members = new LinkedHashMap<>(v.members());
            StateTree cur = v.get(section);
            StateTree value;
            if (cur == null) {
                value = Zero.of(Members.require(s, section).struct().member(name));
            } else if (cur instanceof SectionValue present) {
                value = TreeWalk.require(present.body(), name, where.field(section));
                Map<String, StateTree> body = new LinkedHashMap<>(present.body().members());
                body.remove(name);
                if (bodyOut.members().isEmpty()) {
                    members.remove(section);
                } else {
                    members.put(section, new SectionValue(present.version(), TreeWalk.arrange(bodyOut, body)));
                }
            } else {
                throw TreeWalk.located(Errors.kindMismatch(section, cur.kind().typeName(), "section"), where);
            }
            members.put(name, value);
            return TreeWalk.arrange(out, members);
        });
    }

    @Override
    public MoveIntoSection inverse() {
        return new MoveIntoSection(Paths.child(structPath(), Paths.last(path)), section(), formerAfter, after);
    }

    @Override
    public boolean losslessUp() {
        return true;
    }

    @Override
    public String describe() {
        return "move " + Paths.render(path) + " out of section " + section();
    }
}
