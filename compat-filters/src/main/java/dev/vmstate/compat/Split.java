package dev.vmstate.compat;

import dev.vmstate.error.Errors;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scalar integer field at {@code path} becomes several unsigned fields, each holding a range
 * of its bits (a {@code uint16} into two {@code uint8} halves), in its place and in the listed
 * order. A signed field is split as its two's-complement bit pattern. Upgrading loses the bits no
 * part covers when they are set; downgrading ({@link Merge}) loses a part's bits above its
 * {@link Part#bits()}. So a split is lossless both ways when its parts cover every bit of the
 * field and each part's kind is exactly its bit count wide. Parts get no presentation hint.
 *
 * <p>Immutable and thread-safe.
 *
 * @param path  the field in version {@code v}
 * @param kind  its kind
 * @param parts the fields version {@code v + 1} has instead
 * @since 0.1
 */
public record Split(List<String> path, Kind kind, List<Part> parts) implements Operation {

    public Split {
        path = Paths.checked(path, 1);
        parts = Part.checkAll(kind, parts, "split of " + Paths.render(path));
    }

    @Override
    public Schema up(Schema before) {
        String name = Paths.last(path);
        return SchemaWalk.update(before, Paths.parent(path), s -> {
            Members.requireInteger(s, name, kind);
            return Members.replace(s, name, parts.stream().map(Part::field).toList());
        });
    }

    @Override
    public StructValue up(StructValue tree, Schema before, LossSink losses) {
        String name = Paths.last(path);
        long lost = IntRanges.mask(kind.width() * 8) & ~Part.covered(parts);
        return TreeWalk.update(tree, before, Paths.parent(path), (v, s, where) -> {
            StateTree cur = TreeWalk.require(v, name, where);
            if (!(cur instanceof IntValue i) || i.kind() != kind) {
                throw TreeWalk.located(Errors.kindMismatch(name, cur.kind().typeName(), kind.typeName()), where);
            }
            long pattern = IntRanges.pattern(kind, i.value());
            if ((pattern & lost) != 0) {
                losses.lost(where.field(name).render(), cur, describe() + ": bits 0x"
                        + Long.toHexString(pattern & lost).toUpperCase() + " are in no part");
            }
            Map<String, StateTree> out = new LinkedHashMap<>();
            v.members().forEach((member, value) -> {
                if (member.equals(name)) {
                    for (Part p : parts) {
                        out.put(p.name(), new IntValue(p.kind(), (pattern >>> p.shift()) & IntRanges.mask(p.bits())));
                    }
                } else {
                    out.put(member, value);
                }
            });
            return new StructValue(v.type(), out);
        });
    }

    @Override
    public Merge inverse() {
        return new Merge(path, kind, parts);
    }

    @Override
    public boolean losslessUp() {
        return Part.covered(parts) == IntRanges.mask(kind.width() * 8);
    }

    @Override
    public String describe() {
        return "split " + Paths.render(path) + " " + kind.typeName() + " into " + Part.describeAll(parts);
    }
}
