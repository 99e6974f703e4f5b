package dev.vmstate.compat;

import dev.vmstate.schema.Schema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Declares a {@link CompatChain}: the minimum version and the steps, checked as a whole by
 * {@link #build()}. See {@link CompatChain} for an example. Not thread-safe; build once, share
 * the chain.
 *
 * @since 0.1
 */
public final class ChainBuilder {
    private final Schema current;
    private Integer minimum;
    private final TreeMap<Integer, Step> steps = new TreeMap<>();

    ChainBuilder(Schema current) {
        this.current = Objects.requireNonNull(current, "current");
    }

    /**
     * The oldest version the chain supports; by default the current schema's
     * {@link Schema#minimumVersion()}, which is what the device declares. A lower minimum (with
     * the steps for it) bridges to builds older than the device supports by itself.
     */
    public ChainBuilder minimum(int minimumVersion) {
        this.minimum = minimumVersion;
        return this;
    }

    /** The step from version {@code from} to {@code from + 1}, its operations declared by {@code ops}. */
    public ChainBuilder step(int from, Consumer<StepBuilder> ops) {
        StepBuilder b = new StepBuilder();
        ops.accept(b);
        return step(new Step(from, b.ops()));
    }

    /** A step made elsewhere, e.g. read from a file. */
    public ChainBuilder step(Step step) {
        if (steps.putIfAbsent(step.from(), step) != null) {
            throw new IllegalArgumentException(current.name() + ": two steps from version " + step.from());
        }
        return this;
    }

    /**
     * The chain, after checking it against the current schema: steps for exactly the versions
     * from the minimum up to the current one, each operation applicable to the schema it faces
     * and exactly inverted by its inverse. Operations' newer-side anchors are filled in.
     *
     * @throws IllegalArgumentException naming the type, step and operation that does not fit
     */
    public CompatChain build() {
        String type = current.name();
        int version = current.version();
        int min = minimum != null ? minimum : current.minimumVersion();
        if (min < 0 || min > version) {
            throw new IllegalArgumentException(type + ": minimum version " + min + " outside 0.." + version);
        }
        for (int from : steps.keySet()) {
            if (from < min || from >= version) {
                throw new IllegalArgumentException(type + ": step " + from + "->" + (from + 1)
                        + " is outside the supported versions " + min + ".." + version);
            }
        }
        Schema[] schemas = new Schema[version - min + 1];
        Step[] resolved = new Step[version - min];
        List<List<Schema>> stages = new ArrayList<>(Collections.nCopies(version - min, null));
        Schema s = current.withVersions(version, min);
        schemas[version - min] = s;
        for (int from = version - 1; from >= min; from--) {
            Step step = steps.get(from);
            if (step == null) {
                throw new IllegalArgumentException(type + ": no step " + from + "->" + (from + 1)
                        + "; steps must cover every version from the minimum " + min + " to " + version);
            }
            Schema[] stage = new Schema[step.ops().size() + 1];
            Operation[] ops = new Operation[step.ops().size()];
            stage[ops.length] = s;
            for (int i = ops.length - 1; i >= 0; i--) {
                Operation op = step.ops().get(i);
                try {
                    op = Anchors.resolve(op, stage[i + 1]);
                    Schema below = op.down(stage[i + 1]);
                    if (!SchemaShapes.same(op.up(below), stage[i + 1])) {
                        throw new IllegalArgumentException("up does not give back the schema down started from");
                    }
                    stage[i] = below;
                    ops[i] = op;
                } catch (IllegalArgumentException e) {
                    throw new InvalidStepException(type, from, i, op, e);
                }
            }
            stage[0] = stage[0].withVersions(from, min);
            s = stage[0];
            schemas[from - min] = s;
            resolved[from - min] = new Step(from, List.of(ops));
            stages.set(from - min, List.of(stage));
        }
        return new CompatChain(type, min, version, List.of(resolved), stages, List.of(schemas));
    }
}
