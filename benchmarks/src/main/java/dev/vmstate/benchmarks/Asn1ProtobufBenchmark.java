package dev.vmstate.benchmarks;

import com.google.protobuf.CodedOutputStream;
import dev.vmstate.benchmarks.proto.SamplePcProto;
import dev.vmstate.benchmarks.proto.SamplePcProtos;
import dev.vmstate.format.asn1.Asn1BerFormat;
import dev.vmstate.format.asn1.Asn1DerFormat;
import dev.vmstate.format.legacy.LegacyFormat;
import dev.vmstate.format.protobuf.ProtobufFormat;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * #5: sample-pc saved and loaded through vmstate's {@code asn1-ber}, {@code asn1-der} and
 * {@code protobuf} formats, against the hand-written codec of #3 (the legacy stream, field by
 * field over a ByteBuffer) and against protobuf-java's generated classes of an equivalent
 * {@code sample_pc.proto} used directly, in one run. Sizes are printed at setup. Run with
 * {@code -prof gc}; see docs/performance.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Asn1ProtobufBenchmark {
    private static final WriteOptions OPTIONS = WriteOptions.defaults();

    private final WireFormat ber = new Asn1BerFormat();
    private final WireFormat der = new Asn1DerFormat();
    private final WireFormat protobuf = new ProtobufFormat();
    private final SamplePc.Sink sink = new SamplePc.Sink();
    private SamplePc pc;
    private byte[] berStream;
    private byte[] derStream;
    private byte[] protobufStream;
    private ByteBuffer handOut;
    private ByteBuffer handIn;
    private SamplePcProto.Machine message;
    private byte[] messageBytes;

    @Setup(Level.Trial)
    public void setUp() {
        pc = new SamplePc();
        berStream = pc.stream(ber, OPTIONS);
        derStream = pc.stream(der, OPTIONS);
        protobufStream = pc.stream(protobuf, OPTIONS);
        byte[] legacyStream = pc.stream(new LegacyFormat(), OPTIONS);
        handOut = ByteBuffer.allocate(legacyStream.length + 1024);
        handIn = ByteBuffer.wrap(legacyStream);
        handSave();
        if (!Arrays.equals(Arrays.copyOf(handOut.array(), handOut.position()), legacyStream)) {
            throw new IllegalStateException("the hand-written codec and the legacy format disagree");
        }
        message = SamplePcProtos.of(pc.pojos());
        messageBytes = message.toByteArray();
        System.out.printf("%nsizes: legacy %d B, asn1-ber %d B, asn1-der %d B, protobuf format %d B,"
                + " generated protobuf %d B (der %.2fx, ber %.2fx, protobuf format %.2fx generated protobuf)%n",
                legacyStream.length, berStream.length, derStream.length, protobufStream.length,
                messageBytes.length, (double) derStream.length / messageBytes.length,
                (double) berStream.length / messageBytes.length,
                (double) protobufStream.length / messageBytes.length);
    }

    @Benchmark
    public int berSave() {
        return pc.write(ber, OPTIONS, sink);
    }

    @Benchmark
    public long berLoad() {
        return pc.read(ber, berStream);
    }

    @Benchmark
    public int derSave() {
        return pc.write(der, OPTIONS, sink);
    }

    @Benchmark
    public long derLoad() {
        return pc.read(der, derStream);
    }

    @Benchmark
    public int protobufSave() {
        return pc.write(protobuf, OPTIONS, sink);
    }

    @Benchmark
    public long protobufLoad() {
        return pc.read(protobuf, protobufStream);
    }

    /** The baseline of #3: the legacy stream written field by field. */
    @Benchmark
    public int handSave() {
        return HandCodec.saveStream(handOut, pc);
    }

    @Benchmark
    public int handLoad() {
        return HandCodec.loadStream(handIn, pc);
    }

    /** protobuf-java used directly: a built message written to the same reused sink. */
    @Benchmark
    public int generatedSave() {
        sink.reset();
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(sink, 4096);
            message.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sink.size();
    }

    @Benchmark
    public Object generatedLoad() throws IOException {
        return SamplePcProto.Machine.parseFrom(messageBytes);
    }
}
