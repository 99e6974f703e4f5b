package dev.vmstate.compat;

import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.error.VersionException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The version history of one device type: its current schema, the oldest version it still
 * loads, and one {@link Step} per version from that minimum up to the current one. It upgrades a
 * state read from an older stream, downgrades a state for an older peer, and gives the schema of
 * any supported version, which is how a schema-less (legacy) stream of an old version is read.
 *
 * <p>A device declares its chain next to itself:
 *
 * <pre>{@code
 * CompatChain rtc = CompatChain.of(Mc146818Rtc.TYPE.schema())   // version 3, minimum 1
 *         .step(1, s -> s.add("irq_coalesced", Kind.U32, 0)
 *                        .add("period", Kind.U32, 0))
 *         .step(2, s -> s.add("base_rtc", Kind.U64, 0)
 *                        .add("last_update", Kind.U64, 0)
 *                        .add("offset", Kind.I64, 0)
 *                        .add("update_timer", Kind.I64, -1)
 *                        .add("next_alarm_time", Kind.U64, 0))
 *         .build();
 *
 * Schema v1 = rtc.schemaAt(1);                              // read a version 1 stream with this
 * StructValue now = rtc.upgrade(oldTree, 1);                 // then bring it to version 3
 * Conversion old = rtc.downgrade(now, 2, false);             // for a peer that loads version 2
 * }</pre>
 *
 * <p>{@link ChainBuilder#build()} checks the whole chain against the current schema: steps cover
 * every version from the minimum up, and each operation applies to the schema it faces (walking
 * down from the current schema) and inverts exactly. A failure is an
 * {@link IllegalArgumentException} naming the type, the step and the operation, so a broken chain
 * stops the build of the device, not a migration. An operator can also bridge two builds from a
 * JSON file ({@link CompatJson}).
 *
 * <p>Upgrading and downgrading check that the tree fits the schema of its version
 * ({@link SchemaMismatchException} otherwise), then apply the steps. A value the target version
 * cannot carry fails the conversion with a {@link dev.vmstate.error.LossyDowngradeException}
 * naming its path, the value and the target version, unless the caller allows loss; then every
 * such value is listed in the {@link Conversion}. The exception is the same for an upgrade that
 * would lose a value (a field removed or narrowed in a newer version).
 *
 * <p>Immutable and thread-safe when its transforms are.
 *
 * @since 0.1
 */
public final class CompatChain {
    private final String type;
    private final int minimum;
    private final int version;
    /** Step {@code from} at index {@code from - minimum}. */
    private final List<Step> steps;
    /** For step {@code from}: the schema before each operation on the way up, then the schema of {@code from + 1}. */
    private final List<List<Schema>> stages;
    /** The schema of version {@code v} at index {@code v - minimum}. */
    private final List<Schema> schemas;
    /** For an upgrade from version {@code v}, at index {@code v - minimum}: the passes to apply, in order. */
    private final List<List<Pass>> upgrades;

    CompatChain(String type, int minimum, int version, List<Step> steps, List<List<Schema>> stages,
                List<Schema> schemas) {
        this.type = type;
        this.minimum = minimum;
        this.version = version;
        this.steps = List.copyOf(steps);
        this.stages = List.copyOf(stages);
        this.schemas = List.copyOf(schemas);
        List<List<Pass>> plans = new ArrayList<>();
        for (int v = minimum; v < version; v++) {
            plans.add(plan(v));
        }
        this.upgrades = List.copyOf(plans);
    }

    /** Starts a chain for the device whose schema today is {@code current}. */
    public static ChainBuilder of(Schema current) {
        return new ChainBuilder(current);
    }

    /** The device type, the current schema's name. */
    public String type() {
        return type;
    }

    /** The current version. */
    public int version() {
        return version;
    }

    /** The oldest version the chain converts from and to. */
    public int minimumVersion() {
        return minimum;
    }

    /** The steps from the minimum version up, as the builder resolved them (anchors filled in). */
    public List<Step> steps() {
        return steps;
    }

    /**
     * The schema of {@code v}: named after the type, with version {@code v} and the chain's
     * minimum version; for the current version, the device's schema.
     *
     * @throws VersionException when {@code v} is below the minimum or above the current version
     */
    public Schema schemaAt(int v) {
        checkVersion(v);
        return schemas.get(v - minimum);
    }

    /**
     * {@code tree}, a state of version {@code fromVersion}, brought to the current version; any
     * value the current version cannot carry fails the upgrade.
     *
     * @throws VersionException            when {@code fromVersion} is not supported
     * @throws SchemaMismatchException     when {@code tree} does not fit {@link #schemaAt schemaAt(fromVersion)}
     * @throws dev.vmstate.error.LossyDowngradeException when a value would be lost
     */
    public StructValue upgrade(StructValue tree, int fromVersion) {
        return upgrade(tree, fromVersion, false).tree();
    }

    /** As {@link #upgrade(StructValue, int)}; with {@code allowLoss}, lost values are listed instead. */
    public Conversion upgrade(StructValue tree, int fromVersion, boolean allowLoss) {
        checkVersion(fromVersion);
        checkFits(tree, fromVersion);
        return run(tree, fromVersion, allowLoss);
    }

    /**
     * As {@link #upgrade(StructValue, int)}, for a tree the caller has just built to fit
     * {@link #schemaAt schemaAt(fromVersion)} (a reader's generic state of that schema): the walk
     * that checks it is skipped, which on a load is a tenth of the upgrade's cost. Given a tree
     * that does not fit, the result is undefined.
     */
    public StructValue upgradeFitting(StructValue tree, int fromVersion) {
        checkVersion(fromVersion);
        return run(tree, fromVersion, false).tree();
    }

    private Conversion run(StructValue tree, int fromVersion, boolean allowLoss) {
        LossCollector losses = new LossCollector(type, "upgrade", version, allowLoss);
        if (fromVersion < version) {
            for (Pass p : upgrades.get(fromVersion - minimum)) {
                tree = p.up(tree, losses);
            }
        }
        return new Conversion(tree, version, losses.losses());
    }

    /**
     * {@code tree}, a state of the current version, taken down to {@code toVersion}.
     *
     * @param allowLoss false: the first value {@code toVersion} cannot carry throws a
     *                  {@link dev.vmstate.error.LossyDowngradeException} with its path, the value and
     *                  {@code toVersion}; true: every such value is listed in the result
     * @throws VersionException        when {@code toVersion} is not supported
     * @throws SchemaMismatchException when {@code tree} does not fit the current schema
     */
    public Conversion downgrade(StructValue tree, int toVersion, boolean allowLoss) {
        checkVersion(toVersion);
        checkFits(tree, version);
        LossCollector losses = new LossCollector(type, "downgrade", toVersion, allowLoss);
        for (int v = version - 1; v >= toVersion; v--) {
            List<Operation> ops = steps.get(v - minimum).ops();
            List<Schema> stage = stages.get(v - minimum);
            losses.step(v + 1, v);
            for (int i = ops.size() - 1; i >= 0; i--) {
                tree = ops.get(i).down(tree, stage.get(i + 1), losses);
            }
        }
        return new Conversion(tree, toVersion, losses.losses());
    }

    // ---- upgrade plans ------------------------------------------------------------------------

    /**
     * A part of an upgrade: one operation, or a run of additions to the same struct. #6: loading
     * an old section upgrades it, and applying a QEMU-style history (mostly additions) one
     * operation at a time copied the struct and rebuilt its schema for every added field, which
     * made loading a version 1 mc146818rtc section 6.6 times as slow as loading a current one
     * (CompatLoadBenchmark, docs/performance.md).
     */
    @FunctionalInterface
    private interface Pass {
        StructValue up(StructValue tree, LossCollector losses);
    }

    /**
     * The passes that bring a state of version {@code from} to the current version: the
     * operations of every step from {@code from} up, where consecutive additions to the same
     * struct, within a step or across steps, become one pass that puts every default in at once
     * and orders the members by the schema after the last of them (an addition never loses a
     * value, so the steps it belongs to need not be told apart).
     */
    private List<Pass> plan(int from) {
        List<Pass> passes = new ArrayList<>();
        List<Add> run = new ArrayList<>();
        Schema runBefore = null;
        Schema runAfter = null;
        for (int v = from; v < version; v++) {
            int step = v;
            List<Operation> ops = steps.get(v - minimum).ops();
            List<Schema> stage = stages.get(v - minimum);
            for (int i = 0; i < ops.size(); i++) {
                Operation op = ops.get(i);
                if (!run.isEmpty() && !(op instanceof Add a && sameParent(a, run.get(0)))) {
                    addRun(passes, run, runBefore, runAfter);
                    run.clear();
                }
                if (op instanceof Add a) {
                    if (run.isEmpty()) {
                        runBefore = stage.get(i);
                    }
                    run.add(a);
                    runAfter = stage.get(i + 1);
                } else {
                    Schema before = stage.get(i);
                    passes.add((tree, losses) -> {
                        losses.step(step, step + 1);
                        return op.up(tree, before, losses);
                    });
                }
            }
        }
        if (!run.isEmpty()) {
            addRun(passes, run, runBefore, runAfter);
        }
        return List.copyOf(passes);
    }

    private static boolean sameParent(Add a, Add b) {
        return Paths.parent(a.path()).equals(Paths.parent(b.path()));
    }

    /** One pass for the additions {@code run}, which take {@code before} to {@code after}; none when every default is an absent section. */
    private static void addRun(List<Pass> passes, List<Add> run, Schema before, Schema after) {
        List<String> parent = List.copyOf(Paths.parent(run.get(0).path()));
        Map<String, StateTree> defaults = new LinkedHashMap<>();
        for (Add a : run) {
            if (a.defaultValue() != null) {
                defaults.put(a.field().name(), a.defaultValue());
            }
        }
        if (defaults.isEmpty()) {
            return;
        }
        Schema local = SchemaWalk.at(after, parent);
        passes.add((tree, losses) -> TreeWalk.update(tree, before, parent, (v, s, where) -> {
            // the members in the order of the schema after the run: the struct's own, then the defaults
            LinkedHashMap<String, StateTree> out = new LinkedHashMap<>((v.members().size() + defaults.size()) * 4 / 3 + 1);
            for (Field f : local.members()) {
                StateTree value = v.get(f.name());
                if (value == null) {
                    value = defaults.get(f.name());
                }
                if (value != null) {
                    out.put(f.name(), value);
                }
            }
            if (out.size() != v.members().size() + defaults.size()) {
                throw new IllegalStateException("members of " + v.members().keySet() + " are not in " + local.name());
            }
            return StructValue.owning(local.name(), out);
        }));
    }

    /**
     * The steps a chain no longer needs once its minimum version is raised to {@code newMinimum}
     * (those ending at or below it), oldest first; QEMU raised mc146818rtc's minimum from 1 to 3,
     * which makes its steps 1->2 and 2->3 deletable.
     *
     * @throws IllegalArgumentException when {@code newMinimum} is above the current version
     */
    public List<Step> removableBelow(int newMinimum) {
        if (newMinimum > version) {
            throw new IllegalArgumentException(type + ": minimum version " + newMinimum
                    + " above the current version " + version);
        }
        return steps.stream().filter(s -> s.from() < newMinimum).toList();
    }

    private void checkVersion(int v) {
        if (v < minimum) {
            throw new VersionException(type + " version " + v + " is older than the minimum version " + minimum);
        }
        if (v > version) {
            throw new VersionException(type + " version " + v + " is newer than the current version " + version);
        }
    }

    private void checkFits(StructValue tree, int v) {
        try {
            Fits.check(schemaAt(v), tree);
        } catch (SchemaMismatchException e) {
            throw (SchemaMismatchException) e.prependField(type);
        }
    }

    @Override
    public String toString() {
        return type + " v" + minimum + ".." + version + " (" + steps.size() + " steps)";
    }
}
