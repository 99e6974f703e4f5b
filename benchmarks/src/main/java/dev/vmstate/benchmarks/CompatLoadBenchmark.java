package dev.vmstate.benchmarks;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.compat.Loss;
import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.DeviceType;
import dev.vmstate.device.LoadSummary;
import dev.vmstate.device.Machine;
import dev.vmstate.device.MachineStreams;
import dev.vmstate.device.SampleMachines;
import dev.vmstate.device.SectionVersioning;
import dev.vmstate.format.legacy.LegacyFormat;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Visitables;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * #6: loading a device's section written at its minimum version into the current model, against
 * loading the same device's current-version section, in one run. Both streams are legacy streams
 * of one device (header, one full section, end, description) as {@code MachineStreams.save} writes
 * them; the old one holds the populated sample-pc state downgraded to the minimum version (loss
 * allowed). Both are loaded the way {@code vmstate load} loads a stream: a legacy reader with
 * {@code MachineStreams.schemas} and {@code MachineStreams.targets}, then {@code MachineStreams.load}
 * into a machine holding the device. The current section is read straight into the device; the
 * old one is read generically with the chain's schema of its version, upgraded and loaded. The
 * reader options are made once per trial, so the figures compare reading, upgrading and loading,
 * not describing schemas. {@code device} takes any type whose minimum version is below its
 * current one. Run with {@code -prof gc}; see docs/performance.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CompatLoadBenchmark {
    @Param({"mc146818rtc", "vs-pci-nic"})
    public String device;

    private final WireFormat legacy = new LegacyFormat();
    private Machine target;
    private ReadOptions options;
    private byte[] currentStream;
    private byte[] minimumStream;

    @Setup(Level.Trial)
    public void setUp() {
        DeviceRegistry registry = DeviceRegistry.load();
        DeviceType<?> type = registry.get(device);
        if (type.minimumVersion() >= type.version()) {
            throw new IllegalStateException(type + " has no older version to load");
        }
        Machine source = SampleMachines.populatedSamplePc(registry);
        String id = source.ids().stream().filter(i -> source.type(i).equals(type)).findFirst()
                .orElseThrow(() -> new IllegalStateException("sample-pc has no " + device));
        DeviceTree pc = source.tree();
        DeviceTree one = new DeviceTree(pc.machine(), List.of(pc.find(id)));
        target = Machine.build(one, registry);
        MachineStreams.SectionKey key = MachineStreams.sectionKeys(target).get(id);
        DeviceSection current = new DeviceSection(0, key.idstr(), key.instanceId(), type.version(), true,
                type.schema(), source.device(id));
        List<Loss> losses = new ArrayList<>();
        DeviceSection minimum = SectionVersioning.atVersion(current, type, type.minimumVersion(), true, losses::add);
        currentStream = stream(one, current);
        minimumStream = stream(one, minimum);
        options = ReadOptions.defaults().withSchemas(MachineStreams.schemas(registry))
                .withTargets(MachineStreams.targets(target));

        check(currentStream, "");
        check(minimumStream, " (upgraded to v" + type.version() + ")");
        StructValue expected = type.compat().upgrade(((GenericState) minimum.state()).tree(), type.minimumVersion());
        if (!Visitables.toTree(type.name(), target.device(id)).equals(expected)) {
            throw new IllegalStateException(device + ": the device does not hold the upgraded state");
        }
        System.out.printf("%n%s: v%d stream %d B, v%d stream %d B, %d value(s) dropped by the downgrade%n", device,
                type.version(), currentStream.length, type.minimumVersion(), minimumStream.length, losses.size());
    }

    private byte[] stream(DeviceTree tree, DeviceSection section) {
        List<StreamRecord> records = List.of(StreamHeader.of(tree.machine(), tree), section, new EndOfState(),
                Description.generate());
        SamplePc.Sink sink = new SamplePc.Sink();
        try (var w = legacy.openWriter(sink, WriteOptions.defaults())) {
            records.forEach(w::write);
        }
        return sink.toByteArray();
    }

    /** The stream loads its one section into the device, as the summary line {@code suffix} says. */
    private void check(byte[] stream, String suffix) {
        LoadSummary s = load(stream);
        if (s.loaded().size() != 1 || !s.generic().isEmpty() || !s.loaded().get(0).endsWith(suffix)
                || (suffix.isEmpty() && s.loaded().get(0).contains("upgraded"))) {
            throw new IllegalStateException(device + ": unexpected load summary " + s.lines());
        }
    }

    private LoadSummary load(byte[] stream) {
        return MachineStreams.load(target, legacy.openReader(ByteSource.of(stream), options));
    }

    @Benchmark
    public LoadSummary loadCurrentVersion() {
        return load(currentStream);
    }

    @Benchmark
    public LoadSummary loadMinimumVersion() {
        return load(minimumStream);
    }
}
