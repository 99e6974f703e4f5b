package dev.vmstate.benchmarks;

import dev.vmstate.benchmarks.pojo.SamplePcPojos;
import dev.vmstate.binary.ByteSource;
import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.DeviceType;
import dev.vmstate.device.Machine;
import dev.vmstate.device.SampleMachines;
import dev.vmstate.device.nic.PciNic;
import dev.vmstate.device.pit.I8254;
import dev.vmstate.device.ramblock.RamBlock;
import dev.vmstate.device.rtc.Mc146818Rtc;
import dev.vmstate.device.serial.Serial;
import dev.vmstate.device.virtio.VirtioDevice;
import dev.vmstate.format.cbor.CborFormat;
import dev.vmstate.format.legacy.LegacyFormat;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.visitor.Visitable;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * #4: sample-pc saved and loaded through vmstate's {@code cbor} format against Jackson databind
 * CBOR of equivalent annotated POJOs and against vmstate's own {@code legacy} stream, in one run.
 * Sizes of each encoding are printed at setup. Run with {@code -prof gc}; see docs/performance.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CborBenchmark {
    static final class Sink extends ByteArrayOutputStream {
        Sink() {
            super(64 * 1024);
        }
    }

    private final WireFormat cbor = new CborFormat();
    private final WireFormat legacy = new LegacyFormat();
    private final CBORMapper mapper = CBORMapper.builder().build();
    private final Sink sink = new Sink();
    private List<StreamRecord> records;
    private ReadOptions readOptions;
    private byte[] cborStream;
    private byte[] cborRefStream;
    private static final WriteOptions BY_REFERENCE = WriteOptions.defaults().withSchemasByReference(true);
    private byte[] legacyStream;
    private byte[] databindBytes;
    private SamplePcPojos.Machine pojo;

    @Setup(Level.Trial)
    public void setUp() {
        DeviceRegistry registry = DeviceRegistry.load();
        Machine source = Machine.build(SampleMachines.samplePc(), registry);
        SampleMachines.populate(source);
        Machine target = Machine.build(SampleMachines.samplePc(), registry);
        records = new ArrayList<>();
        records.add(StreamHeader.of(SampleMachines.SAMPLE_PC, null));
        Map<String, Visitable> targets = new HashMap<>();
        Map<String, Schema> schemas = new HashMap<>();
        Map<Class<?>, Visitable> byClass = new HashMap<>();
        int i = 0;
        for (String id : source.ids()) {
            DeviceType<?> t = source.type(id);
            records.add(new DeviceSection(i++, t.name(), 0, t.version(), true, t.schema(), source.device(id)));
            targets.put(t.name(), target.device(id));
            schemas.put(t.name(), t.schema());
            byClass.put(source.device(id).getClass(), source.device(id));
        }
        records.add(new EndOfState());
        readOptions = ReadOptions.defaults()
                .withSchemas((idstr, instance, version) -> schemas.get(idstr))
                .withTargets((idstr, instance, version, schema) -> targets.get(idstr));
        cborStream = write(cbor, WriteOptions.defaults());
        cborRefStream = write(cbor, BY_REFERENCE);
        legacyStream = write(legacy, WriteOptions.defaults());
        pojo = SamplePcPojos.of((Serial) byClass.get(Serial.class), (Mc146818Rtc) byClass.get(Mc146818Rtc.class),
                (I8254) byClass.get(I8254.class), (PciNic) byClass.get(PciNic.class),
                (VirtioDevice) byClass.get(VirtioDevice.class), (RamBlock) byClass.get(RamBlock.class));
        databindBytes = mapper.writeValueAsBytes(pojo);
        System.out.printf("%nsizes: legacy stream %d B, cbor stream %d B (%.2fx legacy), cbor by reference %d B"
                + " (%.2fx legacy), databind CBOR %d B%n", legacyStream.length, cborStream.length,
                (double) cborStream.length / legacyStream.length, cborRefStream.length,
                (double) cborRefStream.length / legacyStream.length, databindBytes.length);
    }

    private byte[] write(WireFormat f, WriteOptions options) {
        sink.reset();
        try (StreamWriter w = f.openWriter(sink, options)) {
            for (StreamRecord r : records) {
                w.write(r);
            }
        }
        return sink.toByteArray();
    }

    private long read(WireFormat f, byte[] stream) {
        StreamReader r = f.openReader(ByteSource.of(ByteBuffer.wrap(stream)), readOptions);
        long n = 0;
        while (r.next() != null) {
            n++;
        }
        return r.position() + n;
    }

    @Benchmark
    public int cborSave() {
        sink.reset();
        StreamWriter w = cbor.openWriter(sink, WriteOptions.defaults());
        for (StreamRecord r : records) {
            w.write(r);
        }
        w.close();
        return sink.size();
    }

    @Benchmark
    public long cborLoad() {
        return read(cbor, cborStream);
    }

    /** Schema items carry only a fingerprint; the reader checks it against the registry's schema. */
    @Benchmark
    public int cborRefSave() {
        sink.reset();
        StreamWriter w = cbor.openWriter(sink, BY_REFERENCE);
        for (StreamRecord r : records) {
            w.write(r);
        }
        w.close();
        return sink.size();
    }

    @Benchmark
    public long cborRefLoad() {
        return read(cbor, cborRefStream);
    }

    @Benchmark
    public int legacySave() {
        sink.reset();
        StreamWriter w = legacy.openWriter(sink, WriteOptions.defaults());
        for (StreamRecord r : records) {
            w.write(r);
        }
        w.close();
        return sink.size();
    }

    @Benchmark
    public long legacyLoad() {
        return read(legacy, legacyStream);
    }

    @Benchmark
    public int databindSave() {
        sink.reset();
        mapper.writeValue(sink, pojo);
        return sink.size();
    }

    @Benchmark
    public Object databindLoad() {
        return mapper.readValue(databindBytes, SamplePcPojos.Machine.class);
    }
}
