package dev.vmstate.benchmarks;

import dev.vmstate.binary.BinaryLoadVisitor;
import dev.vmstate.binary.BinarySaveVisitor;
import dev.vmstate.binary.ByteSink;
import dev.vmstate.binary.ByteSource;
import dev.vmstate.format.legacy.LegacyFormat;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.visitor.Visitable;
import java.nio.ByteBuffer;
import java.util.Arrays;
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

/**
 * #3: sample-pc saved and loaded through the visitor (device bodies alone, and whole streams in
 * the legacy format) against a hand-written codec of the same fields over a ByteBuffer. Both
 * produce the same bytes, checked at setup. Run with {@code -prof gc}; see docs/performance.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SamplePcBenchmark {
    private final LegacyFormat legacy = new LegacyFormat();
    private SamplePc pc;
    private SamplePc.Sink sink;
    private byte[] stream;
    private ByteBuffer handOut;
    private ByteBuffer handIn;
    private final ByteSink bodySink = new ByteSink(8192);
    private final BinarySaveVisitor bodySave = new BinarySaveVisitor(bodySink);
    private ByteBuffer bodies;
    private ByteBuffer bodiesBuffer;
    private int bodyLength;

    @Setup(Level.Trial)
    public void setUp() {
        pc = new SamplePc();
        sink = new SamplePc.Sink();
        stream = pc.stream(legacy, WriteOptions.defaults());
        handOut = ByteBuffer.allocate(stream.length + 1024);
        handSave();
        byte[] hand = Arrays.copyOf(handOut.array(), handOut.position());
        if (!Arrays.equals(hand, stream)) {
            throw new IllegalStateException("the hand-written codec and the visitor disagree at byte "
                    + Arrays.mismatch(hand, stream));
        }
        handIn = ByteBuffer.wrap(stream);
        visitorBodiesSave();
        byte[] visitorBodies = bodySink.toByteArray();
        handBodiesSave();
        if (!Arrays.equals(Arrays.copyOf(handOut.array(), handOut.position()), visitorBodies)) {
            throw new IllegalStateException("the hand-written bodies and the visitor's disagree");
        }
        bodies = ByteBuffer.wrap(visitorBodies).asReadOnlyBuffer();
        bodiesBuffer = ByteBuffer.wrap(visitorBodies.clone());
        bodyLength = visitorBodies.length;
    }

    @Benchmark
    public int visitorSave() {
        return pc.write(legacy, WriteOptions.defaults(), sink);
    }

    @Benchmark
    public long visitorLoad() {
        return pc.read(legacy, stream);
    }

    // ---- bodies only: the visitor against the hand-written codec, no stream framing ----------

    @Benchmark
    public int visitorBodiesSave() {
        bodySink.reset();
        for (Visitable d : pc.sourceDevices) {
            d.visit(bodySave);
        }
        return bodySink.size();
    }

    @Benchmark
    public long visitorBodiesLoad() {
        ByteSource in = ByteSource.of(bodies);
        BinaryLoadVisitor load = new BinaryLoadVisitor(in, ReadLimits.defaults());
        for (Visitable d : pc.targetDevices) {
            d.visit(load);
        }
        return in.position();
    }

    @Benchmark
    public int handBodiesSave() {
        ByteBuffer b = handOut;
        b.clear();
        for (Visitable d : pc.sourceDevices) {
            HandCodec.saveBody(b, d);
        }
        return b.position();
    }

    @Benchmark
    public int handBodiesLoad() {
        ByteBuffer src = bodiesBuffer;
        src.clear();
        src.limit(bodyLength);
        for (Visitable d : pc.targetDevices) {
            HandCodec.loadBody(src, d);
        }
        return src.position();
    }

    // ---- whole legacy streams: header, framed sections, EOF ----------------------------------

    @Benchmark
    public int handSave() {
        return HandCodec.saveStream(handOut, pc);
    }

    @Benchmark
    public int handLoad() {
        return HandCodec.loadStream(handIn, pc);
    }
}
