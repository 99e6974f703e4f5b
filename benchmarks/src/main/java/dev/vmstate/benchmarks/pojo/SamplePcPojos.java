package dev.vmstate.benchmarks.pojo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.vmstate.device.nic.PciNic;
import dev.vmstate.device.pit.I8254;
import dev.vmstate.device.pit.PitChannel;
import dev.vmstate.device.ramblock.RamBlock;
import dev.vmstate.device.rtc.Mc146818Rtc;
import dev.vmstate.device.serial.Fifo8;
import dev.vmstate.device.serial.SerialState;
import dev.vmstate.device.virtio.VirtQueue;
import dev.vmstate.device.virtio.VirtioDevice;
import java.util.ArrayList;
import java.util.List;

/**
 * #4 baseline: the state of sample-pc as the annotated POJOs most Java projects would write for
 * Jackson databind, field for field the same as the vmstate devices (optional sections are
 * nullable members left out when absent). Copied from the live devices so both sides carry the
 * same values.
 */
public final class SamplePcPojos {
    private SamplePcPojos() {
    }

    @JsonPropertyOrder(alphabetic = false)
    public static final class Machine {
        public Serial serial;
        public Rtc rtc;
        public Pit pit;
        public Nic nic;
        public Virtio virtio;
        public RamBlockPojo ram;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Serial {
        public int divider;
        public int rbr;
        public int ier;
        public int iir;
        public int lcr;
        public int mcr;
        public int lsr;
        public int msr;
        public int scr;
        public int fcrVmstate;
        public Integer thrIpending;
        public Tsr tsr;
        public Fifo recvFifo;
        public Fifo xmitFifo;
        public Long fifoTimeoutTimer;
        public Integer timeoutIpending;
        public Poll poll;
    }

    public static final class Tsr {
        public long tsrRetry;
        public int thr;
        public int tsr;
    }

    public static final class Poll {
        public int pollMsl;
        public long modemStatusPoll;
    }

    public static final class Fifo {
        public byte[] data;
        public long head;
        public long num;
    }

    public static final class Rtc {
        public byte[] cmosData;
        public int cmosIndex;
        public byte[] unused0;
        public long periodicTimer;
        public long nextPeriodicTime;
        public byte[] unused1;
        public long irqCoalesced;
        public long period;
        public long baseRtc;
        public long lastUpdate;
        public long offset;
        public long updateTimer;
        public long nextAlarmTime;
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public Integer irqReinjectOnAckCount;
    }

    public static final class Pit {
        public long irqDisabled;
        public List<Channel> channels = new ArrayList<>();
        public long nextTransitionTime;
    }

    public static final class Channel {
        public int count;
        public int latchedCount;
        public int countLatched;
        public int statusLatched;
        public int status;
        public int readState;
        public int writeState;
        public int writeLatch;
        public int rwMode;
        public int mode;
        public int bcd;
        public int gate;
        public long countLoadTime;
        public long nextTransitionTime;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Nic {
        public byte[] config;
        public byte[] mac;
        public long ctrl;
        public long status;
        public long imask;
        public int rxHead;
        public int rxTail;
        public int txHead;
        public int txTail;
        public long[] mta;
        public long[] vlans;
        public String link;
        public boolean promiscuous;
        public long rxPackets;
        public long txPackets;
        public long rxBytes;
        public long txBytes;
        public long rxDropped;
        public long rxCrcErrors;
        public int sfpRxPowerDbm;
        public int sfpTemperature;
        public Itr itr;
    }

    public static final class Itr {
        public long itr;
        public long itrTimer;
        public long icrPending;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Virtio {
        public int deviceId;
        public long deviceFeatures;
        public long driverFeatures;
        public int status;
        public int configGeneration;
        public int isr;
        public int queueSel;
        public List<Queue> queues = new ArrayList<>();
        public byte[] config;
        public String serial;
        public long[] inflight;
    }

    public static final class Queue {
        public int num;
        public long desc;
        public long avail;
        public long used;
        public int lastAvailIdx;
        public int usedIdx;
        public int vector;
        public boolean enabled;
    }

    public static final class RamBlockPojo {
        public String idstr;
        public long offset;
        public long usedLength;
        public long maxLength;
        public long pageSize;
        public long align;
        public long flags;
        public long[] dirtyBitmap;
        public long dirtySyncCount;
        public double dirtyRatePagesPerSec;
    }

    /** The POJOs holding the same values as the given devices. */
    public static Machine of(dev.vmstate.device.serial.Serial serial, Mc146818Rtc rtc, I8254 pit, PciNic nic,
                             VirtioDevice virtio, RamBlock ram) {
        Machine m = new Machine();
        m.serial = serial(serial.state());
        m.rtc = rtc(rtc);
        m.pit = pit(pit);
        m.nic = nic(nic);
        m.virtio = virtio(virtio);
        m.ram = ram(ram);
        return m;
    }

    private static Serial serial(SerialState s) {
        Serial p = new Serial();
        p.divider = s.divider;
        p.rbr = s.rbr;
        p.ier = s.ier;
        p.iir = s.iir;
        p.lcr = s.lcr;
        p.mcr = s.mcr;
        p.lsr = s.lsr;
        p.msr = s.msr;
        p.scr = s.scr;
        p.fcrVmstate = s.fcr;
        if (s.tsrRetry != 0) {
            p.tsr = new Tsr();
            p.tsr.tsrRetry = s.tsrRetry;
            p.tsr.thr = s.thr;
            p.tsr.tsr = s.tsr;
        }
        p.recvFifo = s.recvFifo.isEmpty() ? null : fifo(s.recvFifo);
        p.xmitFifo = s.xmitFifo.isEmpty() ? null : fifo(s.xmitFifo);
        p.fifoTimeoutTimer = s.fifoTimeoutTimer == -1 ? null : s.fifoTimeoutTimer;
        p.timeoutIpending = s.timeoutIpending == 0 ? null : s.timeoutIpending;
        if (s.pollMsl >= 0) {
            p.poll = new Poll();
            p.poll.pollMsl = s.pollMsl;
            p.poll.modemStatusPoll = s.modemStatusPoll;
        }
        return p;
    }

    private static Fifo fifo(Fifo8 f) {
        Fifo p = new Fifo();
        p.data = f.data.clone();
        p.head = f.head;
        p.num = f.num;
        return p;
    }

    private static Rtc rtc(Mc146818Rtc r) {
        Rtc p = new Rtc();
        p.cmosData = r.cmosData.clone();
        p.cmosIndex = r.cmosIndex;
        p.unused0 = r.unused0.clone();
        p.periodicTimer = r.periodicTimer;
        p.nextPeriodicTime = r.nextPeriodicTime;
        p.unused1 = r.unused1.clone();
        p.irqCoalesced = r.irqCoalesced;
        p.period = r.period;
        p.baseRtc = r.baseRtc;
        p.lastUpdate = r.lastUpdate;
        p.offset = r.offset;
        p.updateTimer = r.updateTimer;
        p.nextAlarmTime = r.nextAlarmTime;
        p.irqReinjectOnAckCount = r.irqReinjectOnAckCount == 0 ? null : r.irqReinjectOnAckCount;
        return p;
    }

    private static Pit pit(I8254 pit) {
        Pit p = new Pit();
        p.irqDisabled = pit.channel(0).irqDisabled;
        for (int i = 0; i < 3; i++) {
            PitChannel c = pit.channel(i);
            Channel ch = new Channel();
            ch.count = c.count;
            ch.latchedCount = c.latchedCount;
            ch.countLatched = c.countLatched;
            ch.statusLatched = c.statusLatched;
            ch.status = c.status;
            ch.readState = c.readState;
            ch.writeState = c.writeState;
            ch.writeLatch = c.writeLatch;
            ch.rwMode = c.rwMode;
            ch.mode = c.mode;
            ch.bcd = c.bcd;
            ch.gate = c.gate;
            ch.countLoadTime = c.countLoadTime;
            ch.nextTransitionTime = c.nextTransitionTime;
            p.channels.add(ch);
        }
        p.nextTransitionTime = pit.channel(0).nextTransitionTime;
        return p;
    }

    private static Nic nic(PciNic n) {
        Nic p = new Nic();
        p.config = n.config.clone();
        p.mac = n.mac.clone();
        p.ctrl = n.ctrl;
        p.status = n.status;
        p.imask = n.imask;
        p.rxHead = n.rxHead;
        p.rxTail = n.rxTail;
        p.txHead = n.txHead;
        p.txTail = n.txTail;
        p.mta = n.mta.clone();
        p.vlans = n.vlans.clone();
        p.link = n.link.name();
        p.promiscuous = n.promiscuous;
        p.rxPackets = n.rxPackets;
        p.txPackets = n.txPackets;
        p.rxBytes = n.rxBytes;
        p.txBytes = n.txBytes;
        p.rxDropped = n.rxDropped;
        p.rxCrcErrors = n.rxCrcErrors;
        p.sfpRxPowerDbm = n.sfpRxPowerDbm;
        p.sfpTemperature = n.sfpTemperature;
        if (n.itrTimer != -1) {
            p.itr = new Itr();
            p.itr.itr = n.itr;
            p.itr.itrTimer = n.itrTimer;
            p.itr.icrPending = n.icrPending;
        }
        return p;
    }

    private static Virtio virtio(VirtioDevice d) {
        Virtio p = new Virtio();
        p.deviceId = d.deviceId;
        p.deviceFeatures = d.deviceFeatures;
        p.driverFeatures = d.driverFeatures;
        p.status = d.status;
        p.configGeneration = d.configGeneration;
        p.isr = d.isr;
        p.queueSel = d.queueSel;
        for (VirtQueue q : d.queues) {
            Queue x = new Queue();
            x.num = q.num;
            x.desc = q.desc;
            x.avail = q.avail;
            x.used = q.used;
            x.lastAvailIdx = q.lastAvailIdx;
            x.usedIdx = q.usedIdx;
            x.vector = q.vector;
            x.enabled = q.enabled;
            p.queues.add(x);
        }
        p.config = d.config.clone();
        p.serial = d.serial;
        p.inflight = d.inflight.length == 0 ? null : d.inflight.clone();
        return p;
    }

    private static RamBlockPojo ram(RamBlock r) {
        RamBlockPojo p = new RamBlockPojo();
        p.idstr = r.idstr;
        p.offset = r.offset;
        p.usedLength = r.usedLength;
        p.maxLength = r.maxLength;
        p.pageSize = r.pageSize;
        p.align = r.align;
        p.flags = r.flags;
        p.dirtyBitmap = r.dirtyBitmap.clone();
        p.dirtySyncCount = r.dirtySyncCount;
        p.dirtyRatePagesPerSec = r.dirtyRatePagesPerSec;
        return p;
    }
}
