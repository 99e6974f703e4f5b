package dev.vmstate.benchmarks;

import dev.vmstate.binary.BinaryLoadVisitor;
import dev.vmstate.binary.BinarySaveVisitor;
import dev.vmstate.binary.ByteSink;
import dev.vmstate.binary.ByteSource;
import dev.vmstate.limits.ReadLimits;
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
import dev.vmstate.format.legacy.LegacyFormat;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.visitor.Visitable;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

/**
 * #3: saving and loading the devices of sample-pc as a legacy stream, through the visitor and the
 * legacy format, against a hand-written codec of the same fields over a ByteBuffer. Both produce
 * the same bytes (checked in setup). Run with {@code -prof gc} for B/op; see docs/performance.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SamplePcBenchmark {
    /** An output stream whose buffer is reused, so the benchmark measures encoding, not copying. */
    static final class Sink extends ByteArrayOutputStream {
        Sink() {
            super(64 * 1024);
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    private final LegacyFormat legacy = new LegacyFormat();
    private final byte[] machineName = SampleMachines.SAMPLE_PC.getBytes(StandardCharsets.US_ASCII);
    private Machine source;
    private Machine target;
    private List<StreamRecord> records;
    private ReadOptions readOptions;
    private Sink sink;
    private byte[] stream;
    private ByteBuffer handOut;
    private ByteBuffer handIn;
    private byte[][] idstrs;
    private Visitable[] sourceDevices;
    private Visitable[] targetDevices;
    private final ByteSink bodySink = new ByteSink(8192);
    private final BinarySaveVisitor bodySave = new BinarySaveVisitor(bodySink);
    private ByteBuffer bodies;
    private ByteBuffer bodiesBuffer;
    private int bodyLength;

    @Setup(Level.Trial)
    public void setUp() {
        DeviceRegistry registry = DeviceRegistry.load();
        source = Machine.build(SampleMachines.samplePc(), registry);
        SampleMachines.populate(source);
        target = Machine.build(SampleMachines.samplePc(), registry);
        records = new ArrayList<>();
        records.add(StreamHeader.of(SampleMachines.SAMPLE_PC, null));
        Map<String, Visitable> targets = new HashMap<>();
        Map<String, Schema> schemas = new HashMap<>();
        List<String> ids = source.ids();
        idstrs = new byte[ids.size()][];
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            DeviceType<?> t = source.type(id);
            records.add(new DeviceSection(i, t.name(), 0, t.version(), true, t.schema(), source.device(id)));
            targets.put(t.name(), target.device(id));
            schemas.put(t.name(), t.schema());
            idstrs[i] = t.name().getBytes(StandardCharsets.US_ASCII);
        }
        records.add(new EndOfState());
        readOptions = ReadOptions.defaults()
                .withSchemas((idstr, instance, version) -> schemas.get(idstr))
                .withTargets((idstr, instance, version, schema) -> targets.get(idstr));
        sink = new Sink();
        visitorSave();
        stream = sink.toByteArray();
        handOut = ByteBuffer.allocate(stream.length + 1024);
        handSave();
        byte[] hand = Arrays.copyOf(handOut.array(), handOut.position());
        if (!Arrays.equals(hand, stream)) {
            throw new IllegalStateException("the hand-written codec and the visitor disagree at byte "
                    + Arrays.mismatch(hand, stream));
        }
        handIn = ByteBuffer.wrap(stream);
        sourceDevices = ids.stream().map(source::device).toArray(Visitable[]::new);
        targetDevices = ids.stream().map(target::device).toArray(Visitable[]::new);
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
        sink.reset();
        StreamWriter w = legacy.openWriter(sink, WriteOptions.defaults());
        for (StreamRecord r : records) {
            w.write(r);
        }
        w.close();
        return sink.size();
    }

    @Benchmark
    public long visitorLoad() {
        StreamReader r = legacy.openReader(ByteSource.of(ByteBuffer.wrap(stream)), readOptions);
        int n = 0;
        while (r.next() != null) {
            n++;
        }
        return r.position() + n;
    }

    // ---- bodies only: the visitor against the hand-written codec, no stream framing ----------

    @Benchmark
    public int visitorBodiesSave() {
        bodySink.reset();
        for (Visitable d : sourceDevices) {
            d.visit(bodySave);
        }
        return bodySink.size();
    }

    @Benchmark
    public long visitorBodiesLoad() {
        ByteSource in = ByteSource.of(bodies);
        BinaryLoadVisitor load = new BinaryLoadVisitor(in, ReadLimits.defaults());
        for (Visitable d : targetDevices) {
            d.visit(load);
        }
        return in.position();
    }

    @Benchmark
    public int handBodiesSave() {
        ByteBuffer b = handOut;
        b.clear();
        for (Visitable d : sourceDevices) {
            handSaveBody(b, d);
        }
        return b.position();
    }

    @Benchmark
    public int handBodiesLoad() {
        ByteBuffer b = handIn;
        b.clear();
        b.limit(bodyLength);
        ByteBuffer src = bodiesBuffer;
        src.clear();
        for (Visitable d : targetDevices) {
            handLoadBody(src, d);
        }
        return src.position();
    }

    private static void handSaveBody(ByteBuffer b, Visitable d) {
        if (d instanceof Serial s) {
            HandCodec.save(b, s);
        } else if (d instanceof Mc146818Rtc r) {
            HandCodec.save(b, r);
        } else if (d instanceof I8254 p) {
            HandCodec.save(b, p);
        } else if (d instanceof PciNic n) {
            HandCodec.save(b, n);
        } else if (d instanceof VirtioDevice v) {
            HandCodec.save(b, v);
        } else if (d instanceof RamBlock rb) {
            HandCodec.save(b, rb);
        }
    }

    private static void handLoadBody(ByteBuffer b, Visitable d) {
        if (d instanceof Serial s) {
            HandCodec.load(b, s);
        } else if (d instanceof Mc146818Rtc r) {
            HandCodec.load(b, r);
        } else if (d instanceof I8254 p) {
            HandCodec.load(b, p);
        } else if (d instanceof PciNic n) {
            HandCodec.load(b, n);
        } else if (d instanceof VirtioDevice v) {
            HandCodec.load(b, v);
        } else if (d instanceof RamBlock rb) {
            HandCodec.load(b, rb);
        }
    }

    // ---- whole legacy streams: header, framed sections, EOF ----------------------------------

    @Benchmark
    public int handSave() {
        ByteBuffer b = handOut;
        b.clear();
        HandCodec.header(b, machineName);
        int i = 0;
        for (String id : source.ids()) {
            Visitable d = source.device(id);
            DeviceType<?> t = source.type(id);
            HandCodec.sectionHeader(b, i, idstrs[i], t.version());
            if (d instanceof Serial s) {
                HandCodec.save(b, s);
            } else if (d instanceof Mc146818Rtc r) {
                HandCodec.save(b, r);
            } else if (d instanceof I8254 p) {
                HandCodec.save(b, p);
            } else if (d instanceof PciNic n) {
                HandCodec.save(b, n);
            } else if (d instanceof VirtioDevice v) {
                HandCodec.save(b, v);
            } else if (d instanceof RamBlock rb) {
                HandCodec.save(b, rb);
            }
            HandCodec.footer(b, i);
            i++;
        }
        b.put((byte) 0);
        return b.position();
    }

    @Benchmark
    public int handLoad() {
        ByteBuffer b = handIn;
        b.clear();
        b.position(8 + 1 + 4 + machineName.length);
        for (String id : target.ids()) {
            b.get();
            b.getInt();
            b.position(b.position() + 1 + (b.get(b.position()) & 0xFF) + 8);
            Visitable d = target.device(id);
            if (d instanceof Serial s) {
                HandCodec.load(b, s);
            } else if (d instanceof Mc146818Rtc r) {
                HandCodec.load(b, r);
            } else if (d instanceof I8254 p) {
                HandCodec.load(b, p);
            } else if (d instanceof PciNic n) {
                HandCodec.load(b, n);
            } else if (d instanceof VirtioDevice v) {
                HandCodec.load(b, v);
            } else if (d instanceof RamBlock rb) {
                HandCodec.load(b, rb);
            }
            b.get();
            b.getInt();
        }
        return b.get();
    }
}
