package dev.vmstate.tree;

import dev.vmstate.tree.StateTree.ArrayValue;
import dev.vmstate.tree.StateTree.BytesValue;
import dev.vmstate.tree.StateTree.ListValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every difference between two state trees, with its path: struct members by name, list and
 * array entries by index, byte fields byte by byte. Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class StateDiff {
    private StateDiff() {
    }

    /** The differences between {@code left} and {@code right}, paths prefixed with {@code root}; empty when equal. */
    public static List<Difference> between(String root, StructValue left, StructValue right) {
        List<Difference> out = new ArrayList<>();
        struct(root, left, right, out);
        return out;
    }

    private static String join(String base, String name) {
        return base == null || base.isEmpty() ? name : base + "." + name;
    }

    private static void struct(String path, StructValue a, StructValue b, List<Difference> out) {
        Set<String> names = new LinkedHashSet<>(a.members().keySet());
        names.addAll(b.members().keySet());
        for (String n : names) {
            node(join(path, n), a.get(n), b.get(n), out);
        }
    }

    private static void node(String path, StateTree a, StateTree b, List<Difference> out) {
        if (a == null || b == null || a.kind() != b.kind() || a.getClass() != b.getClass()) {
            if (!(a == null && b == null)) {
                out.add(new Difference(path, a, b));
            }
            return;
        }
        if (a instanceof StructValue sa) {
            struct(path, sa, (StructValue) b, out);
        } else if (a instanceof SectionValue sa) {
            SectionValue sb = (SectionValue) b;
            if (sa.version() != sb.version()) {
                out.add(new Difference(path, a, b));
            } else {
                struct(path, sa.body(), sb.body(), out);
            }
        } else if (a instanceof ListValue la) {
            ListValue lb = (ListValue) b;
            int n = Math.max(la.items().size(), lb.items().size());
            for (int i = 0; i < n; i++) {
                StructValue ia = i < la.items().size() ? la.items().get(i) : null;
                StructValue ib = i < lb.items().size() ? lb.items().get(i) : null;
                if (ia == null || ib == null) {
                    out.add(new Difference(path + "[" + i + "]", ia, ib));
                } else {
                    struct(path + "[" + i + "]", ia, ib, out);
                }
            }
        } else if (a instanceof BytesValue ba && ba.length() == ((BytesValue) b).length() && ba.length() > 0) {
            BytesValue bb = (BytesValue) b;
            for (int i = 0; i < ba.length(); i++) {
                if (ba.byteAt(i) != bb.byteAt(i)) {
                    out.add(new Difference(path + "[" + i + "]",
                            new StateTree.IntValue(dev.vmstate.visitor.Kind.U8, ba.byteAt(i) & 0xFF),
                            new StateTree.IntValue(dev.vmstate.visitor.Kind.U8, bb.byteAt(i) & 0xFF)));
                }
            }
        } else if (a instanceof ArrayValue aa && aa.length() == ((ArrayValue) b).length()
                && aa.element() == ((ArrayValue) b).element()) {
            ArrayValue ab = (ArrayValue) b;
            for (int i = 0; i < aa.length(); i++) {
                if (aa.get(i) != ab.get(i)) {
                    out.add(new Difference(path + "[" + i + "]", new StateTree.IntValue(aa.element(), aa.get(i)),
                            new StateTree.IntValue(ab.element(), ab.get(i))));
                }
            }
        } else if (!a.equals(b)) {
            out.add(new Difference(path, a, b));
        }
    }
}
