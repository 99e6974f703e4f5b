package dev.vmstate.device;

import dev.vmstate.device.nic.LinkState;
import dev.vmstate.device.nic.PciNic;
import dev.vmstate.device.pit.I8254;
import dev.vmstate.device.pit.PitChannel;
import dev.vmstate.device.ramblock.RamBlock;
import dev.vmstate.device.rtc.Mc146818Rtc;
import dev.vmstate.device.serial.SerialState;
import dev.vmstate.device.serial.Serial;
import dev.vmstate.device.virtio.VirtQueue;
import dev.vmstate.device.virtio.VirtioDevice;
import dev.vmstate.machine.DeviceNode;
import dev.vmstate.machine.DeviceTree;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in sample machine {@code sample-pc}: one device of every sample type, configured as a
 * small PC (16 MiB, COM1, RTC, PIT, a NIC and a virtio disk), and {@link #populate} to give every
 * device the deterministic, non-trivial state of a guest that has booted and is doing I/O. Used by
 * demos ({@code vmstate machine}, {@code vmstate dump}), golden files and end-to-end tests.
 *
 * <p>Stateless and thread-safe; the machines it fills are not.
 *
 * @since 0.1
 */
public final class SampleMachines {
    /** The machine type of {@link #samplePc()}. */
    public static final String SAMPLE_PC = "sample-pc";
    /** Guest virtual time, in ns since power-on, at which {@link #populate} takes its snapshot. */
    public static final long VIRTUAL_NOW_NS = 1_523_400_000L;
    /** Guest RAM of {@code sample-pc}: 16 MiB, as the QEMU reference streams ({@code -m 16}). */
    public static final long RAM_SIZE = 16L << 20;

    private SampleMachines() {
    }

    /** The device tree of {@code sample-pc}: ISA devices, two PCI functions and the RAM block. */
    public static DeviceTree samplePc() {
        return new DeviceTree(SAMPLE_PC, List.of(
                DeviceNode.of("com1", "serial", "isa.0", props("iobase", 0x3F8L, "irq", 4L, "chardev", "null")),
                DeviceNode.of("rtc", "mc146818rtc", "isa.0", props("iobase", 0x70L, "irq", 8L, "base_year", 2000L)),
                DeviceNode.of("pit", "i8254", "isa.0", props("iobase", 0x40L, "irq", 0L)),
                DeviceNode.of("nic0", "vs-pci-nic", "pci.0",
                        props("addr", "0000:00:03.0", "mac", "52:54:00:12:34:56")),
                DeviceNode.of("vda", "vs-virtio-dev", "pci.0",
                        props("addr", "0000:00:04.0", "device-id", 2L, "num-queues", 3L, "queue-size", 256L,
                                "serial", "VDA-2023-0001", "capacity", 2_097_152L)),
                DeviceNode.of("ram0", "vs-ramblock", null,
                        props("idstr", "pc.ram", "size", RAM_SIZE, "page-size", 4096L))));
    }

    /** {@code sample-pc} built from {@code registry}, with {@link #populate} applied. */
    public static Machine populatedSamplePc(DeviceRegistry registry) {
        Machine m = Machine.build(samplePc(), registry);
        populate(m);
        return m;
    }

    /**
     * Puts the state of a booted, busy guest into every device of a {@code sample-pc} machine. The
     * result is the same on every call, so it can back golden files.
     *
     * @throws dev.vmstate.error.SchemaMismatchException when {@code m} lacks a device of {@link #samplePc()}
     */
    public static void populate(Machine m) {
        populateSerial(m.device("com1", Serial.class).state());
        populateRtc(m.device("rtc", Mc146818Rtc.class));
        populatePit(m.device("pit", I8254.class));
        populateNic(m.device("nic0", PciNic.class));
        populateVirtio(m.device("vda", VirtioDevice.class));
        populateRam(m.device("ram0", RamBlock.class));
    }

    private static void populateSerial(SerialState s) {
        // A Linux 8250 driver at 115200 8N1 with the FIFO on (trigger level 14), then "root\r"
        // typed on the host: five bytes wait below the trigger level, the character timeout runs.
        s.setBaud(115200);
        s.lcr = 0x03;
        s.mcr = 0x0B; // DTR | RTS | OUT2
        s.ier = SerialState.IER_RDI | SerialState.IER_RLSI;
        s.writeFcr(0xC7); // FE | RFR | XFR | trigger 14; the reset bits do not stick
        s.receive("root\r".getBytes(StandardCharsets.US_ASCII), VIRTUAL_NOW_NS - 200_000);
    }

    private static void populateRtc(Mc146818Rtc rtc) {
        // The values of the QEMU 7.2 reference stream (-rtc base=2023-01-01T00:00:00, -m 16): the
        // date in BCD and what pc_cmos_init writes for 16 MiB and boot order "cad".
        rtc.setDate(LocalDateTime.of(2023, 1, 1, 0, 0, 0));
        byte[] c = rtc.cmosData;
        c[0x14] = 0x06; // equipment: FPU, PS/2 mouse
        c[0x15] = (byte) 0x80; // base memory 640 KiB
        c[0x16] = 0x02;
        c[0x18] = 0x3C; // extended memory 15 MiB (0x3C00 KiB)
        c[0x31] = 0x3C;
        c[0x38] = 0x30; // third boot device: CD-ROM
        c[0x3D] = 0x12; // first hard disk, then floppy
        rtc.lastUpdate = 1_795_385_083_064_148_000L; // host clock, ns
        rtc.updateTimer = rtc.lastUpdate + 1_000_000_000L; // the next second
        rtc.nextAlarmTime = rtc.lastUpdate + 86_400_000_000_000L; // alarm 00:00:00, a day on
    }

    private static void populatePit(I8254 pit) {
        // Linux with HZ=100 programs channel 0 as a rate generator: LATCH = (1193182 + 50) / 100.
        PitChannel c0 = pit.channel(0);
        c0.program(2, 11932, 312_500_000L);
        c0.nextTransitionTime = c0.nextTransitionTime(VIRTUAL_NOW_NS);
    }

    private static void populateNic(PciNic nic) {
        nic.writeConfig16(0x04, 0x0107); // command: I/O, memory, bus master, SERR#
        nic.writeConfig32(0x10, 0xFEBC_0000L); // BAR0: registers
        nic.writeConfig32(0x14, 0xC001L); // BAR1: I/O at 0xC000
        nic.config[0x3C] = 11; // interrupt line
        nic.ctrl = 0x0000_0261L; // FD | ASDE | SLU | 1000 Mb/s
        nic.status = 0x0000_0083L; // FD | LU | 1000 Mb/s
        nic.imask = 0x0000_009DL; // TXDW | LSC | RXSEQ | RXDMT0 | RXO | RXT0
        nic.rxHead = 117;
        nic.rxTail = 116;
        nic.txHead = 42;
        nic.txTail = 42;
        nic.addMulticast(new byte[] {0x01, 0x00, 0x5E, 0x00, 0x00, 0x01}); // IPv4 all hosts
        nic.addMulticast(new byte[] {0x33, 0x33, 0x00, 0x00, 0x00, 0x01}); // IPv6 all nodes
        nic.addMulticast(new byte[] {0x33, 0x33, (byte) 0xFF, 0x12, 0x34, 0x56}); // our solicited-node
        nic.vlans = new long[] {1, 100, 200};
        nic.link = LinkState.UP;
        nic.promiscuous = true;
        nic.rxPackets = 48_213;
        nic.txPackets = 31_877;
        nic.rxBytes = 61_843_221;
        nic.txBytes = 4_120_987;
        nic.rxDropped = 12;
        nic.rxCrcErrors = 1;
        nic.sfpRxPowerDbm = -7;
        nic.sfpTemperature = 0x2A80; // 42.5 degrees C
        nic.itr = 976; // about 4000 interrupts per second
        nic.itrTimer = VIRTUAL_NOW_NS + 120_000;
        nic.icrPending = 0x80; // RXT0
    }

    private static void populateVirtio(VirtioDevice d) {
        d.driverFeatures = VirtioDevice.F_VERSION_1 | VirtioDevice.F_RING_EVENT_IDX | VirtioDevice.BLK_F_SEG_MAX
                | VirtioDevice.BLK_F_BLK_SIZE | VirtioDevice.BLK_F_FLUSH | VirtioDevice.BLK_F_MQ;
        d.status = VirtioDevice.STATUS_ACKNOWLEDGE | VirtioDevice.STATUS_DRIVER | VirtioDevice.STATUS_FEATURES_OK
                | VirtioDevice.STATUS_DRIVER_OK;
        // #6: the configuration has not changed since the driver read it (generation 0), so the
        // state also goes down to vs-virtio-dev versions 1 and 2, which have no generation counter.
        d.configGeneration = 0;
        d.isr = 0x01; // a used-buffer notification is pending
        d.queueSel = 2;
        // Virtio 1.x lets the driver shrink a queue below the device's maximum; this one did.
        int[] sizes = {256, 128, 64};
        long[] bases = {0x00F1_C000L, 0x00F2_4000L, 0x00F2_8000L};
        int[][] progress = {{1207, 1205}, {310, 310}, {12, 12}};
        for (int i = 0; i < 3; i++) {
            VirtQueue q = d.queues.get(i);
            q.num = sizes[i];
            q.place(bases[i]);
            q.lastAvailIdx = progress[i][0];
            q.usedIdx = progress[i][1];
            q.vector = i + 1; // vector 0 is the configuration-change vector
            q.enabled = true;
        }
        d.inflight = new long[] {17, 42}; // queue 0: last_avail_idx - used_idx = 2 requests in flight
    }

    private static void populateRam(RamBlock r) {
        r.offset = 0;
        r.align = 2L << 20; // QEMU_VMALLOC_ALIGN on x86-64 hosts: 2 MiB, for transparent huge pages
        r.flags = RamBlock.RAM_MIGRATABLE;
        // Second pass of a precopy: the BIOS data area, a kernel page-table run and the top-of-RAM stack.
        r.dirtyBitmap[0] = 0x0000_0000_0000_000FL;
        r.dirtyBitmap[5] = 0x0000_FFFF_0000_0000L;
        r.dirtyBitmap[17] = 0x8000_0000_0000_0101L;
        r.dirtyBitmap[r.dirtyBitmap.length - 1] = 0xC000_0000_0000_0000L;
        r.dirtySyncCount = 2;
        r.dirtyRatePagesPerSec = 1832.5;
    }

    /** Properties in declaration order, so the tree's JSON is deterministic. */
    private static Map<String, Object> props(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
