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
import java.util.Objects;

/**
 * The field at {@code path} moves from its struct into the body of the struct's optional section
 * {@code section} (QEMU moving a rarely needed field into a subsection). The inverse is
 * {@link MoveOutOfSection}.
 *
 * <p>Absent sections follow QEMU's convention that a section is sent only when it is needed, and
 * vmstate's that a member a stream did not carry reads as its zero value (0, false, empty, the
 * smallest enum code; see {@link dev.vmstate.tree.GenericState}):
 * <ul>
 *   <li>up, section present: the field joins its body;</li>
 *   <li>up, section absent, field at its zero value: the field is dropped and the section stays
 *       absent (nothing is lost: moving back out of an absent section gives the zero value);</li>
 *   <li>up, section absent, any other value: the section is created, with the version its schema
 *       declares, holding the field and any other members of its body at their zero values;</li>
 *   <li>down, section absent: the field comes back at its zero value;</li>
 *   <li>down, section present: the field comes back with its value, and the section is dropped
 *       when its body has no member left.</li>
 * </ul>
 * So every value survives a round trip. What a round trip can change is whether a section whose
 * values are all zero is present: one created on the way up keeps its other members, at zero,
 * on the way back down; one present with only zeros can come back absent. Readers treat the two
 * alike, since an absent section reads as zero values.
 *
 * <p>Immutable and thread-safe.
 *
 * @param path        the field in version {@code v}
 * @param section     the name of the section member of the same struct in version {@code v + 1}
 * @param after       where version {@code v + 1} has the field in the section's body (see
 *                    {@link Operation}); filled in by the chain builder, so pass {@code null}
 * @param formerAfter where version {@code v} has the field in the struct: the member it
 *                    follows, {@link Operation#FIRST}, or {@code null} for after the last field
 * @since 0.1
 */
public record MoveIntoSection(List<String> path, String section, String after, String formerAfter)
        implements Operation {

    public MoveIntoSection {
        path = Paths.checked(path, 1);
        Objects.requireNonNull(section, "section");
        if (section.isEmpty() || section.equals(Paths.last(path))) {
            throw new IllegalArgumentException("move of " + Paths.render(path) + " into section \"" + section
                    + "\": not a section name of its own");
        }
    }

    /** A move of a field that was the last field of its struct, into a place the chain builder finds. */
    public MoveIntoSection(List<String> path, String section) {
        this(path, section, null, null);
    }

    @Override
    public Schema up(Schema before) {
        return SchemaWalk.update(before, Paths.parent(path), this::local);
    }

    /** The struct holding the field and the section, after the move. */
    private Schema local(Schema s) {
        String name = Paths.last(path);
        Field f = movable(s, name);
        Field sec = Members.requireSection(s, section);
        Schema body = Members.insert(sec.struct(), f, after);
        return Members.replace(Members.without(s, name), section, List.of(Members.withStruct(sec, body)));
    }

    /** Shared with {@link MoveOutOfSection}: only fields move, a section stays where it is. */
    static Field movable(Schema s, String name) {
        Field f = Members.require(s, name);
        if (f.isSection()) {
            throw new IllegalArgumentException(name + " in " + s.name() + " is a section; only fields move");
        }
        return f;
    }

    @Override
    public StructValue up(StructValue tree, Schema before, LossSink losses) {
        String name = Paths.last(path);
        return TreeWalk.update(tree, before, Paths.parent(path), (v, s, where) -> {
            Schema out = LocalSchemas.of(this, s, this::local);
            Field sec = Members.require(out, section);
            StateTree value = TreeWalk.require(v, name, where);
            Map<String, StateTree> members = new LinkedHashMap<>(v.members());
            members.remove(name);
            StateTree cur = v.get(section);
            Map<String, StateTree> body;
            int version;
            if (cur == null) {
                if (value.equals(Zero.of(s.member(name)))) {
                    return TreeWalk.arrange(out, members);
                }
                body = new LinkedHashMap<>(Zero.of(Members.require(s, section).struct()).members());
                version = sec.struct().version();
            } else if (cur instanceof SectionValue present) {
                body = new LinkedHashMap<>(present.body().members());
                version = present.version();
            } else {
                throw TreeWalk.located(Errors.kindMismatch(section, cur.kind().typeName(), "section"), where);
            }
            body.put(name, value);
            members.put(section, new SectionValue(version, TreeWalk.arrange(sec.struct(), body)));
            return TreeWalk.arrange(out, members);
        });
    }

    @Override
    public MoveOutOfSection inverse() {
        List<String> moved = Paths.child(Paths.child(Paths.parent(path), section), Paths.last(path));
        return new MoveOutOfSection(moved, formerAfter, after);
    }

    @Override
    public boolean losslessUp() {
        return true;
    }

    @Override
    public String describe() {
        return "move " + Paths.render(path) + " into section " + section;
    }
}
