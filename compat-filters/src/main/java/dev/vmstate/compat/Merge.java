package dev.vmstate.compat;

import dev.vmstate.error.Errors;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several unsigned fields, consecutive members in the listed order, become one integer field of
 * {@code kind} in the place of the first: part {@code p} gives bits {@code p.shift()} up. A part
 * value wider than its {@link Part#bits()} is reported as a loss and cut to them. The inverse of
 * {@link Split}, whose Javadoc gives the lossless rule.
 *
 * <p>Immutable and thread-safe.
 *
 * @param path  the merged field in version {@code v + 1}; the parts are its siblings in version {@code v}
 * @param kind  the merged field's kind
 * @param parts the fields of version {@code v} that make it up
 * @since 0.1
 */
public record Merge(List<String> path, Kind kind, List<Part> parts) implements Operation {

    public Merge {
        path = Paths.checked(path, 1);
        parts = Part.checkAll(kind, parts, "merge into " + Paths.render(path));
    }

    @Override
    public Schema up(Schema before) {
        return SchemaWalk.update(before, Paths.parent(path), this::local);
    }

    private Schema local(Schema s) {
        int first = s.members().indexOf(Members.require(s, parts.get(0).name()));
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            Field f = Members.requireInteger(s, p.name(), p.kind());
            if (s.members().indexOf(f) != first + i) {
                throw new IllegalArgumentException("the parts of " + describe()
                        + " must be consecutive members of " + s.name() + " in the listed order");
            }
        }
        // The later parts go first, so the merged field may take the name of any part.
        Schema out = s;
        for (Part p : parts.subList(1, parts.size())) {
            out = Members.without(out, p.name());
        }
        return Members.replace(out, parts.get(0).name(), List.of(Field.scalar(Paths.last(path), kind, null)));
    }

    @Override
    public StructValue up(StructValue tree, Schema before, LossSink losses) {
        String name = Paths.last(path);
        return TreeWalk.update(tree, before, Paths.parent(path), (v, s, where) -> {
            long pattern = 0;
            for (Part p : parts) {
                StateTree cur = TreeWalk.require(v, p.name(), where);
                if (!(cur instanceof IntValue i) || i.kind() != p.kind()) {
                    throw TreeWalk.located(Errors.kindMismatch(p.name(), cur.kind().typeName(), p.kind().typeName()),
                            where);
                }
                long bits = i.value() & IntRanges.mask(p.bits());
                if (bits != i.value()) {
                    losses.lost(where.field(p.name()).render(), cur, describe() + ": wider than " + p.bits()
                            + " bits, becomes " + Long.toUnsignedString(bits));
                }
                pattern |= bits << p.shift();
            }
            IntValue whole = new IntValue(kind, IntRanges.fromPattern(kind, pattern));
            Map<String, StateTree> out = new LinkedHashMap<>();
            v.members().forEach((member, value) -> {
                if (member.equals(parts.get(0).name())) {
                    out.put(name, whole);
                } else if (parts.stream().noneMatch(p -> p.name().equals(member))) {
                    out.put(member, value);
                }
            });
            return new StructValue(v.type(), out);
        });
    }

    @Override
    public Split inverse() {
        return new Split(path, kind, parts);
    }

    @Override
    public boolean losslessUp() {
        return parts.stream().allMatch(p -> p.bits() == p.kind().width() * 8);
    }

    @Override
    public String describe() {
        return "merge " + Part.describeAll(parts) + " into " + Paths.render(path) + " " + kind.typeName();
    }
}
