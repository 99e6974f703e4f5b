package dev.vmstate.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.binary.BinaryBody;
import dev.vmstate.device.MachineStreams.SectionKey;
import dev.vmstate.machine.DeviceNode;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.schema.Field;
import dev.vmstate.error.VersionException;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.SchemaSource;
import dev.vmstate.spi.StateTargets;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.stream.Command;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.IterativeSection.SectionType;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.GenericState;
import dev.vmstate.visitor.DescribeVisitor;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitables;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MachineStreamsTest {
    private static final DeviceRegistry REGISTRY = DeviceRegistry.load();

    /** Collects what a writer is given; device states are kept as body bytes, as a format would. */
    static final class Loopback implements StreamWriter {
        final List<StreamRecord> records = new ArrayList<>();
        final List<byte[]> bodies = new ArrayList<>();

        @Override
        public void write(StreamRecord record) {
            records.add(record);
            bodies.add(record instanceof DeviceSection s ? BinaryBody.save(s.state()) : null);
        }

        @Override
        public void close() {
        }

        /** A reader replaying the records, loading each section's body into what {@code targets} chooses. */
        StreamReader reader(StateTargets targets) {
            Iterator<StreamRecord> it = records.iterator();
            Iterator<byte[]> bs = bodies.iterator();
            return new StreamReader() {
                @Override
                public StreamRecord next() {
                    if (!it.hasNext()) {
                        return null;
                    }
                    StreamRecord r = it.next();
                    byte[] body = bs.next();
                    if (r instanceof DeviceSection s) {
                        Visitable t = targets.target(s.idstr(), s.instanceId(), s.version(), s.schema());
                        Visitable state = BinaryBody.load(body, t != null ? t : new GenericState(s.schema()));
                        return new DeviceSection(s.sectionId(), s.idstr(), s.instanceId(), s.version(), s.footer(),
                                s.schema(), state);
                    }
                    return r;
                }

                @Override
                public long position() {
                    return 0;
                }
            };
        }
    }

    @Test
    void saveWritesHeaderOneSectionPerDeviceThenEndAndDescription() {
        Machine m = SampleMachines.populatedSamplePc(REGISTRY);
        Loopback w = new Loopback();
        MachineStreams.save(m, w);

        assertThat(w.records.get(0)).isEqualTo(StreamHeader.of("sample-pc", SampleMachines.samplePc()));
        List<DeviceSection> sections = w.records.stream().filter(DeviceSection.class::isInstance)
                .map(DeviceSection.class::cast).toList();
        assertThat(sections).extracting(DeviceSection::label).containsExactly("serial/0", "mc146818rtc/0",
                "i8254/0", "0000:00:03.0/vs-pci-nic/0", "0000:00:04.0/vs-virtio-dev/0", "vs-ramblock/0");
        assertThat(sections).extracting(DeviceSection::sectionId).containsExactly(0, 1, 2, 3, 4, 5);
        for (int i = 0; i < sections.size(); i++) {
            DeviceSection s = sections.get(i);
            String id = m.ids().get(i);
            assertThat(s.state()).as(id).isSameAs(m.device(id));
            assertThat(s.version()).as(id).isEqualTo(m.type(id).version());
            assertThat(s.schema()).as(id).isEqualTo(m.type(id).schema());
            assertThat(s.footer()).as(id).isTrue();
        }
        assertThat(w.records.subList(w.records.size() - 2, w.records.size()))
                .containsExactly(new EndOfState(), Description.generate());
        assertThat(w.records).hasSize(1 + 6 + 2);
    }

    @Test
    void populatedDevicesKeepTheirTypesSchema() {
        // targets() compares against the type's schema, described from a fresh instance: a
        // configured, populated device must describe the same.
        Machine m = SampleMachines.populatedSamplePc(REGISTRY);
        for (String id : m.ids()) {
            DeviceType<?> t = m.type(id);
            assertThat(DescribeVisitor.describe(t.name(), t.version(), t.minimumVersion(), m.device(id)))
                    .as(id).isEqualTo(t.schema());
        }
    }

    @Test
    void instancesCountDevicesWithTheSameIdString() {
        DeviceTree tree = new DeviceTree("two-uarts", List.of(
                DeviceNode.of("com1", "serial", "isa.0", Map.of("iobase", 0x3F8L)),
                DeviceNode.of("nic0", "vs-pci-nic", "pci.0", Map.of("addr", "0000:00:03.0")),
                DeviceNode.of("com2", "serial", "isa.0", Map.of("iobase", 0x2F8L)),
                DeviceNode.of("nic1", "vs-pci-nic", "pci.0", Map.of("addr", "0000:00:04.0"))));
        Machine m = Machine.build(tree, REGISTRY);
        assertThat(MachineStreams.sectionKeys(m)).containsExactly(
                Map.entry("com1", new SectionKey("serial", 0)),
                Map.entry("nic0", new SectionKey("0000:00:03.0/vs-pci-nic", 0)),
                Map.entry("com2", new SectionKey("serial", 1)),
                Map.entry("nic1", new SectionKey("0000:00:04.0/vs-pci-nic", 0)));

        StateTargets targets = MachineStreams.targets(m);
        Schema serial = REGISTRY.get("serial").schema();
        assertThat(targets.target("serial", 1, serial.version(), serial)).isSameAs(m.device("com2"));
        assertThat(targets.target("serial", 0, serial.version(), serial)).isSameAs(m.device("com1"));
        assertThat(targets.target("serial", 2, serial.version(), serial)).isNull();
    }

    @Test
    void schemasStripThePathAndAnswerEverySupportedVersion() {
        SchemaSource s = MachineStreams.schemas(REGISTRY);
        DeviceType<?> nic = REGISTRY.get("vs-pci-nic");
        assertThat(s.find("0000:00:03.0/vs-pci-nic", 0, nic.version())).isEqualTo(nic.schema());
        assertThat(s.find("vs-pci-nic", 3, nic.version())).isEqualTo(nic.schema());
        assertThat(s.find("serial", 0, REGISTRY.get("serial").version())).isEqualTo(REGISTRY.get("serial").schema());
        // #6: an older supported version comes from the type's compat chain
        DeviceType<?> rtc = REGISTRY.get("mc146818rtc");
        assertThat(s.find("mc146818rtc", 0, 1)).isEqualTo(rtc.compat().schemaAt(1));
        assertThat(s.find("mc146818rtc", 0, 1).version()).isEqualTo(1);
        // outside the supported range: a clear error, not an unknown section
        assertThat(s.find("0000:00:03.0/vs-pci-nic", 0, 2)).isEqualTo(nic.compat().schemaAt(2));
        assertThatThrownBy(() -> s.find("0000:00:03.0/vs-pci-nic", 0, nic.minimumVersion() - 1))
                .isInstanceOf(VersionException.class).hasMessageContaining("older than the minimum version 1");
        assertThatThrownBy(() -> s.find("0000:00:03.0/vs-pci-nic", 0, nic.version() + 1))
                .isInstanceOf(VersionException.class).hasMessageContaining("vs-pci-nic");
        assertThat(s.find("0000:00:02.0/e1000", 0, 2)).isNull();
    }

    @Test
    void targetsRefuseAnotherSchema() {
        Machine m = Machine.build(SampleMachines.samplePc(), REGISTRY);
        StateTargets targets = MachineStreams.targets(m);
        Schema serial = REGISTRY.get("serial").schema();
        assertThat(targets.target("serial", 0, 3, serial)).isSameAs(m.device("com1"));
        Schema older = serial.withVersions(2, 2);
        assertThat(targets.target("serial", 0, 2, older)).isNull();
        assertThat(targets.target("serial", 0, 3, REGISTRY.get("i8254").schema())).isNull();
        assertThat(targets.target("no-such-device", 0, 3, serial)).isNull();
    }

    @Test
    void aStreamSchemaFitsWithoutItsAbsentSectionsAndHints() {
        Schema serial = REGISTRY.get("serial").schema();
        Machine m = Machine.build(SampleMachines.samplePc(), REGISTRY);
        StateTargets targets = MachineStreams.targets(m);
        // QEMU's vmdesc lists only the subsections that were sent, and carries no hints
        Schema sent = strip(serial, true);
        assertThat(sent).isNotEqualTo(serial);
        assertThat(MachineStreams.fits(sent, serial)).isTrue();
        assertThat(targets.target("serial", 0, 3, sent)).isSameAs(m.device("com1"));
        assertThat(MachineStreams.fits(serial.withVersions(3, 3), serial)).isTrue();

        Schema state = serial.member("state").struct();
        List<Field> fewer = new ArrayList<>(state.members());
        fewer.remove(0);
        Schema missingField = new Schema(serial.name(), 3, 2,
                List.of(Field.struct("state", new Schema(state.name(), state.version(), state.minimumVersion(),
                        fewer), 0)));
        assertThat(MachineStreams.fits(missingField, serial)).isFalse();
        List<Field> retyped = new ArrayList<>(state.members());
        retyped.set(0, Field.scalar(retyped.get(0).name(), Kind.U32, null));
        Schema otherKind = new Schema(serial.name(), 3, 2,
                List.of(Field.struct("state", new Schema(state.name(), state.version(), state.minimumVersion(),
                        retyped), 0)));
        assertThat(MachineStreams.fits(otherKind, serial)).isFalse();
        assertThat(MachineStreams.fits(serial, sent)).as("a section the device does not know").isFalse();
        assertThat(MachineStreams.fits(serial.withVersions(2, 2), serial)).isFalse();
    }

    /** {@code s} without its sections (when {@code sections}) and without hints, at every depth. */
    private static Schema strip(Schema s, boolean sections) {
        List<Field> out = new ArrayList<>();
        for (Field f : s.members()) {
            if (sections && f.isSection()) {
                continue;
            }
            out.add(new Field(f.name(), f.kind(), f.size(), f.length(), f.element(),
                    f.struct() == null ? null : strip(f.struct(), sections), null, f.enumNames()));
        }
        return new Schema(s.name(), s.version(), s.minimumVersion(), out);
    }

    @Test
    void saveThenLoadFillsAFreshMachine() {
        Machine source = SampleMachines.populatedSamplePc(REGISTRY);
        Loopback w = new Loopback();
        MachineStreams.save(source, w);

        Machine fresh = Machine.build(SampleMachines.samplePc(), REGISTRY);
        LoadSummary summary = MachineStreams.load(fresh, w.reader(MachineStreams.targets(fresh)));

        assertThat(summary.loaded()).containsExactly("com1 <- serial/0 v3", "rtc <- mc146818rtc/0 v3",
                "pit <- i8254/0 v3", "nic0 <- 0000:00:03.0/vs-pci-nic/0 v" + REGISTRY.get("vs-pci-nic").version(),
                "vda <- 0000:00:04.0/vs-virtio-dev/0 v" + REGISTRY.get("vs-virtio-dev").version(),
                "ram0 <- vs-ramblock/0 v" + REGISTRY.get("vs-ramblock").version());
        assertThat(summary.generic()).isEmpty();
        assertThat(summary.notInStream()).isEmpty();
        assertThat(summary.streamMachineType()).isEqualTo("sample-pc");
        assertThat(summary.machineTypeDiffers()).isFalse();
        assertThat(summary.endOfState()).isTrue();
        assertThat(summary.descriptionBytes()).isZero();
        assertThat(summary.pages()).isZero();
        for (String id : source.ids()) {
            assertThat(Visitables.diff(id, source.device(id), fresh.device(id))).as(id).isEmpty();
        }
        assertThat(summary.lines()).contains("devices loaded into models: 6", "sections kept generic: 0");
    }

    @Test
    void sectionsTheMachineLacksAreReportedNotFatal() {
        Machine source = SampleMachines.populatedSamplePc(REGISTRY);
        Loopback w = new Loopback();
        MachineStreams.save(source, w);
        // Splice in what another machine would carry: RAM pages, a command, a device we lack, and
        // serial at an older version (#6: upgraded through its compat chain into the model).
        List<StreamRecord> extra = List.of(
                new IterativeSection(SectionType.START, 6, "ram", 0, 4),
                new RamRecord.Blocks(8192, List.of(new RamRecord.Block("pc.ram", 8192))),
                new RamRecord.Page("pc.ram", 0, false, RamRecord.Encoding.ZERO, new byte[1]),
                new RamRecord.Page("pc.ram", 4096, true, RamRecord.Encoding.RAW, new byte[4096]),
                new RamRecord.Eos(),
                new SectionEnd(6, true),
                new Command(7, new byte[0]));
        w.records.addAll(1, extra);
        Schema oldSerial = REGISTRY.get("serial").schema().withVersions(2, 2);
        w.records.replaceAll(r -> r instanceof DeviceSection s && s.sectionId() == 0
                ? new DeviceSection(0, "serial", 0, 2, true, oldSerial, new GenericState(oldSerial)) : r);
        w.records.add(w.records.size() - 2,
                new DeviceSection(7, "0000:00:02.0/e1000", 0, 2, true, oldSerial, new GenericState(oldSerial)));
        rebuildBodies(w);

        Machine fresh = Machine.build(SampleMachines.samplePc(), REGISTRY);
        LoadSummary summary = MachineStreams.load(fresh, w.reader(MachineStreams.targets(fresh)));

        assertThat(summary.loaded()).hasSize(6).contains("com1 <- serial/0 v2 (upgraded to v3)");
        assertThat(summary.generic()).containsExactly("0000:00:02.0/e1000/0 v2: no such device in machine sample-pc");
        assertThat(summary.notInStream()).isEmpty();
        assertThat(summary.iterativeChunks()).isEqualTo(1);
        assertThat(summary.zeroPages()).isEqualTo(1);
        assertThat(summary.rawPages()).isEqualTo(1);
        assertThat(summary.pages()).isEqualTo(2);
        assertThat(summary.commands()).isEqualTo(1);
        assertThat(String.join("\n", summary.lines())).contains("ram: 1 chunks, 2 pages (1 zero, 1 raw, 0 xbzrle)");
    }

    /** Re-encodes every section's body after the record list was edited. */
    private static void rebuildBodies(Loopback w) {
        w.bodies.clear();
        for (StreamRecord r : w.records) {
            w.bodies.add(r instanceof DeviceSection s ? BinaryBody.save(s.state()) : null);
        }
    }
}
