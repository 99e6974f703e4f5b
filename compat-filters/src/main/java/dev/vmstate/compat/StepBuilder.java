package dev.vmstate.compat;

import dev.vmstate.schema.Field;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The operations of one {@link Step}, in up order. Paths are dotted member names from the
 * device's root struct ({@code "timer.period"}); a name that itself contains a dot needs the
 * record form through {@link #op(Operation)}. Anchors into the newer schema are left for the
 * chain builder to fill in. Not thread-safe.
 *
 * @since 0.1
 */
public final class StepBuilder {
    private final List<Operation> ops = new ArrayList<>();

    StepBuilder() {
    }

    /** Any operation, e.g. one whose path has a name with a dot in it. */
    public StepBuilder op(Operation op) {
        ops.add(Objects.requireNonNull(op, "op"));
        return this;
    }

    /** See {@link Rename}. */
    public StepBuilder rename(String path, String newName) {
        return op(new Rename(Paths.parse(path), newName));
    }

    /** See {@link Retype}. */
    public StepBuilder retype(String path, Kind from, Kind to) {
        return op(new Retype(Paths.parse(path), from, to));
    }

    /** See {@link Add}; {@code path} ends with the field's name. */
    public StepBuilder add(String path, Field field, StateTree defaultValue) {
        return op(new Add(Paths.parse(path), field, defaultValue));
    }

    /** Adds a scalar integer field of {@code kind} named by the path's last name. */
    public StepBuilder add(String path, Kind kind, long defaultValue) {
        List<String> p = Paths.parse(path);
        return op(new Add(p, Field.scalar(Paths.last(p), kind, null), new IntValue(kind, defaultValue)));
    }

    /** See {@link Remove}: a member that was the last field of its struct in the older version. */
    public StepBuilder remove(String path, Field field, StateTree defaultValue) {
        return op(new Remove(Paths.parse(path), field, defaultValue));
    }

    /** See {@link Remove}: a member that followed {@code after} ({@link Operation#FIRST}: the first member). */
    public StepBuilder remove(String path, Field field, StateTree defaultValue, String after) {
        return op(new Remove(Paths.parse(path), field, defaultValue, after));
    }

    /** Removes a scalar integer field of {@code kind} that was the last field of its struct. */
    public StepBuilder remove(String path, Kind kind, long defaultValue) {
        List<String> p = Paths.parse(path);
        return op(new Remove(p, Field.scalar(Paths.last(p), kind, null), new IntValue(kind, defaultValue)));
    }

    /** See {@link MoveIntoSection}: a field that was the last field of its struct. */
    public StepBuilder moveIntoSection(String path, String section) {
        return op(new MoveIntoSection(Paths.parse(path), section));
    }

    /** See {@link MoveIntoSection}: a field that followed {@code formerAfter} in its struct. */
    public StepBuilder moveIntoSection(String path, String section, String formerAfter) {
        return op(new MoveIntoSection(Paths.parse(path), section, null, formerAfter));
    }

    /** See {@link MoveOutOfSection}: {@code path} is the struct's path, the section, the field. */
    public StepBuilder moveOutOfSection(String path) {
        return op(new MoveOutOfSection(Paths.parse(path)));
    }

    /** See {@link MoveOutOfSection}: a field that followed {@code formerAfter} in the section. */
    public StepBuilder moveOutOfSection(String path, String formerAfter) {
        return op(new MoveOutOfSection(Paths.parse(path), null, formerAfter));
    }

    /** See {@link Split}. */
    public StepBuilder split(String path, Kind kind, Part... parts) {
        return op(new Split(Paths.parse(path), kind, List.of(parts)));
    }

    /** See {@link Merge}. */
    public StepBuilder merge(String path, Kind kind, Part... parts) {
        return op(new Merge(Paths.parse(path), kind, List.of(parts)));
    }

    /** See {@link Transform}; the empty path is the device's root struct. */
    public StepBuilder transform(String name, String path, UnaryOperator<StructValue> up,
                                 UnaryOperator<StructValue> down, boolean lossless) {
        return op(new Transform(name, Paths.parse(path), up, down, lossless));
    }

    List<Operation> ops() {
        return List.copyOf(ops);
    }
}
