package dev.vmstate.visitor;

import dev.vmstate.limits.ReadLimits;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.Difference;
import dev.vmstate.tree.StateDiff;
import dev.vmstate.tree.StatePrinter;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.List;
import java.util.function.Supplier;

/**
 * One-call entry points to the built-in visitors: describe, tree out and in, clone, diff and
 * print. Stateless and thread-safe (the objects passed in are not).
 *
 * @since 0.1
 */
public final class Visitables {
    private Visitables() {
    }

    /** The schema of {@code object}; see {@link DescribeVisitor}. */
    public static Schema describe(String name, int version, int minimumVersion, Visitable object) {
        return DescribeVisitor.describe(name, version, minimumVersion, object);
    }

    /** The state of {@code object} as a generic tree; see {@link TreeOutVisitor}. */
    public static StructValue toTree(String typeName, Visitable object) {
        return TreeOutVisitor.toTree(typeName, object);
    }

    /** Loads {@code tree} into {@code target} under the default limits; see {@link TreeInVisitor}. */
    public static <T extends Visitable> T fromTree(StructValue tree, T target) {
        return TreeInVisitor.load(tree, target, ReadLimits.defaults());
    }

    /** Copies the state of {@code source} into {@code target} (of the same type); returns {@code target}. */
    public static <T extends Visitable> T copy(T source, T target) {
        return fromTree(toTree("copy", source), target);
    }

    /** A new object from {@code factory} holding the state of {@code source}. */
    public static <T extends Visitable> T clone(T source, Supplier<? extends T> factory) {
        return copy(source, factory.get());
    }

    /** Every difference between the states of {@code left} and {@code right}, paths prefixed with {@code root}. */
    public static List<Difference> diff(String root, Visitable left, Visitable right) {
        return StateDiff.between(root, toTree(root, left), toTree(root, right));
    }

    /** The state of {@code object} as indented text, with the hints of its schema. */
    public static String print(String title, Schema schema, Visitable object) {
        return StatePrinter.print(title, toTree(schema.name(), object), schema);
    }
}
