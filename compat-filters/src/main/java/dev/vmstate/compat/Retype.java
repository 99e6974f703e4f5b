package dev.vmstate.compat;

import dev.vmstate.error.Errors;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The scalar integer field at {@code path} changes kind from {@code from} (version {@code v}) to
 * {@code to} (version {@code v + 1}), keeping its name, place and presentation hint. A value
 * keeps its number; a number the new kind cannot hold is reported as a loss and clamped to the
 * nearest bound of the new kind's range. So widening ({@code uint16 -> uint32}) never loses on
 * the way up and is range-checked on the way down; narrowing is the reverse; any other change
 * ({@code int32 <-> uint32}) is range-checked both ways.
 *
 * <p>Immutable and thread-safe.
 *
 * @param path the field
 * @param from its kind in version {@code v}
 * @param to   its kind in version {@code v + 1}
 * @since 0.1
 */
public record Retype(List<String> path, Kind from, Kind to) implements Operation {

    public Retype {
        path = Paths.checked(path, 1);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isInteger() || !to.isInteger()) {
            throw new IllegalArgumentException("retype of " + Paths.render(path) + " from " + from.typeName()
                    + " to " + to.typeName() + ": only integer kinds can be retyped");
        }
    }

    @Override
    public Schema up(Schema before) {
        String name = Paths.last(path);
        return SchemaWalk.update(before, Paths.parent(path), s -> {
            Field f = Members.requireInteger(s, name, from);
            return Members.replace(s, name, List.of(new Field(name, to, to.width(), 0, null, null, f.hint(), null,
                    f.mustUnderstand())));
        });
    }

    @Override
    public StructValue up(StructValue tree, Schema before, LossSink losses) {
        String name = Paths.last(path);
        return TreeWalk.update(tree, before, Paths.parent(path), (v, s, where) -> {
            StateTree cur = TreeWalk.require(v, name, where);
            if (!(cur instanceof IntValue i) || i.kind() != from) {
                throw TreeWalk.located(Errors.kindMismatch(name, cur.kind().typeName(), from.typeName()), where);
            }
            BigInteger number = IntRanges.value(from, i.value());
            long converted = IntRanges.clamp(to, number);
            if (!IntRanges.holds(to, number)) {
                losses.lost(where.field(name).render(), cur, describe() + ": outside " + IntRanges.range(to)
                        + ", becomes " + IntRanges.value(to, converted));
            }
            Map<String, StateTree> out = new LinkedHashMap<>(v.members());
            out.put(name, new IntValue(to, converted));
            return new StructValue(v.type(), out);
        });
    }

    @Override
    public Retype inverse() {
        return new Retype(path, to, from);
    }

    @Override
    public boolean losslessUp() {
        return IntRanges.contains(to, from);
    }

    @Override
    public String describe() {
        String how = IntRanges.contains(to, from) ? "widen" : IntRanges.contains(from, to) ? "narrow" : "range change";
        return "retype " + Paths.render(path) + " " + from.typeName() + " -> " + to.typeName() + " (" + how + ")";
    }
}
