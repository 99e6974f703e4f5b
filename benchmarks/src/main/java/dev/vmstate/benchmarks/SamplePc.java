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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state every format benchmark measures: sample-pc populated as {@code vmstate demo} does
 * (the source), a second sample-pc to load into (the target), the stream's records (header, six
 * device sections, end) and read options that load each section into the target's device.
 * Built once per benchmark trial; the benchmarks only read it.
 */
final class SamplePc {
    /** An output stream whose buffer is reused, so a benchmark measures encoding, not copying. */
    static final class Sink extends ByteArrayOutputStream {
        Sink() {
            super(64 * 1024);
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    final Machine source;
    final Machine target;
    final List<StreamRecord> records = new ArrayList<>();
    final ReadOptions readOptions;
    final byte[] machineName = SampleMachines.SAMPLE_PC.getBytes(StandardCharsets.US_ASCII);
    /** The id string of each device section, in stream order, as legacy writes it. */
    final byte[][] idstrs;
    /** The version of each device section, in stream order. */
    final int[] versions;
    final Visitable[] sourceDevices;
    final Visitable[] targetDevices;

    SamplePc() {
        DeviceRegistry registry = DeviceRegistry.load();
        source = Machine.build(SampleMachines.samplePc(), registry);
        SampleMachines.populate(source);
        target = Machine.build(SampleMachines.samplePc(), registry);
        records.add(StreamHeader.of(SampleMachines.SAMPLE_PC, null));
        Map<String, Visitable> targets = new HashMap<>();
        Map<String, Schema> schemas = new HashMap<>();
        List<String> ids = source.ids();
        idstrs = new byte[ids.size()][];
        versions = new int[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            DeviceType<?> t = source.type(id);
            records.add(new DeviceSection(i, t.name(), 0, t.version(), true, t.schema(), source.device(id)));
            targets.put(t.name(), target.device(id));
            schemas.put(t.name(), t.schema());
            idstrs[i] = t.name().getBytes(StandardCharsets.US_ASCII);
            versions[i] = t.version();
        }
        records.add(new EndOfState());
        readOptions = ReadOptions.defaults()
                .withSchemas((idstr, instance, version) -> schemas.get(idstr))
                .withTargets((idstr, instance, version, schema) -> targets.get(idstr));
        sourceDevices = ids.stream().map(source::device).toArray(Visitable[]::new);
        targetDevices = ids.stream().map(target::device).toArray(Visitable[]::new);
    }

    /** The source's device of class {@code type}. */
    <T> T device(Class<T> type) {
        for (Visitable d : sourceDevices) {
            if (type.isInstance(d)) {
                return type.cast(d);
            }
        }
        throw new IllegalStateException("sample-pc has no " + type.getSimpleName());
    }

    /** The source's state as the databind POJOs of the #4 baseline. */
    SamplePcPojos.Machine pojos() {
        return SamplePcPojos.of(device(Serial.class), device(Mc146818Rtc.class), device(I8254.class),
                device(PciNic.class), device(VirtioDevice.class), device(RamBlock.class));
    }

    /** Writes the records through {@code f} into {@code sink} (reset first); returns the size. */
    int write(WireFormat f, WriteOptions options, Sink sink) {
        sink.reset();
        StreamWriter w = f.openWriter(sink, options);
        for (StreamRecord r : records) {
            w.write(r);
        }
        w.close();
        return sink.size();
    }

    /** The records written through {@code f}, as bytes. */
    byte[] stream(WireFormat f, WriteOptions options) {
        Sink sink = new Sink();
        write(f, options, sink);
        return sink.toByteArray();
    }

    /** Reads a whole stream, loading each section into the target; returns a value the JIT cannot drop. */
    long read(WireFormat f, byte[] stream) {
        StreamReader r = f.openReader(ByteSource.of(ByteBuffer.wrap(stream)), readOptions);
        long n = 0;
        while (r.next() != null) {
            n++;
        }
        return r.position() + n;
    }
}
