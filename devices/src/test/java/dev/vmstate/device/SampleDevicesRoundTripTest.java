package dev.vmstate.device;

import dev.vmstate.device.nic.PciNic;
import dev.vmstate.device.pit.I8254;
import dev.vmstate.device.ramblock.RamBlock;
import dev.vmstate.device.rtc.Mc146818Rtc;
import dev.vmstate.device.serial.Serial;
import dev.vmstate.device.virtio.VirtioDevice;
import dev.vmstate.testkit.RoundTrip;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** #2: every sample device passes the testkit's round-trip properties. */
class SampleDevicesRoundTripTest {
    @Test
    void serial() {
        RoundTrip.check("serial", Serial::new);
    }

    @Test
    void mc146818rtc() {
        RoundTrip.check("mc146818rtc", Mc146818Rtc::new);
    }

    @Test
    void i8254() {
        // QEMU 7.2 carries channel 0's next_transition_time twice; the later, top-level copy wins on load.
        RoundTrip.check("i8254", I8254::new, Set.of("i8254.channels[0].next_transition_time"));
    }

    @Test
    void pciNic() {
        RoundTrip.check("vs-pci-nic", PciNic::new);
    }

    @Test
    void virtioDevice() {
        RoundTrip.check("vs-virtio-dev", VirtioDevice::new);
    }

    @Test
    void ramBlock() {
        RoundTrip.check("vs-ramblock", RamBlock::new);
    }

    @Test
    void everyRegisteredTypeIsCovered() {
        org.assertj.core.api.Assertions.assertThat(DeviceRegistry.load().names()).containsExactlyInAnyOrder(
                "serial", "mc146818rtc", "i8254", "vs-pci-nic", "vs-virtio-dev", "vs-ramblock");
    }
}
