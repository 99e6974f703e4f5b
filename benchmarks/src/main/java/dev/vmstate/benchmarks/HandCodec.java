package dev.vmstate.benchmarks;

import dev.vmstate.device.nic.LinkState;
import dev.vmstate.device.nic.PciNic;
import dev.vmstate.device.pit.I8254;
import dev.vmstate.device.pit.PitChannel;
import dev.vmstate.device.ramblock.RamBlock;
import dev.vmstate.device.rtc.Mc146818Rtc;
import dev.vmstate.device.serial.Fifo8;
import dev.vmstate.device.serial.Serial;
import dev.vmstate.device.serial.SerialState;
import dev.vmstate.device.virtio.VirtQueue;
import dev.vmstate.device.virtio.VirtioDevice;
import dev.vmstate.visitor.Visitable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The baseline: the legacy stream of sample-pc's six devices written and read by hand, one
 * {@code put}/{@code get} per field over a {@link ByteBuffer}, as QEMU's pre-vmstate devices did.
 * It produces exactly the bytes the visitor path produces (checked in the benchmark's setup), so
 * the two measure the same work. Subsections are written in the cases sample-pc needs them.
 */
final class HandCodec {
    private static final byte[] SERIAL = "serial".getBytes(StandardCharsets.US_ASCII);

    private HandCodec() {
    }

    static void header(ByteBuffer b, byte[] machine) {
        b.putInt(0x5145564d).putInt(3).put((byte) 0x07).putInt(machine.length).put(machine);
    }

    static void sectionHeader(ByteBuffer b, int id, byte[] idstr, int version) {
        b.put((byte) 0x04).putInt(id).put((byte) idstr.length).put(idstr).putInt(0).putInt(version);
    }

    static void footer(ByteBuffer b, int id) {
        b.put((byte) 0x7e).putInt(id);
    }

    private static void subsection(ByteBuffer b, byte[] name, int version) {
        b.put((byte) 0x05).put((byte) name.length).put(name).putInt(version);
    }

    private static boolean subsection(ByteBuffer b, byte[] name) {
        int p = b.position();
        if (b.remaining() < 2 + name.length || b.get(p) != 0x05 || (b.get(p + 1) & 0xFF) != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (b.get(p + 2 + i) != name[i]) {
                return false;
            }
        }
        b.position(p + 2 + name.length + 4);
        return true;
    }

    // ---- serial -----------------------------------------------------------------------------

    private static final byte[] RECV_FIFO = "serial/recv_fifo".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FIFO_TIMER = "serial/fifo_timeout_timer".getBytes(StandardCharsets.US_ASCII);

    static void save(ByteBuffer b, Serial serial) {
        SerialState s = serial.state();
        b.putShort((short) s.divider).put((byte) s.rbr).put((byte) s.ier).put((byte) s.iir).put((byte) s.lcr)
                .put((byte) s.mcr).put((byte) s.lsr).put((byte) s.msr).put((byte) s.scr).put((byte) s.fcr);
        if (!s.recvFifo.isEmpty()) {
            subsection(b, RECV_FIFO, 1);
            fifo(b, s.recvFifo);
        }
        if (s.fifoTimeoutTimer != -1) {
            subsection(b, FIFO_TIMER, 1);
            b.putLong(s.fifoTimeoutTimer);
        }
    }

    private static void fifo(ByteBuffer b, Fifo8 f) {
        b.put(f.data).putInt((int) f.head).putInt((int) f.num);
    }

    static void load(ByteBuffer b, Serial serial) {
        SerialState s = serial.state();
        s.divider = b.getShort() & 0xFFFF;
        s.rbr = b.get() & 0xFF;
        s.ier = b.get() & 0xFF;
        s.iir = b.get() & 0xFF;
        s.lcr = b.get() & 0xFF;
        s.mcr = b.get() & 0xFF;
        s.lsr = b.get() & 0xFF;
        s.msr = b.get() & 0xFF;
        s.scr = b.get() & 0xFF;
        s.fcr = b.get() & 0xFF;
        if (subsection(b, RECV_FIFO)) {
            b.get(s.recvFifo.data);
            s.recvFifo.head = b.getInt() & 0xFFFF_FFFFL;
            s.recvFifo.num = b.getInt() & 0xFFFF_FFFFL;
        }
        if (subsection(b, FIFO_TIMER)) {
            s.fifoTimeoutTimer = b.getLong();
        }
    }

    // ---- mc146818rtc --------------------------------------------------------------------------

    static void save(ByteBuffer b, Mc146818Rtc r) {
        b.put(r.cmosData).put((byte) r.cmosIndex).put(r.unused0).putLong(r.periodicTimer).putLong(r.nextPeriodicTime)
                .put(r.unused1).putInt((int) r.irqCoalesced).putInt((int) r.period).putLong(r.baseRtc)
                .putLong(r.lastUpdate).putLong(r.offset).putLong(r.updateTimer).putLong(r.nextAlarmTime);
    }

    static void load(ByteBuffer b, Mc146818Rtc r) {
        b.get(r.cmosData);
        r.cmosIndex = b.get() & 0xFF;
        b.get(r.unused0);
        r.periodicTimer = b.getLong();
        r.nextPeriodicTime = b.getLong();
        b.get(r.unused1);
        r.irqCoalesced = b.getInt() & 0xFFFF_FFFFL;
        r.period = b.getInt() & 0xFFFF_FFFFL;
        r.baseRtc = b.getLong();
        r.lastUpdate = b.getLong();
        r.offset = b.getLong();
        r.updateTimer = b.getLong();
        r.nextAlarmTime = b.getLong();
    }

    // ---- i8254 ------------------------------------------------------------------------------

    static void save(ByteBuffer b, I8254 pit) {
        b.putInt((int) pit.channel(0).irqDisabled);
        for (int i = 0; i < 3; i++) {
            PitChannel c = pit.channel(i);
            b.putInt(c.count).putShort((short) c.latchedCount).put((byte) c.countLatched).put((byte) c.statusLatched)
                    .put((byte) c.status).put((byte) c.readState).put((byte) c.writeState).put((byte) c.writeLatch)
                    .put((byte) c.rwMode).put((byte) c.mode).put((byte) c.bcd).put((byte) c.gate)
                    .putLong(c.countLoadTime).putLong(c.nextTransitionTime);
        }
        b.putLong(pit.channel(0).nextTransitionTime);
    }

    static void load(ByteBuffer b, I8254 pit) {
        pit.channel(0).irqDisabled = b.getInt() & 0xFFFF_FFFFL;
        for (int i = 0; i < 3; i++) {
            PitChannel c = pit.channel(i);
            c.count = b.getInt();
            c.latchedCount = b.getShort() & 0xFFFF;
            c.countLatched = b.get() & 0xFF;
            c.statusLatched = b.get() & 0xFF;
            c.status = b.get() & 0xFF;
            c.readState = b.get() & 0xFF;
            c.writeState = b.get() & 0xFF;
            c.writeLatch = b.get() & 0xFF;
            c.rwMode = b.get() & 0xFF;
            c.mode = b.get() & 0xFF;
            c.bcd = b.get() & 0xFF;
            c.gate = b.get() & 0xFF;
            c.countLoadTime = b.getLong();
            c.nextTransitionTime = b.getLong();
        }
        pit.channel(0).nextTransitionTime = b.getLong();
    }

    // ---- vs-pci-nic -------------------------------------------------------------------------

    private static final byte[] ITR = "vs-pci-nic/itr".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SFP = "vs-pci-nic/sfp".getBytes(StandardCharsets.US_ASCII);

    static void save(ByteBuffer b, PciNic n) {
        b.put(n.config).put(n.mac).putInt((int) n.ctrl).putInt((int) n.status).putInt((int) n.imask)
                .putShort((short) n.rxHead).putShort((short) n.rxTail).putShort((short) n.txHead).putShort((short) n.txTail);
        for (long m : n.mta) {
            b.putInt((int) m);
        }
        b.putInt(n.vlans.length);
        for (long v : n.vlans) {
            b.putShort((short) v);
        }
        b.putInt((int) LinkState.TYPE.code(n.link)).put((byte) (n.promiscuous ? 1 : 0)).putLong(n.rxPackets)
                .putLong(n.txPackets).putLong(n.rxBytes).putLong(n.txBytes).putLong(n.rxDropped).putLong(n.rxCrcErrors);
        if (n.itrTimer != -1) {
            subsection(b, ITR, 1);
            b.putInt((int) n.itr).putLong(n.itrTimer).putInt((int) n.icrPending);
        }
        if (n.sfpRxPowerDbm != 0 || n.sfpTemperature != 0) {
            subsection(b, SFP, 1);
            b.put((byte) n.sfpRxPowerDbm).putShort((short) n.sfpTemperature);
        }
    }

    static void load(ByteBuffer b, PciNic n) {
        b.get(n.config);
        b.get(n.mac);
        n.ctrl = b.getInt() & 0xFFFF_FFFFL;
        n.status = b.getInt() & 0xFFFF_FFFFL;
        n.imask = b.getInt() & 0xFFFF_FFFFL;
        n.rxHead = b.getShort() & 0xFFFF;
        n.rxTail = b.getShort() & 0xFFFF;
        n.txHead = b.getShort() & 0xFFFF;
        n.txTail = b.getShort() & 0xFFFF;
        for (int i = 0; i < n.mta.length; i++) {
            n.mta[i] = b.getInt() & 0xFFFF_FFFFL;
        }
        int vlans = b.getInt();
        if (n.vlans.length != vlans) {
            n.vlans = new long[vlans];
        }
        for (int i = 0; i < vlans; i++) {
            n.vlans[i] = b.getShort() & 0xFFFF;
        }
        n.link = LinkState.TYPE.fromCode(b.getInt() & 0xFFFF_FFFFL);
        n.promiscuous = b.get() != 0;
        n.rxPackets = b.getLong();
        n.txPackets = b.getLong();
        n.rxBytes = b.getLong();
        n.txBytes = b.getLong();
        n.rxDropped = b.getLong();
        n.rxCrcErrors = b.getLong();
        if (subsection(b, ITR)) {
            n.itr = b.getInt() & 0xFFFF_FFFFL;
            n.itrTimer = b.getLong();
            n.icrPending = b.getInt() & 0xFFFF_FFFFL;
        }
        if (subsection(b, SFP)) {
            n.sfpRxPowerDbm = b.get();
            n.sfpTemperature = b.getShort();
        } else {
            n.sfpRxPowerDbm = 0;
            n.sfpTemperature = 0;
        }
    }

    // ---- vs-virtio-dev ----------------------------------------------------------------------

    private static final byte[] INFLIGHT = "vs-virtio-dev/inflight".getBytes(StandardCharsets.US_ASCII);

    static void save(ByteBuffer b, VirtioDevice d) {
        b.putShort((short) d.deviceId).putLong(d.deviceFeatures).putLong(d.driverFeatures).put((byte) d.status)
                .put((byte) d.configGeneration).put((byte) d.isr).putShort((short) d.queueSel).putInt(d.queues.size());
        for (VirtQueue q : d.queues) {
            b.putShort((short) q.num).putLong(q.desc).putLong(q.avail).putLong(q.used).putShort((short) q.lastAvailIdx)
                    .putShort((short) q.usedIdx).putShort((short) q.vector).put((byte) (q.enabled ? 1 : 0));
        }
        b.putInt(d.config.length).put(d.config);
        byte[] serial = d.serial.getBytes(StandardCharsets.UTF_8);
        b.putInt(serial.length).put(serial);
        if (d.inflight.length > 0) {
            subsection(b, INFLIGHT, 1);
            b.putInt(d.inflight.length);
            for (long h : d.inflight) {
                b.putShort((short) h);
            }
        }
    }

    static void load(ByteBuffer b, VirtioDevice d) {
        d.deviceId = b.getShort() & 0xFFFF;
        d.deviceFeatures = b.getLong();
        d.driverFeatures = b.getLong();
        d.status = b.get() & 0xFF;
        d.configGeneration = b.get() & 0xFF;
        d.isr = b.get() & 0xFF;
        d.queueSel = b.getShort() & 0xFFFF;
        int n = b.getInt();
        List<VirtQueue> queues = d.queues;
        while (queues.size() > n) {
            queues.remove(queues.size() - 1);
        }
        while (queues.size() < n) {
            queues.add(new VirtQueue());
        }
        for (VirtQueue q : queues) {
            q.num = b.getShort() & 0xFFFF;
            q.desc = b.getLong();
            q.avail = b.getLong();
            q.used = b.getLong();
            q.lastAvailIdx = b.getShort() & 0xFFFF;
            q.usedIdx = b.getShort() & 0xFFFF;
            q.vector = b.getShort() & 0xFFFF;
            q.enabled = b.get() != 0;
        }
        int c = b.getInt();
        if (d.config.length != c) {
            d.config = new byte[c];
        }
        b.get(d.config);
        byte[] serial = new byte[b.getInt()];
        b.get(serial);
        d.serial = new String(serial, StandardCharsets.UTF_8);
        if (subsection(b, INFLIGHT)) {
            int k = b.getInt();
            if (d.inflight.length != k) {
                d.inflight = new long[k];
            }
            for (int i = 0; i < k; i++) {
                d.inflight[i] = b.getShort() & 0xFFFF;
            }
        }
    }

    // ---- vs-ramblock ------------------------------------------------------------------------

    static void save(ByteBuffer b, RamBlock r) {
        byte[] id = r.idstr.getBytes(StandardCharsets.UTF_8);
        b.putInt(id.length).put(id).putLong(r.offset).putLong(r.usedLength).putLong(r.maxLength).putInt((int) r.pageSize)
                .putLong(r.align).putInt((int) r.flags).putInt(r.dirtyBitmap.length);
        for (long w : r.dirtyBitmap) {
            b.putLong(w);
        }
        b.putLong(r.dirtySyncCount).putLong(Double.doubleToRawLongBits(r.dirtyRatePagesPerSec));
    }

    static void load(ByteBuffer b, RamBlock r) {
        byte[] id = new byte[b.getInt()];
        b.get(id);
        r.idstr = new String(id, StandardCharsets.UTF_8);
        r.offset = b.getLong();
        r.usedLength = b.getLong();
        r.maxLength = b.getLong();
        r.pageSize = b.getInt() & 0xFFFF_FFFFL;
        r.align = b.getLong();
        r.flags = b.getInt() & 0xFFFF_FFFFL;
        int n = b.getInt();
        if (r.dirtyBitmap.length != n) {
            r.dirtyBitmap = new long[n];
        }
        for (int i = 0; i < n; i++) {
            r.dirtyBitmap[i] = b.getLong();
        }
        r.dirtySyncCount = b.getLong();
        r.dirtyRatePagesPerSec = Double.longBitsToDouble(b.getLong());
    }

    static byte[] serialIdstr() {
        return SERIAL;
    }

    // ---- dispatch and whole streams, shared by every benchmark that uses the baseline ---------

    static void saveBody(ByteBuffer b, Visitable d) {
        if (d instanceof Serial s) {
            save(b, s);
        } else if (d instanceof Mc146818Rtc r) {
            save(b, r);
        } else if (d instanceof I8254 p) {
            save(b, p);
        } else if (d instanceof PciNic n) {
            save(b, n);
        } else if (d instanceof VirtioDevice v) {
            save(b, v);
        } else if (d instanceof RamBlock rb) {
            save(b, rb);
        } else {
            throw new IllegalArgumentException("no hand-written codec for " + d.getClass().getName());
        }
    }

    static void loadBody(ByteBuffer b, Visitable d) {
        if (d instanceof Serial s) {
            load(b, s);
        } else if (d instanceof Mc146818Rtc r) {
            load(b, r);
        } else if (d instanceof I8254 p) {
            load(b, p);
        } else if (d instanceof PciNic n) {
            load(b, n);
        } else if (d instanceof VirtioDevice v) {
            load(b, v);
        } else if (d instanceof RamBlock rb) {
            load(b, rb);
        } else {
            throw new IllegalArgumentException("no hand-written codec for " + d.getClass().getName());
        }
    }

    /** The whole legacy stream of {@code pc}'s source (header, framed sections, EOF) into {@code b}. */
    static int saveStream(ByteBuffer b, SamplePc pc) {
        b.clear();
        header(b, pc.machineName);
        for (int i = 0; i < pc.sourceDevices.length; i++) {
            sectionHeader(b, i, pc.idstrs[i], pc.versions[i]);
            saveBody(b, pc.sourceDevices[i]);
            footer(b, i);
        }
        b.put((byte) 0);
        return b.position();
    }

    /** Reads a stream {@link #saveStream} wrote into {@code pc}'s target devices. */
    static int loadStream(ByteBuffer b, SamplePc pc) {
        b.clear();
        b.position(8 + 1 + 4 + pc.machineName.length);
        for (Visitable d : pc.targetDevices) {
            b.get();
            b.getInt();
            b.position(b.position() + 1 + (b.get(b.position()) & 0xFF) + 8);
            loadBody(b, d);
            b.get();
            b.getInt();
        }
        return b.get();
    }
}
