package dev.vmstate.device.nic;

import dev.vmstate.compat.CompatChain;
import dev.vmstate.device.Configurable;
import dev.vmstate.device.DeviceProperties;
import dev.vmstate.device.DeviceType;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A PCI Ethernet controller modelled loosely on the Intel 82540EM (the e1000 QEMU emulates), in
 * vmstate's own layout, type {@code vs-pci-nic}: version 3, loads from version 1 (its
 * {@code history} says what each version changed). It exercises most of the data model: a
 * 256-byte config space buffer, the MAC as a 6-byte buffer, registers with flag hints, ring
 * indices, a fixed u32 array (the 128-entry multicast table), a variable u16 array (VLAN ids), an
 * enum, a bool, u64 counters, an optional section for pending interrupt moderation and one with
 * an i8 and an i16 from the SFP module's diagnostics (SFF-8472), sent when the module reports
 * something.
 *
 * <p>Properties: {@code addr} (PCI address, e.g. {@code 0000:00:03.0}) and {@code mac}
 * ({@code 52:54:00:12:34:56}). Public fields are the registers; not thread-safe.
 *
 * @since 0.1
 */
public final class PciNic implements Visitable, Configurable {
    /** The {@code vs-pci-nic} device type. */
    public static final DeviceType<PciNic> TYPE = DeviceType.of("vs-pci-nic", 3, 1,
            "PCI Ethernet controller (82540EM-like), vmstate layout", PciNic.class, PciNic::new)
            .withHistory(PciNic::history);

    /** The optional section of the SFP module's diagnostics, since version 3. */
    public static final String SFP_SECTION = "vs-pci-nic/sfp";

    /**
     * The history of the section (#6; invented, as this device is vmstate's own). Version 1 named
     * the interrupt mask register {@code ims}, as the 8254x manual does; version 2 renamed it
     * {@code imask}, since the manual's IMS is "interrupt mask set/read" (a write sets bits, IMC
     * clears them) while the field holds the resulting mask. Versions 1 and 2 carried the
     * SFP module's diagnostics ({@code sfp_rx_power_dbm}, {@code sfp_temperature}) after the
     * counters in every stream, although most NICs have no SFP cage, or a module without
     * SFF-8472 diagnostics; version 3 moved them into the optional section
     * {@value #SFP_SECTION}, sent only when either value is not zero. The step first adds the
     * section with an empty body (absent by default), then moves the two fields into it, so
     * that going down the section, left empty, goes before the addition is undone. Nothing is
     * lost either way.
     */
    static CompatChain history(Schema current) {
        Field emptySfp = Field.section(SFP_SECTION, new Schema(SFP_SECTION, 1, 1, List.of()));
        return CompatChain.of(current)
                .step(1, s -> s.rename("ims", "imask"))
                .step(2, s -> s.add(SFP_SECTION, emptySfp, null) // default: absent
                        .moveIntoSection("sfp_rx_power_dbm", SFP_SECTION, "rx_crc_errors")
                        // the first move has taken sfp_rx_power_dbm out: sfp_temperature follows rx_crc_errors
                        .moveIntoSection("sfp_temperature", SFP_SECTION, "rx_crc_errors"))
                .build();
    }

    public static final int VENDOR_INTEL = 0x8086;
    public static final int DEVICE_82540EM = 0x100E;
    /** QEMU's PCI subsystem vendor (Red Hat / Qumranet) and subsystem id. */
    public static final int SUBSYSTEM_VENDOR = 0x1AF4;
    public static final int SUBSYSTEM_ID = 0x1100;
    public static final int MTA_ENTRIES = 128;

    // Bit names from the 8254x manual's CTRL, STATUS and interrupt registers.
    private static final Hint CTRL = Hint.flags("FD", null, null, "LRST", null, "ASDE", "SLU", "ILOS",
            "SPEED0", "SPEED1", null, "FRCSPD", "FRCDPX", null, null, null, null, null, "SWDPIN0", "SWDPIN1",
            "SWDPIN2", "SWDPIN3", "SWDPIO0", "SWDPIO1", "SWDPIO2", "SWDPIO3", "RST", "RFCE", "TFCE", null,
            "VME", "PHY_RST");
    private static final Hint STATUS = Hint.flags("FD", "LU", "FUNC0", "FUNC1", "TXOFF", "TBIMODE",
            "SPEED0", "SPEED1", "ASDV0", "ASDV1", null, "PCI66", "BUS64", "PCIX");
    private static final Hint INTERRUPTS = Hint.flags("TXDW", "TXQE", "LSC", "RXSEQ", "RXDMT0", null, "RXO",
            "RXT0", null, "MDAC", "RXCFG", null, null, "GPI0", "GPI1", "TXD_LOW", "SRPD");
    private static final Pattern MAC = Pattern.compile("\\p{XDigit}{2}(:\\p{XDigit}{2}){5}");

    public byte[] config = new byte[256];
    public byte[] mac = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    /** u32 device control. */
    public long ctrl;
    /** u32 device status. */
    public long status;
    /** u32 interrupt mask (the 8254x IMS register: a set bit enables that cause); {@code ims} in v1. */
    public long imask;
    public int rxHead;
    public int rxTail;
    public int txHead;
    public int txTail;
    /** The multicast table array: bit {@code h & 31} of entry {@code h >> 5} accepts hash {@code h}. */
    public long[] mta = new long[MTA_ENTRIES];
    /** VLAN ids the receive filter accepts, 1..4094. */
    public long[] vlans = new long[0];
    public LinkState link = LinkState.DOWN;
    public boolean promiscuous;
    public long rxPackets;
    public long txPackets;
    public long rxBytes;
    public long txBytes;
    public long rxDropped;
    public long rxCrcErrors;
    /** Received optical power of the SFP module, dBm (-40..+8 in practice); in the SFP section since v3. */
    public int sfpRxPowerDbm;
    /** SFP module temperature in 1/256 degree C, SFF-8472's signed 16-bit encoding; in the SFP section since v3. */
    public int sfpTemperature;
    /** u32 interrupt throttling interval, in 256 ns units (0 = off). */
    public long itr;
    /** When the throttled interrupt fires; -1 when none is held back. */
    public long itrTimer = -1;
    /** u32 causes held back until {@link #itrTimer} fires. */
    public long icrPending;

    private String addr = "";
    private final Visitable itrBody = v -> {
        itr = v.u32("itr", itr);
        itrTimer = v.i64("itr_timer", itrTimer, Hint.TIMER);
        icrPending = v.u32("icr_pending", icrPending, INTERRUPTS);
    };
    private final Visitable sfpBody = v -> {
        sfpRxPowerDbm = v.i8("sfp_rx_power_dbm", sfpRxPowerDbm);
        sfpTemperature = v.i16("sfp_temperature", sfpTemperature);
    };

    /** Power-on state: the identity registers of config space are set, BARs are not yet assigned. */
    public PciNic() {
        writeConfig16(0x00, VENDOR_INTEL);
        writeConfig16(0x02, DEVICE_82540EM);
        writeConfig16(0x06, 0x0000);
        config[0x08] = 0x03; // revision
        config[0x0B] = 0x02; // class: network controller, subclass 0x00 Ethernet
        writeConfig32(0x14, 0x1); // BAR1 is an I/O BAR: bit 0 reads as 1
        writeConfig16(0x2C, SUBSYSTEM_VENDOR);
        writeConfig16(0x2E, SUBSYSTEM_ID);
        config[0x3D] = 0x01; // interrupt pin INTA#
    }

    @Override
    public void visit(Visitor v) {
        config = v.buffer("config", config, 256);
        mac = v.buffer("mac", mac, 6);
        ctrl = v.u32("ctrl", ctrl, CTRL);
        status = v.u32("status", status, STATUS);
        imask = v.u32("imask", imask, INTERRUPTS);
        rxHead = v.u16("rx_head", rxHead);
        rxTail = v.u16("rx_tail", rxTail);
        txHead = v.u16("tx_head", txHead);
        txTail = v.u16("tx_tail", txTail);
        mta = v.array("mta", Kind.U32, mta);
        vlans = v.varray("vlans", Kind.U16, vlans);
        link = v.enumeration("link", link, LinkState.TYPE);
        promiscuous = v.bool("promiscuous", promiscuous);
        rxPackets = v.u64("rx_packets", rxPackets);
        txPackets = v.u64("tx_packets", txPackets);
        rxBytes = v.u64("rx_bytes", rxBytes);
        txBytes = v.u64("tx_bytes", txBytes);
        rxDropped = v.u64("rx_dropped", rxDropped);
        rxCrcErrors = v.u64("rx_crc_errors", rxCrcErrors);
        v.section("vs-pci-nic/itr", itrTimer != -1, itrBody);
        // #6: absent exactly when both values are zero, as MoveIntoSection's up rule leaves it,
        // so a version 2 state upgraded and saved again gives the same bytes.
        v.section(SFP_SECTION, sfpRxPowerDbm != 0 || sfpTemperature != 0, sfpBody);
    }

    @Override
    public void configure(Map<String, Object> properties) {
        addr = DeviceProperties.string(properties, "addr", addr);
        String m = DeviceProperties.string(properties, "mac", null);
        if (m != null) {
            if (!MAC.matcher(m).matches()) {
                throw DeviceProperties.invalid("mac", "invalid MAC address \"" + m + "\", expected xx:xx:xx:xx:xx:xx");
            }
            mac = HexFormat.ofDelimiter(":").parseHex(m);
        }
    }

    /** The PCI address from the device tree, e.g. {@code 0000:00:03.0}; empty when not configured. */
    public String addr() {
        return addr;
    }

    /** The MAC address as {@code xx:xx:xx:xx:xx:xx}. */
    public String macString() {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }

    /** Little-endian 16-bit write into config space, as PCI config registers are. */
    public void writeConfig16(int offset, int value) {
        config[offset] = (byte) value;
        config[offset + 1] = (byte) (value >>> 8);
    }

    /** Little-endian 32-bit write into config space. */
    public void writeConfig32(int offset, long value) {
        writeConfig16(offset, (int) (value & 0xFFFF));
        writeConfig16(offset + 2, (int) ((value >>> 16) & 0xFFFF));
    }

    /** Little-endian 32-bit read from config space. */
    public long readConfig32(int offset) {
        long v = 0;
        for (int i = 3; i >= 0; i--) {
            v = (v << 8) | (config[offset + i] & 0xFF);
        }
        return v;
    }

    /**
     * Accepts multicast {@code address} through the table, with the 8254x hash for RCTL.MO = 0 (bits
     * 47:36 of the address; QEMU 7.2 hw/net/e1000.c receive_filter).
     */
    public void addMulticast(byte[] address) {
        int hash = (((address[5] & 0xFF) << 8 | (address[4] & 0xFF)) >> 4) & 0xFFF;
        mta[hash >> 5] |= 1L << (hash & 31);
    }
}
