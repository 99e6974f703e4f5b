package dev.vmstate.compat;

import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.Difference;
import dev.vmstate.tree.StateDiff;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A change of meaning that the declarative operations cannot say (a period now counted in
 * nanoseconds instead of ticks, a flag folded into a mode): {@code up} and {@code down} rewrite
 * the values of the struct at {@code path} (the device's root struct for an empty path; every
 * element under a list). The schema does not change: a transform that also needs a new field
 * comes after an {@link Add} in the same step. Its result must fit the struct's schema (every
 * field, each of its kind; sections may come and go), or the conversion fails with a
 * {@link SchemaMismatchException} naming the transform.
 *
 * <p>Only code can state a transform, so a chain file ({@link CompatJson#read}) cannot hold
 * one. A schema export for the static checker ({@link CompatJson#declaration}) names it instead,
 * and reads it back as a {@link #declared declared} transform: a schema-neutral placeholder with
 * the name, path and lossless flag, whose functions fail when applied to a state. The functions
 * must be pure and thread-safe, and {@code down} must undo {@code up} for every value {@code up}
 * does not lose.
 * When {@code lossless} is declared false, each conversion checks that the other function brings
 * the value back and reports every difference as a loss; when it is declared true the functions
 * are trusted (and tests should check them).
 *
 * @param name     a short name for reports, e.g. {@code period-ticks-to-ns}
 * @param path     the struct rewritten
 * @param up       version {@code v} values to version {@code v + 1} values
 * @param down     the reverse
 * @param lossless whether both functions keep every value
 * @since 0.1
 */
public record Transform(String name, List<String> path, UnaryOperator<StructValue> up,
                        UnaryOperator<StructValue> down, boolean lossless) implements Operation {

    public Transform {
        Objects.requireNonNull(name, "name");
        path = Paths.checked(path, 0);
        Objects.requireNonNull(up, "up");
        Objects.requireNonNull(down, "down");
    }

    /**
     * A transform known only by its declaration (name, path, lossless flag), as a schema export
     * carries it ({@link CompatJson#readDeclaration}): it changes no schema, so a chain holding
     * it still gives the schema of every version, but converting a state through it fails with
     * an {@link UnsupportedOperationException}: {@code transform <name> needs its code; this chain
     * was read from JSON for checking only}. Two declarations of the same name, path and flag are
     * equal.
     *
     * @since 0.1
     */
    public static Transform declared(String name, List<String> path, boolean lossless) {
        Objects.requireNonNull(name, "name");
        return new Transform(name, path, new Placeholder(name), new Placeholder(name), lossless);
    }

    /** True for a {@link #declared} transform, whose functions are placeholders without code. */
    public boolean declaredOnly() {
        return up instanceof Placeholder;
    }

    /** Checks that {@code path} leads to a struct; the schema itself is unchanged. */
    @Override
    public Schema up(Schema before) {
        SchemaWalk.at(before, path);
        return before;
    }

    @Override
    public StructValue up(StructValue tree, Schema before, LossSink losses) {
        if (declaredOnly()) {
            // fail on every state, not only on one that holds the struct at path
            throw Placeholder.fail(name);
        }
        return TreeWalk.update(tree, before, path, (v, s, where) -> {
            StructValue out = Objects.requireNonNull(up.apply(v), "transform " + name + " returned null");
            try {
                Fits.check(s, out);
            } catch (SchemaMismatchException e) {
                throw TreeWalk.located(new SchemaMismatchException("transform " + name
                        + " returned a value that does not fit " + s.name() + ": " + e.getMessage(), e), where);
            }
            if (!lossless) {
                for (Difference d : StateDiff.between(where.render(), v, down.apply(out))) {
                    losses.lost(d.path(), d.left(), describe() + ": comes back as " + Add.show(d.right()));
                }
            }
            return TreeWalk.arrange(s, out.members());
        });
    }

    @Override
    public Transform inverse() {
        return new Transform(name, path, down, up, lossless);
    }

    @Override
    public boolean losslessUp() {
        return lossless;
    }

    @Override
    public String describe() {
        return "transform " + name + " at " + Paths.render(path) + (lossless ? "" : " (lossy)");
    }

    /** The function of a {@link #declared} transform: it has no code and fails when called. */
    private record Placeholder(String name) implements UnaryOperator<StructValue> {
        @Override
        public StructValue apply(StructValue value) {
            throw fail(name);
        }

        static UnsupportedOperationException fail(String name) {
            return new UnsupportedOperationException("transform " + name
                    + " needs its code; this chain was read from JSON for checking only");
        }
    }
}
