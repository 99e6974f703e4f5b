package dev.vmstate.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.device.serial.Serial;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.visitor.Visitable;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceRegistryTest {
    /** A third-party provider that (wrongly) claims QEMU's serial name. */
    public static final class ClashingProvider implements DeviceProvider {
        @Override
        public List<DeviceType<?>> deviceTypes() {
            return List.of(DeviceType.of("serial", 1, 1, "another serial", Serial.class, Serial::new));
        }
    }

    @Test
    void everyTypesHistoryCoversItsSupportedVersions() {
        for (DeviceType<?> t : DeviceRegistry.load().types()) {
            for (int v = t.minimumVersion(); v <= t.version(); v++) {
                assertThat(t.compat().schemaAt(v).version()).as(t + " at v" + v).isEqualTo(v);
            }
            assertThat(t.compat().schemaAt(t.version())).as(t.name()).isEqualTo(t.schema());
        }
    }

    @Test
    void aHistoryThatDoesNotReachTheMinimumIsRefusedByName() {
        DeviceType<Serial> noHistory = DeviceType.of("serial", 3, 2, "a serial without history", Serial.class,
                Serial::new);
        assertThatThrownBy(noHistory::compat).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("serial");
    }

    @Test
    void loadFindsTheSixSampleTypesSortedByName() {
        DeviceRegistry registry = DeviceRegistry.load();

        assertThat(registry.types()).extracting(DeviceType::name).containsExactly("i8254", "mc146818rtc", "serial",
                "vs-pci-nic", "vs-ramblock", "vs-virtio-dev");
        assertThat(registry.names()).containsExactly("i8254", "mc146818rtc", "serial", "vs-pci-nic", "vs-ramblock",
                "vs-virtio-dev");
    }

    @Test
    void qemuShapedTypesCarryQemuVersionsAndOurOwnThree() {
        DeviceRegistry registry = DeviceRegistry.load();

        assertThat(registry.get("serial")).satisfies(t -> {
            assertThat(t.version()).isEqualTo(3);
            assertThat(t.minimumVersion()).isEqualTo(2);
        });
        assertThat(registry.get("mc146818rtc")).satisfies(t -> {
            assertThat(t.version()).isEqualTo(3);
            assertThat(t.minimumVersion()).isEqualTo(1);
        });
        assertThat(registry.get("i8254")).satisfies(t -> {
            assertThat(t.version()).isEqualTo(3);
            assertThat(t.minimumVersion()).isEqualTo(2);
        });
        // #6: vmstate's own samples have invented histories, three versions each
        assertThat(registry.types()).filteredOn(t -> t.name().startsWith("vs-")).hasSize(3)
                .allSatisfy(t -> {
                    assertThat(t.version()).isEqualTo(3);
                    assertThat(t.minimumVersion()).isEqualTo(1);
                });
    }

    @Test
    void everyTypeCreatesItsClassAndDescribesItself() {
        for (DeviceType<?> t : DeviceRegistry.load().types()) {
            Visitable device = t.create();
            assertThat(device).isInstanceOf(t.javaType());
            assertThat(t.create()).as("a new instance each time").isNotSameAs(device);
            assertThat(t.schema().name()).isEqualTo(t.name());
            assertThat(t.schema().version()).isEqualTo(t.version());
            assertThat(t.schema().minimumVersion()).isEqualTo(t.minimumVersion());
            assertThat(t.description()).isNotBlank().doesNotContain("\n");
        }
    }

    @Test
    void findAndCreate() {
        DeviceRegistry registry = DeviceRegistry.of(new SampleDevices());

        assertThat(registry.find("serial")).contains(Serial.TYPE);
        assertThat(registry.find("e1000")).isEmpty();
        assertThat(registry.create("serial")).isInstanceOf(Serial.class);
    }

    @Test
    void unknownTypeListsTheKnownOnes() {
        DeviceRegistry registry = DeviceRegistry.load();

        assertThatThrownBy(() -> registry.get("e1000")).isInstanceOf(SchemaMismatchException.class)
                .hasMessage("unknown device type \"e1000\", known: i8254, mc146818rtc, serial, vs-pci-nic, "
                        + "vs-ramblock, vs-virtio-dev");
        assertThatThrownBy(() -> DeviceRegistry.of().create("serial")).isInstanceOf(SchemaMismatchException.class)
                .hasMessage("unknown device type \"serial\", known: (none)");
    }

    @Test
    void duplicateNameNamesBothProviders() {
        assertThatThrownBy(() -> DeviceRegistry.of(new SampleDevices(), new ClashingProvider()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("device type \"serial\" is registered by both dev.vmstate.device.SampleDevices and "
                        + "dev.vmstate.device.DeviceRegistryTest$ClashingProvider");
    }

    @Test
    void deviceTypeRejectsBadDeclarations() {
        assertThatThrownBy(() -> DeviceType.of("has space", 1, 1, "x", Serial.class, Serial::new))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeviceType.of("x", 1, 2, "x", Serial.class, Serial::new))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimumVersion 2");
        assertThatThrownBy(() -> DeviceType.of("x", 1, 1, "two\nlines", Serial.class, Serial::new))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
