package dev.vmstate.benchmarks.proto;

import com.google.protobuf.ByteString;
import dev.vmstate.benchmarks.pojo.SamplePcPojos;

/**
 * #5 baseline: the sample-pc state as protobuf-java's generated messages ({@code sample_pc.proto}),
 * built from the databind POJOs of #4 so that both baselines carry the same values as the
 * vmstate devices. Unsigned 32-bit fields hold the Java {@code long} values' low 32 bits, as
 * protobuf-java represents {@code uint32}.
 */
public final class SamplePcProtos {
    private SamplePcProtos() {
    }

    public static SamplePcProto.Machine of(SamplePcPojos.Machine m) {
        return SamplePcProto.Machine.newBuilder()
                .setSerial(serial(m.serial))
                .setRtc(rtc(m.rtc))
                .setPit(pit(m.pit))
                .setNic(nic(m.nic))
                .setVirtio(virtio(m.virtio))
                .setRam(ram(m.ram))
                .build();
    }

    private static SamplePcProto.Serial serial(SamplePcPojos.Serial s) {
        SamplePcProto.Serial.Builder b = SamplePcProto.Serial.newBuilder()
                .setDivider(s.divider).setRbr(s.rbr).setIer(s.ier).setIir(s.iir).setLcr(s.lcr).setMcr(s.mcr)
                .setLsr(s.lsr).setMsr(s.msr).setScr(s.scr).setFcrVmstate(s.fcrVmstate);
        if (s.thrIpending != null) {
            b.setThrIpending(s.thrIpending);
        }
        if (s.tsr != null) {
            b.setTsr(SamplePcProto.Tsr.newBuilder().setTsrRetry((int) s.tsr.tsrRetry).setThr(s.tsr.thr)
                    .setTsr(s.tsr.tsr));
        }
        if (s.recvFifo != null) {
            b.setRecvFifo(fifo(s.recvFifo));
        }
        if (s.xmitFifo != null) {
            b.setXmitFifo(fifo(s.xmitFifo));
        }
        if (s.fifoTimeoutTimer != null) {
            b.setFifoTimeoutTimer(s.fifoTimeoutTimer);
        }
        if (s.timeoutIpending != null) {
            b.setTimeoutIpending(s.timeoutIpending);
        }
        if (s.poll != null) {
            b.setPoll(SamplePcProto.Poll.newBuilder().setPollMsl(s.poll.pollMsl)
                    .setModemStatusPoll(s.poll.modemStatusPoll));
        }
        return b.build();
    }

    private static SamplePcProto.Fifo fifo(SamplePcPojos.Fifo f) {
        return SamplePcProto.Fifo.newBuilder().setData(ByteString.copyFrom(f.data)).setHead((int) f.head)
                .setNum((int) f.num).build();
    }

    private static SamplePcProto.Rtc rtc(SamplePcPojos.Rtc r) {
        SamplePcProto.Rtc.Builder b = SamplePcProto.Rtc.newBuilder()
                .setCmosData(ByteString.copyFrom(r.cmosData)).setCmosIndex(r.cmosIndex)
                .setUnused0(ByteString.copyFrom(r.unused0)).setPeriodicTimer(r.periodicTimer)
                .setNextPeriodicTime(r.nextPeriodicTime).setUnused1(ByteString.copyFrom(r.unused1))
                .setIrqCoalesced((int) r.irqCoalesced).setPeriod((int) r.period).setBaseRtc(r.baseRtc)
                .setLastUpdate(r.lastUpdate).setOffset(r.offset).setUpdateTimer(r.updateTimer)
                .setNextAlarmTime(r.nextAlarmTime);
        if (r.irqReinjectOnAckCount != null) {
            b.setIrqReinjectOnAckCount(r.irqReinjectOnAckCount);
        }
        return b.build();
    }

    private static SamplePcProto.Pit pit(SamplePcPojos.Pit p) {
        SamplePcProto.Pit.Builder b = SamplePcProto.Pit.newBuilder().setIrqDisabled((int) p.irqDisabled)
                .setNextTransitionTime(p.nextTransitionTime);
        for (SamplePcPojos.Channel c : p.channels) {
            b.addChannels(SamplePcProto.Channel.newBuilder().setCount(c.count).setLatchedCount(c.latchedCount)
                    .setCountLatched(c.countLatched).setStatusLatched(c.statusLatched).setStatus(c.status)
                    .setReadState(c.readState).setWriteState(c.writeState).setWriteLatch(c.writeLatch)
                    .setRwMode(c.rwMode).setMode(c.mode).setBcd(c.bcd).setGate(c.gate)
                    .setCountLoadTime(c.countLoadTime).setNextTransitionTime(c.nextTransitionTime));
        }
        return b.build();
    }

    private static SamplePcProto.Nic nic(SamplePcPojos.Nic n) {
        SamplePcProto.Nic.Builder b = SamplePcProto.Nic.newBuilder()
                .setConfig(ByteString.copyFrom(n.config)).setMac(ByteString.copyFrom(n.mac))
                .setCtrl((int) n.ctrl).setStatus((int) n.status).setImask((int) n.imask).setRxHead(n.rxHead)
                .setRxTail(n.rxTail).setTxHead(n.txHead).setTxTail(n.txTail).setLink(n.link)
                .setPromiscuous(n.promiscuous).setRxPackets(n.rxPackets).setTxPackets(n.txPackets)
                .setRxBytes(n.rxBytes).setTxBytes(n.txBytes).setRxDropped(n.rxDropped)
                .setRxCrcErrors(n.rxCrcErrors).setSfpRxPowerDbm(n.sfpRxPowerDbm)
                .setSfpTemperature(n.sfpTemperature);
        for (long v : n.mta) {
            b.addMta((int) v);
        }
        for (long v : n.vlans) {
            b.addVlans((int) v);
        }
        if (n.itr != null) {
            b.setItr(SamplePcProto.Itr.newBuilder().setItr((int) n.itr.itr).setItrTimer(n.itr.itrTimer)
                    .setIcrPending((int) n.itr.icrPending));
        }
        return b.build();
    }

    private static SamplePcProto.Virtio virtio(SamplePcPojos.Virtio v) {
        SamplePcProto.Virtio.Builder b = SamplePcProto.Virtio.newBuilder().setDeviceId(v.deviceId)
                .setDeviceFeatures(v.deviceFeatures).setDriverFeatures(v.driverFeatures).setStatus(v.status)
                .setConfigGeneration(v.configGeneration).setIsr(v.isr).setQueueSel(v.queueSel)
                .setConfig(ByteString.copyFrom(v.config)).setSerial(v.serial);
        for (SamplePcPojos.Queue q : v.queues) {
            b.addQueues(SamplePcProto.Queue.newBuilder().setNum(q.num).setDesc(q.desc).setAvail(q.avail)
                    .setUsed(q.used).setLastAvailIdx(q.lastAvailIdx).setUsedIdx(q.usedIdx).setVector(q.vector)
                    .setEnabled(q.enabled));
        }
        if (v.inflight != null) {
            for (long h : v.inflight) {
                b.addInflight((int) h);
            }
        }
        return b.build();
    }

    private static SamplePcProto.RamBlock ram(SamplePcPojos.RamBlockPojo r) {
        SamplePcProto.RamBlock.Builder b = SamplePcProto.RamBlock.newBuilder().setIdstr(r.idstr)
                .setOffset(r.offset).setUsedLength(r.usedLength).setMaxLength(r.maxLength).setPageSize(r.pageSize)
                .setAlign(r.align).setFlags(r.flags).setDirtySyncCount(r.dirtySyncCount)
                .setDirtyRatePagesPerSec(r.dirtyRatePagesPerSec);
        for (long w : r.dirtyBitmap) {
            b.addDirtyBitmap(w);
        }
        return b.build();
    }
}
