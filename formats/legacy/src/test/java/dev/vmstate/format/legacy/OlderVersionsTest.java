package dev.vmstate.format.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmstate.binary.BinaryBody;
import dev.vmstate.binary.ByteSource;
import dev.vmstate.compat.CompatChain;
import dev.vmstate.compat.Conversion;
import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.DeviceType;
import dev.vmstate.device.LoadSummary;
import dev.vmstate.device.Machine;
import dev.vmstate.device.MachineStreams;
import dev.vmstate.device.SampleMachines;
import dev.vmstate.device.pit.I8254;
import dev.vmstate.device.rtc.Mc146818Rtc;
import dev.vmstate.device.serial.Serial;
import dev.vmstate.error.VersionException;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitables;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * #6: a legacy stream of an older version of a QEMU-shaped device is read with the schema its
 * type's compat chain gives for that version (QEMU's legacy stream names only the version), and
 * loads into the current model, the fields the old version lacks at their defaults. Body sizes
 * are QEMU 7.2's (reference §9.2-9.4).
 */
class OlderVersionsTest {
    private final DeviceRegistry registry = DeviceRegistry.load();

    /** sample-pc populated as `vmstate demo` does: the state whose older versions are written. */
    private Machine populated() {
        Machine m = Machine.build(SampleMachines.samplePc(), registry);
        SampleMachines.populate(m);
        return m;
    }

    private static <T extends Visitable> T device(Machine m, Class<T> type) {
        for (String id : m.ids()) {
            if (type.isInstance(m.device(id))) {
                return type.cast(m.device(id));
            }
        }
        throw new AssertionError("sample-pc has no " + type.getSimpleName());
    }

    /** The section of {@code type} at {@code version}: {@code source}'s state downgraded through the chain. */
    private static DeviceSection sectionAt(DeviceType<?> type, Visitable source, int version) {
        CompatChain chain = type.compat();
        Conversion down = chain.downgrade(Visitables.toTree(type.name(), source), version, true);
        Schema old = chain.schemaAt(version);
        return new DeviceSection(0, type.name(), 0, version, true, old, new GenericState(old, down.tree()));
    }

    private static byte[] stream(DeviceSection section) {
        List<StreamRecord> records = List.of(StreamHeader.of(SampleMachines.SAMPLE_PC, null), section,
                new EndOfState());
        return SampleStreams.write(new LegacyFormat(), records, WriteOptions.defaults());
    }

    /** Reads {@code bytes} into a fresh sample-pc as `vmstate load` does. */
    private LoadSummary load(byte[] bytes, Machine target) {
        ReadOptions options = ReadOptions.defaults().withSchemas(MachineStreams.schemas(registry))
                .withTargets(MachineStreams.targets(target));
        StreamReader r = new LegacyFormat().openReader(ByteSource.of(bytes), options);
        return MachineStreams.load(target, r);
    }

    @Test
    void olderSchemasHaveQemusBodySizes() {
        Machine m = populated();
        Mc146818Rtc rtc = device(m, Mc146818Rtc.class);
        rtc.irqReinjectOnAckCount = 0; // no subsection: the sizes are the bodies' own
        assertThat(BinaryBody.save(sectionAt(Mc146818Rtc.TYPE, rtc, 1).state())).hasSize(197);
        assertThat(BinaryBody.save(sectionAt(Mc146818Rtc.TYPE, rtc, 2).state())).hasSize(205);
        assertThat(BinaryBody.save(sectionAt(Mc146818Rtc.TYPE, rtc, 3).state())).hasSize(245);
        assertThat(BinaryBody.save(sectionAt(I8254.TYPE, device(m, I8254.class), 2).state())).hasSize(104);
        assertThat(BinaryBody.save(sectionAt(I8254.TYPE, device(m, I8254.class), 3).state())).hasSize(108);
        // QEMU's quirk: a serial v2 section still carries fcr_vmstate, the same bytes as v3
        Serial serial = new Serial();
        assertThat(BinaryBody.save(sectionAt(Serial.TYPE, serial, 2).state()))
                .hasSize(11).isEqualTo(BinaryBody.save(serial));
    }

    @Test
    void aVersion1RtcLoadsIntoTheCurrentModelWithTheNewFieldsAtTheirDefaults() {
        Mc146818Rtc source = device(populated(), Mc146818Rtc.class);
        Machine target = Machine.build(SampleMachines.samplePc(), registry);
        LoadSummary summary = load(stream(sectionAt(Mc146818Rtc.TYPE, source, 1)), target);
        assertThat(summary.loaded()).containsExactly("rtc <- mc146818rtc/0 v1 (upgraded to v3)");
        assertThat(summary.generic()).isEmpty();
        Mc146818Rtc loaded = device(target, Mc146818Rtc.class);
        assertThat(loaded.cmosData).isEqualTo(source.cmosData);
        assertThat(loaded.periodicTimer).isEqualTo(source.periodicTimer);
        assertThat(loaded.nextPeriodicTime).isEqualTo(source.nextPeriodicTime);
        // what version 1 did not have comes up at QEMU's starting values
        assertThat(loaded.irqCoalesced).isZero();
        assertThat(loaded.period).isZero();
        assertThat(loaded.baseRtc).isZero();
        assertThat(loaded.updateTimer).isEqualTo(-1);
    }

    @Test
    void aVersion2PitAndSerialLoadIntoTheCurrentModel() {
        Machine source = populated();
        for (DeviceType<?> type : List.<DeviceType<?>>of(I8254.TYPE, Serial.TYPE)) {
            Visitable original = device(source, type.javaType());
            Machine target = Machine.build(SampleMachines.samplePc(), registry);
            LoadSummary summary = load(stream(sectionAt(type, original, 2)), target);
            assertThat(summary.loaded()).as(type.name()).singleElement().asString()
                    .endsWith(type.name() + "/0 v2 (upgraded to v3)");
            StructValue expected = type.compat().upgrade(
                    type.compat().downgrade(Visitables.toTree(type.name(), original), 2, true).tree(), 2);
            assertThat(Visitables.toTree(type.name(), device(target, type.javaType()))).as(type.name())
                    .isEqualTo(expected);
        }
    }

    @Test
    void aVersionOlderThanTheMinimumFailsNamingTheTypeAndTheRange() {
        Mc146818Rtc rtc = device(populated(), Mc146818Rtc.class);
        DeviceSection v1 = sectionAt(Mc146818Rtc.TYPE, rtc, 1);
        // the same body, claimed to be version 0, which mc146818rtc never had
        byte[] bytes = stream(new DeviceSection(0, v1.idstr(), 0, 0, true, v1.schema(), v1.state()));
        VersionException e = catchThrowableOfType(VersionException.class,
                () -> load(bytes, Machine.build(SampleMachines.samplePc(), registry)));
        assertThat(e.getMessage()).contains("mc146818rtc").contains("version 0").contains("minimum version 1");
    }
}
