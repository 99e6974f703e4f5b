package dev.vmstate.testkit;

import dev.vmstate.binary.BinaryBody;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.StructureReport;
import dev.vmstate.schema.StructureValidator;
import dev.vmstate.spi.Formats;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.Difference;
import dev.vmstate.tree.StateDiff;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.DescribeVisitor;
import dev.vmstate.visitor.TreeInVisitor;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The round-trip properties every device must have, in one call from one test:
 *
 * <pre>{@code
 * @Test
 * void roundTrips() {
 *     RoundTrip.check("serial", Serial::new);
 * }
 * }</pre>
 *
 * <p>It validates the device's structure, checks that loading a generated state keeps its values,
 * then for {@link Properties#tries()} generated states
 * (loaded into a fresh instance, so the state is one the device can really hold) checks that
 * save → tree → load gives an empty diff; that the binary body round trip gives an empty diff and
 * the same bytes again; that a clone equals the original; and that describe gives the same
 * schema whatever the state. A failure is an {@link AssertionError} with the differing paths,
 * shrunk by QuickTheories to a small state, with the seed to replay it.
 *
 * <p>{@link #checkAllFormats} runs the device through every wire format on the class path as a
 * one-section stream (#3), for a device module whose tests depend on format modules.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class RoundTrip {
    private RoundTrip() {
    }

    /** Runs every round-trip property for the device type {@code name} made by {@code factory}. */
    public static <T extends Visitable> void check(String name, Supplier<T> factory) {
        check(name, factory, Set.of());
    }

    /**
     * As {@link #check(String, Supplier)}, for a device that legitimately rewrites some values
     * when it loads them (a field QEMU carries twice, a register derived from another): the
     * paths in {@code normalised} (prefixes, such as {@code i8254.channels[0].next_transition_time})
     * may differ between the generated state and the state the device saves after loading it.
     */
    public static <T extends Visitable> void check(String name, Supplier<T> factory, Set<String> normalised) {
        StructureReport report = StructureValidator.validate(name, factory);
        if (!report.isValid()) {
            throw new AssertionError(report.toString());
        }
        Schema schema = DescribeVisitor.describe(name, 0, 0, factory.get());
        Properties.qt().forAll(Arbitraries.states(schema)).checkAssert(tree -> {
            checkFaithfulLoad(name, factory, tree, normalised);
            checkState(name, factory, schema, tree);
        });
    }

    /**
     * Loading {@code tree} and saving again gives back {@code tree}, except for sections the
     * device decides by itself to write or not, and the {@code normalised} paths.
     */
    public static <T extends Visitable> void checkFaithfulLoad(String name, Supplier<T> factory, StructValue tree,
                                                               Set<String> normalised) {
        T loaded = TreeInVisitor.load(tree, factory.get());
        List<Difference> lost = StateDiff.between(name, tree, Visitables.toTree(name, loaded)).stream()
                .filter(d -> !(d.left() == null || d.right() == null)
                        || !(d.left() instanceof SectionValue || d.right() instanceof SectionValue))
                .filter(d -> normalised.stream().noneMatch(p -> d.path().startsWith(p)))
                .toList();
        expectNoDiff("load of a generated state (generated -> saved)", lost);
    }

    /** The properties for one generated state; public so a device test can replay a single tree. */
    public static <T extends Visitable> void checkState(String name, Supplier<T> factory, Schema schema, StructValue tree) {
        T original = TreeInVisitor.load(tree, factory.get());

        StructValue out = Visitables.toTree(name, original);
        T fromTree = TreeInVisitor.load(out, factory.get());
        expectNoDiff("save -> tree -> load", Visitables.diff(name, original, fromTree));

        byte[] body = BinaryBody.save(original);
        T fromBody = BinaryBody.load(body, factory.get());
        expectNoDiff("binary body save -> load", Visitables.diff(name, original, fromBody));
        byte[] again = BinaryBody.save(fromBody);
        if (!Arrays.equals(body, again)) {
            throw new AssertionError("binary body save -> load -> save changed the bytes (" + body.length + " -> "
                    + again.length + " bytes)");
        }

        T clone = Visitables.clone(original, factory);
        expectNoDiff("clone", Visitables.diff(name, original, clone));

        Schema described = DescribeVisitor.describe(name, 0, 0, original);
        if (!described.equals(schema)) {
            throw new AssertionError("describe depends on the state: first difference at "
                    + StructureValidator.firstDifference(name, schema, described));
        }
    }

    /**
     * For generated states, writes a one-section stream of the device in every format
     * {@link Formats#builtIn()} finds and reads it back into a new instance from {@code factory}
     * (chosen through the reader's {@link dev.vmstate.spi.StateTargets}); the state read must
     * equal the state written. A schema-less format is given the device's schema. With no format
     * on the class path this fails: the calling module needs format modules as test dependencies.
     */
    public static <T extends Visitable> void checkAllFormats(String name, Supplier<T> factory) {
        checkAllFormats(name, factory, Set.of());
    }

    /** As {@link #checkAllFormats(String, Supplier)}, ignoring differences under the {@code normalised} paths. */
    public static <T extends Visitable> void checkAllFormats(String name, Supplier<T> factory, Set<String> normalised) {
        Formats formats = Formats.builtIn();
        if (!formats.problems().isEmpty()) {
            throw new AssertionError("RoundTrip.checkAllFormats(\"" + name + "\"): formats on the class path could not be"
                    + " loaded: " + formats.problems());
        }
        checkAllFormats(name, factory, normalised, formats.all().stream().map(Formats.Found::format).toList());
    }

    static <T extends Visitable> void checkAllFormats(String name, Supplier<T> factory, Set<String> normalised,
                                                      List<WireFormat> formats) {
        if (formats.isEmpty()) {
            throw new AssertionError("RoundTrip.checkAllFormats(\"" + name + "\"): no wire format on the class path;"
                    + " add the format modules (vmstate-format-legacy, vmstate-format-json, ...) to this module's"
                    + " test dependencies");
        }
        T prototype = factory.get();
        int version = Math.max(1, prototype.typeVersion());
        Schema schema = DescribeVisitor.describe(name, version, version, prototype);
        Properties.qt().forAll(Arbitraries.states(schema)).checkAssert(tree -> {
            T original = TreeInVisitor.load(tree, factory.get());
            for (WireFormat f : formats) {
                T loaded = throughFormat(f, name, schema, original, factory);
                List<Difference> diff = new ArrayList<>(Visitables.diff(name, original, loaded));
                diff.removeIf(d -> normalised.stream().anyMatch(p -> d.path().startsWith(p)));
                expectNoDiff("[" + f.name() + "] write -> read", diff);
            }
        });
    }

    private static <T extends Visitable> T throughFormat(WireFormat f, String name, Schema schema, T original,
                                                         Supplier<T> factory) {
        // As MachineStreams.save writes a machine: with a request for the description trailer.
        List<StreamRecord> records = List.of(SampleStreams.header(),
                new DeviceSection(0, name, 0, schema.version(), true, schema, original), new EndOfState(),
                Description.generate());
        byte[] bytes = SampleStreams.write(f, records, WriteOptions.defaults());
        List<Visitable> targets = new ArrayList<>();
        ReadOptions options = ReadOptions.defaults().withTargets((idstr, instanceId, version, s) -> {
            if (!idstr.equals(name)) {
                return null;
            }
            T t = factory.get();
            targets.add(t);
            return t;
        });
        if (!f.capabilities().selfDescribing()) {
            options = options.withSchemas(SampleStreams.schemaSource(List.of(schema)));
        }
        List<DeviceSection> sections = SampleStreams.read(f, bytes, options).stream()
                .filter(r -> r instanceof DeviceSection).map(r -> (DeviceSection) r).toList();
        if (sections.size() != 1 || targets.stream().noneMatch(t -> t == sections.get(0).state())) {
            throw new AssertionError("[" + f.name() + "] the reader did not load the one section of " + name
                    + " into the object its StateTargets chose (sections read: " + sections.size() + ", targets asked: "
                    + targets.size() + ")");
        }
        @SuppressWarnings("unchecked")
        T loaded = (T) sections.get(0).state();
        return loaded;
    }

    private static void expectNoDiff(String what, List<Difference> diff) {
        if (!diff.isEmpty()) {
            StringBuilder sb = new StringBuilder(what).append(" changed ").append(diff.size()).append(" value(s):");
            diff.stream().limit(20).forEach(d -> sb.append("\n  ").append(d));
            throw new AssertionError(sb.toString());
        }
    }
}
