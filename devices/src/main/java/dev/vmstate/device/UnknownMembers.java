package dev.vmstate.device;

import dev.vmstate.error.MustUnderstandException;
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
import java.util.Objects;

/**
 * The rule for members a reader does not know (#6, docs/compat.md §5): a section written by a
 * newer build can carry fields and optional sections that this build's schema of the same version
 * lacks. Each such member the state actually holds is either skipped, when optional, or refused,
 * when it is <em>must-understand</em> ({@link Field#mustUnderstand()}). An absent section is
 * never a problem: there is nothing to understand.
 *
 * <p>{@link #project} keeps everything this build knows and drops the rest. It gives up
 * ({@code null}) when the two schemas disagree on more than extra members: a known member of
 * another kind, members in another order, or a field this build needs that the stream lacks.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class UnknownMembers {
    private UnknownMembers() {
    }

    /**
     * A state reduced to the members a schema knows.
     *
     * @param tree    the state, in the layout of the known schema
     * @param skipped the path of each optional member that was dropped, in stream order
     *                ({@code vs-pci-nic.vs-pci-nic/wol}, {@code vs-pci-nic.rx_coalesce})
     * @since 0.1
     */
    public record Projection(StructValue tree, List<String> skipped) {
        public Projection {
            Objects.requireNonNull(tree, "tree");
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * {@code tree}, written with schema {@code stream}, reduced to schema {@code known}; {@code null}
     * when {@code stream} is not {@code known} plus extra members.
     *
     * @param label names the section in an error, e.g. {@code 0000:00:04.0/vs-virtio-dev/0}
     * @throws MustUnderstandException when the state holds a must-understand member that
     *                                 {@code known} lacks; its path names the member
     */
    public static Projection project(Schema stream, StructValue tree, Schema known, String label) {
        Objects.requireNonNull(tree, "tree");
        List<String> skipped = new ArrayList<>();
        StructValue reduced = struct(stream, tree, known, known.name(), label, skipped);
        return reduced == null ? null : new Projection(reduced, skipped);
    }

    private static StructValue struct(Schema stream, StructValue value, Schema known, String path, String label,
                                      List<String> skipped) {
        List<Field> want = known.members();
        Map<String, StateTree> out = new LinkedHashMap<>();
        int next = 0; // known members are matched in order: the layouts must agree on it
        for (Field f : stream.members()) {
            int i = indexOf(want, f.name());
            if (i >= 0 && i < next) {
                return null; // known members in another order
            }
            StateTree v = value.get(f.name());
            String at = path + "." + f.name();
            if (i < 0) {
                if (v == null) {
                    continue; // an absent unknown section
                }
                if (f.mustUnderstand()) {
                    throw (MustUnderstandException) new MustUnderstandException("unknown must-understand "
                            + (f.isSection() ? "section" : "field") + " " + at + ": this build's " + known.name()
                            + " v" + known.version() + " has no such member, and the writer marked it as one a"
                            + " reader must not skip").inSection(label);
                }
                skipped.add(at);
                continue;
            }
            for (int j = next; j < i; j++) {
                if (!want.get(j).isSection()) {
                    return null; // a field this build needs is missing from the stream
                }
            }
            next = i + 1;
            if (v == null) {
                continue; // an absent known section
            }
            StateTree reduced = member(f, v, want.get(i), at, label, skipped);
            if (reduced == null) {
                return null;
            }
            out.put(f.name(), reduced);
        }
        for (int j = next; j < want.size(); j++) {
            if (!want.get(j).isSection()) {
                return null;
            }
        }
        return new StructValue(value.type(), out);
    }

    private static StateTree member(Field stream, StateTree v, Field known, String at, String label,
                                    List<String> skipped) {
        if (stream.kind() != known.kind() || stream.size() != known.size() || stream.length() != known.length()
                || stream.element() != known.element() || !Objects.equals(stream.enumNames(), known.enumNames())
                || (stream.struct() == null) != (known.struct() == null)) {
            return null;
        }
        if (stream.struct() == null) {
            return v;
        }
        if (v instanceof SectionValue s) {
            StructValue body = struct(stream.struct(), s.body(), known.struct(), at, label, skipped);
            return body == null ? null : new SectionValue(s.version(), body);
        }
        if (v instanceof ListValue l) {
            List<StructValue> items = new ArrayList<>(l.items().size());
            for (int k = 0; k < l.items().size(); k++) {
                StructValue item = struct(stream.struct(), l.items().get(k), known.struct(), at + "[" + k + "]", label,
                        skipped);
                if (item == null) {
                    return null;
                }
                items.add(item);
            }
            return new ListValue(l.kind(), items);
        }
        if (v instanceof StructValue s) {
            return struct(stream.struct(), s, known.struct(), at, label, skipped);
        }
        return null;
    }

    private static int indexOf(List<Field> fields, String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
