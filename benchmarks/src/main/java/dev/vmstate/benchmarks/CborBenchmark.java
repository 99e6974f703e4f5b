package dev.vmstate.benchmarks;

import dev.vmstate.benchmarks.pojo.SamplePcPojos;
import dev.vmstate.format.cbor.CborFormat;
import dev.vmstate.format.legacy.LegacyFormat;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
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
 * #4: sample-pc saved and loaded through vmstate's {@code cbor} format (schemas embedded, and by
 * reference) against Jackson databind CBOR of equivalent annotated POJOs and against vmstate's
 * own {@code legacy} stream, in one run. Sizes of each encoding are printed at setup. Run with
 * {@code -prof gc}; see docs/performance.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CborBenchmark {
    private static final WriteOptions WHOLE = WriteOptions.defaults();
    private static final WriteOptions BY_REFERENCE = WriteOptions.defaults().withSchemasByReference(true);

    private final WireFormat cbor = new CborFormat();
    private final WireFormat legacy = new LegacyFormat();
    private final CBORMapper mapper = CBORMapper.builder().build();
    private final SamplePc.Sink sink = new SamplePc.Sink();
    private SamplePc pc;
    private byte[] cborStream;
    private byte[] cborRefStream;
    private byte[] legacyStream;
    private byte[] databindBytes;
    private SamplePcPojos.Machine pojo;

    @Setup(Level.Trial)
    public void setUp() {
        pc = new SamplePc();
        cborStream = pc.stream(cbor, WHOLE);
        cborRefStream = pc.stream(cbor, BY_REFERENCE);
        legacyStream = pc.stream(legacy, WHOLE);
        pojo = pc.pojos();
        databindBytes = mapper.writeValueAsBytes(pojo);
        System.out.printf("%nsizes: legacy stream %d B, cbor stream %d B (%.2fx legacy), cbor by reference %d B"
                + " (%.2fx legacy), databind CBOR %d B%n", legacyStream.length, cborStream.length,
                (double) cborStream.length / legacyStream.length, cborRefStream.length,
                (double) cborRefStream.length / legacyStream.length, databindBytes.length);
    }

    @Benchmark
    public int cborSave() {
        return pc.write(cbor, WHOLE, sink);
    }

    @Benchmark
    public long cborLoad() {
        return pc.read(cbor, cborStream);
    }

    /** Schema items carry only a fingerprint; the reader checks it against the registry's schema. */
    @Benchmark
    public int cborRefSave() {
        return pc.write(cbor, BY_REFERENCE, sink);
    }

    @Benchmark
    public long cborRefLoad() {
        return pc.read(cbor, cborRefStream);
    }

    @Benchmark
    public int legacySave() {
        return pc.write(legacy, WHOLE, sink);
    }

    @Benchmark
    public long legacyLoad() {
        return pc.read(legacy, legacyStream);
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
