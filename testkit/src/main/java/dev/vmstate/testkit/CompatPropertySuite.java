package dev.vmstate.testkit;

import static org.quicktheories.generators.SourceDSL.integers;

import dev.vmstate.error.LossyDowngradeException;
import dev.vmstate.schema.SampleTrees;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.Formats;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.SchemaSource;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.Difference;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StateDiff;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.quicktheories.core.Gen;
import org.quicktheories.dsl.TheoryBuilder2;
import org.quicktheories.impl.Constraint;

/**
 * The properties of a device type's version history (#6), over every version it supports and
 * every wire format, in one call from one test:
 *
 * <pre>{@code
 * @Test
 * void compat() {
 *     CompatPropertySuite.of(history).checkAll();   // history: a CompatPropertySuite.History of the type
 * }
 * }</pre>
 *
 * <ol>
 *   <li><b>round trip</b>, for every version {@code v} and format: a generated state of
 *       {@code schemaAt(v)}, written as a device section at {@code v} and read back, is the same
 *       section (version, schema, values); a schema-less format (legacy) reads it with a
 *       {@link SchemaSource} that answers {@code schemaAt(v)}, as a destination reads an old stream;</li>
 *   <li><b>down(up(y)) = y</b> for a state {@code y} of an older version whose upgrade loses
 *       nothing;</li>
 *   <li><b>up(down(x)) = x</b> for a current state {@code x} whose downgrade to an older version
 *       reports no loss (with loss allowed, so the report is what decides);</li>
 *   <li><b>direct = step by step</b>, for every pair of versions {@code v != w}: converting through
 *       the current version (upgrade, then downgrade) gives what the steps between {@code v} and
 *       {@code w} alone give, whenever the direct conversion loses nothing.</li>
 * </ol>
 *
 * <p>A type with one version has only the round trip. States are generated from the version's
 * schema, half uniformly ({@link Arbitraries#states}) and half sparse (each value zero with
 * probability 1/2, where the compat rules have their special cases). Properties 2-4 hold only
 * inside the domain a version can represent, so a third of their tries take the state as drawn
 * and two thirds first project it into the domain (to the other version and back, loss allowed).
 * A try outside the domain (the conversion reports a loss) is skipped and counted; a property
 * fails when more tries were skipped than checked, so it cannot pass vacuously.
 * Values are compared exactly, except that a present section holding only zero values counts as
 * absent when fields move into or out of it ({@link History#movedSections()}): the compat rules
 * decide such a section's presence from its values, and readers treat the two alike.
 *
 * <p>Tries and seed come from {@link Properties}; a failure is an {@link AssertionError} naming
 * the type, the versions and the format, with the state shrunk by QuickTheories and the seed to
 * replay it.
 *
 * <p>Immutable; thread-safe when its history is.
 *
 * @since 0.1
 */
public final class CompatPropertySuite {

    /**
     * The version history of one device type, as the suite sees it: the schema of each supported
     * version and conversions between versions. An adapter over compat-filters'
     * {@code CompatChain} gives one; testkit depends on visitor-api only, because compat-filters'
     * own tests depend on testkit.
     *
     * @since 0.1
     */
    public interface History {
        /** The type name: the section id string and the root of error paths. */
        String type();

        /** The oldest supported version. */
        int minimumVersion();

        /** The current version. */
        int version();

        /** The schema of supported version {@code v}. */
        Schema schemaAt(int v);

        /**
         * {@code tree}, of version {@code fromVersion}, brought to {@link #version()}. A value that
         * does not survive throws a {@link LossyDowngradeException}, unless {@code allowLoss}: then
         * it is listed in the result.
         */
        Converted upgrade(StructValue tree, int fromVersion, boolean allowLoss);

        /** {@code tree}, of the current version, taken down to {@code toVersion}; losses as for {@link #upgrade}. */
        Converted downgrade(StructValue tree, int toVersion, boolean allowLoss);

        /**
         * The same history cut off at {@code newest}: the minimum version up to {@code newest},
         * with the steps in between and no other, so that converting with it goes step by step
         * without passing through the current version.
         */
        History endingAt(int newest);

        /** The names of the optional sections that fields move into or out of, in any version. */
        Set<String> movedSections();
    }

    /**
     * A state converted to another version, and a line for each value that did not survive.
     *
     * @param tree   the converted state
     * @param losses what was lost, for messages; empty when every value survived
     * @since 0.1
     */
    public record Converted(StructValue tree, List<String> losses) {
        public Converted {
            Objects.requireNonNull(tree, "tree");
            losses = List.copyOf(losses);
        }

        /** True when every value survived. */
        public boolean lossless() {
            return losses.isEmpty();
        }
    }

    private final History history;
    private final String type;
    private final List<WireFormat> formats;

    private CompatPropertySuite(History history, List<WireFormat> formats) {
        this.history = Objects.requireNonNull(history, "history");
        this.type = history.type();
        this.formats = List.copyOf(formats);
    }

    /**
     * The suite for {@code history} over every format {@link Formats#builtIn()} finds; fails when
     * a format could not be loaded or none is on the class path.
     */
    public static CompatPropertySuite of(History history) {
        Formats found = Formats.builtIn();
        if (!found.problems().isEmpty()) {
            throw new AssertionError("CompatPropertySuite(\"" + history.type() + "\"): formats on the class path could"
                    + " not be loaded: " + found.problems());
        }
        return of(history, found.all().stream().map(Formats.Found::format).toList());
    }

    /** The suite for {@code history} over {@code formats}. */
    public static CompatPropertySuite of(History history, List<WireFormat> formats) {
        if (formats.isEmpty()) {
            throw new AssertionError("CompatPropertySuite(\"" + history.type() + "\"): no wire format on the class path;"
                    + " add the format modules (vmstate-format-legacy, vmstate-format-json, ...) to this module's"
                    + " test dependencies");
        }
        return new CompatPropertySuite(history, formats);
    }

    /** Every property; for a type with one version, the round trip only. */
    public void checkAll() {
        roundTripsThroughEveryFormat();
        if (history.minimumVersion() < history.version()) {
            downgradeUndoesALosslessUpgrade();
            upgradeUndoesALosslessDowngrade();
            directConversionEqualsStepByStep();
        }
    }

    // ---- 1. round trip through every format -------------------------------------------------

    /** Property 1, for every supported version and every format. */
    public void roundTripsThroughEveryFormat() {
        for (int v = history.minimumVersion(); v <= history.version(); v++) {
            int version = v;
            Schema schema = history.schemaAt(v);
            Properties.qt().forAll(states(schema)).checkAssert(tree -> {
                for (WireFormat f : formats) {
                    roundTrip(f, schema, version, tree);
                }
            });
        }
    }

    private void roundTrip(WireFormat f, Schema schema, int version, StructValue tree) {
        // As MachineStreams.save writes a device: a full section with a footer, then a request for the description.
        List<StreamRecord> written = List.of(SampleStreams.header(),
                new DeviceSection(0, type, 0, version, true, schema, new GenericState(schema, tree)),
                new EndOfState(), Description.generate());
        byte[] bytes = SampleStreams.write(f, written, WriteOptions.defaults());
        ReadOptions options = ReadOptions.defaults();
        if (!f.capabilities().selfDescribing()) {
            options = options.withSchemas(schemas());
        }
        List<String> diff = SampleStreams.differences(written, SampleStreams.read(f, bytes, options));
        if (!diff.isEmpty()) {
            throw new AssertionError("[" + f.name() + "] " + type + " v" + version + " written and read back differs:\n  "
                    + String.join("\n  ", diff.subList(0, Math.min(diff.size(), 20))));
        }
    }

    /** What a destination knows of old versions: the history's schema of the section's version. */
    private SchemaSource schemas() {
        return (idstr, instanceId, version) -> idstr.equals(type) && version >= history.minimumVersion()
                && version <= history.version() ? history.schemaAt(version) : null;
    }

    // ---- 2. down(up(y)) = y -----------------------------------------------------------------

    /** Property 2, for every version below the current one. */
    public void downgradeUndoesALosslessUpgrade() {
        int current = history.version();
        for (int v = history.minimumVersion(); v < current; v++) {
            int version = v;
            String what = type + " v" + v + " -> v" + current + " -> v" + v;
            Tally tally = new Tally(what);
            forMixed(version).checkAssert((mix, drawn) -> {
                StructValue y = mix == 0 ? drawn : project(drawn, version, current);
                Converted up;
                try {
                    up = history.upgrade(y, version, false);
                } catch (LossyDowngradeException e) {
                    tally.skipped++;
                    return;
                }
                tally.checked++;
                Converted down = history.downgrade(up.tree(), version, true);
                expectLossless(what + ": the downgrade of a lossless upgrade of " + y, down);
                expectSame(what, y, down.tree(), version);
            });
            tally.verdict();
        }
    }

    // ---- 3. up(down(x)) = x -----------------------------------------------------------------

    /** Property 3, for every version below the current one. */
    public void upgradeUndoesALosslessDowngrade() {
        int current = history.version();
        for (int v = history.minimumVersion(); v < current; v++) {
            int version = v;
            String what = type + " v" + current + " -> v" + v + " -> v" + current;
            Tally tally = new Tally(what);
            forMixed(current).checkAssert((mix, drawn) -> {
                StructValue x = mix == 0 ? drawn : project(drawn, current, version);
                Converted down = history.downgrade(x, version, true);
                if (!down.lossless()) {
                    tally.skipped++;
                    return;
                }
                tally.checked++;
                Converted up = history.upgrade(down.tree(), version, true);
                expectLossless(what + ": the upgrade of a lossless downgrade of " + x, up);
                expectSame(what, x, up.tree(), current);
            });
            tally.verdict();
        }
    }

    // ---- 4. direct = step by step -----------------------------------------------------------

    /** Property 4, for every ordered pair of distinct supported versions. */
    public void directConversionEqualsStepByStep() {
        for (int v = history.minimumVersion(); v <= history.version(); v++) {
            for (int w = history.minimumVersion(); w <= history.version(); w++) {
                if (v != w) {
                    directEqualsStepByStep(v, w);
                }
            }
        }
    }

    private void directEqualsStepByStep(int from, int to) {
        String what = type + " v" + from + " -> v" + to;
        Tally tally = new Tally(what + " through v" + history.version());
        forMixed(from).checkAssert((mix, drawn) -> {
            StructValue y = mix == 0 ? drawn : project(drawn, from, to);
            Converted direct;
            try {
                direct = convert(y, from, to, false);
            } catch (LossyDowngradeException e) {
                tally.skipped++;
                return;
            }
            tally.checked++;
            Converted steps = from < to ? history.endingAt(to).upgrade(y, from, true)
                    : history.endingAt(from).downgrade(y, to, true);
            expectLossless(what + " step by step of " + y + ", where the conversion through v" + history.version()
                    + " loses nothing", steps);
            List<Difference> diff = StateDiff.between(type, normal(direct.tree(), to), normal(steps.tree(), to));
            if (!diff.isEmpty()) {
                throw new AssertionError(what + " of " + y + ": through v" + history.version() + " (left) and step by"
                        + " step (right) differ" + lines(diff));
            }
        });
        tally.verdict();
    }

    // ---- helpers ----------------------------------------------------------------------------

    /**
     * Pairs of a mix selector and a generated state of {@code version}. A property takes the
     * state as drawn for selector 0 (a third of the tries, and what shrinking aims for) and
     * {@link #project}s it otherwise; the projection runs inside the property, so a conversion
     * that throws is reported with the state that made it throw.
     */
    private TheoryBuilder2<Integer, StructValue> forMixed(int version) {
        return Properties.qt().forAll(integers().between(0, 2), states(history.schemaAt(version)));
    }

    /**
     * States of {@code schema}: half of them from {@link Arbitraries#states}, half sparse, where
     * each value (integer, length, character, enum choice) is its zero with probability 1/2, as
     * most registers of a real device are. Uniform draws almost never hit zero, and the compat
     * rules treat zeros and defaults specially (a field moved into an absent section, an added
     * field at its default).
     */
    static Gen<StructValue> states(Schema schema) {
        Gen<StructValue> sparse = in -> SampleTrees.generate(schema, (min, max) -> {
            long zero = Math.max(min, Math.min(max, 0));
            // max - min overflows (goes negative) for the 64-bit kinds, which are wide as well
            boolean wide = max - min > 1 || max - min < 0;
            if (wide && in.next(Constraint.between(0, 1).withShrinkPoint(0)) == 0) {
                return zero;
            }
            return in.next(Constraint.between(min, max).withShrinkPoint(zero));
        }, Arbitraries.DEFAULT_MAX_LENGTH);
        return Arbitraries.states(schema).mix(sparse);
    }

    /** {@code tree} of {@code version} taken to {@code via} and back, loss allowed: a state both can hold. */
    private StructValue project(StructValue tree, int version, int via) {
        return convert(convert(tree, version, via, true).tree(), via, version, true).tree();
    }

    /** {@code tree} of {@code from} at {@code to}, through the current version. */
    private Converted convert(StructValue tree, int from, int to, boolean allowLoss) {
        List<String> losses = new ArrayList<>();
        if (from < history.version()) {
            Converted up = history.upgrade(tree, from, allowLoss);
            losses.addAll(up.losses());
            tree = up.tree();
        }
        if (to < history.version()) {
            Converted down = history.downgrade(tree, to, allowLoss);
            losses.addAll(down.losses());
            tree = down.tree();
        }
        return new Converted(tree, losses);
    }

    private void expectLossless(String what, Converted c) {
        if (!c.lossless()) {
            throw new AssertionError(what + " reported " + c.losses().size() + " loss(es):\n  "
                    + String.join("\n  ", c.losses()));
        }
    }

    private void expectSame(String what, StructValue expected, StructValue actual, int version) {
        List<Difference> diff = StateDiff.between(type, normal(expected, version), normal(actual, version));
        if (!diff.isEmpty()) {
            throw new AssertionError(what + " changed " + diff.size() + " value(s) of " + expected + lines(diff));
        }
    }

    private StructValue normal(StructValue tree, int version) {
        return ZeroSections.absent(tree, history.schemaAt(version), history.movedSections());
    }

    private static String lines(List<Difference> diff) {
        StringBuilder sb = new StringBuilder(":");
        diff.stream().limit(20).forEach(d -> sb.append("\n  ").append(d));
        return sb.toString();
    }

    /** Tries checked and tries skipped as outside the domain, for one property. Not thread-safe. */
    private static final class Tally {
        private final String what;
        int checked;
        int skipped;

        Tally(String what) {
            this.what = what;
        }

        void verdict() {
            if (skipped > checked) {
                throw new AssertionError(what + ": " + skipped + " of " + (checked + skipped) + " tries lost a value"
                        + " and were skipped, so the property was hardly tested; the history loses values where a"
                        + " lossless conversion was expected, or its states need a better generator");
            }
        }
    }
}
