package dev.vmstate.device.serial;

import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;

/**
 * The registers and internal state of a 16550A UART, laid out as QEMU 7.2's nested vmsd
 * {@code vmstate_serial} ("serial", v3/min2; qemu/qemu:hw/char/serial.c): ten fields, then seven
 * version-1 subsections in QEMU's order, each saved only when QEMU's {@code needed} function says
 * so. Field names are QEMU's vmdesc names.
 *
 * <p>Public fields mirror QEMU's {@code SerialState}; registers hold 0..255, timers an absolute
 * deadline in ns on the virtual clock or -1 when not armed. Not thread-safe.
 *
 * @since 0.1
 */
public final class SerialState implements Visitable {
    // Register bits, named as in QEMU's hw/char/serial.c.
    public static final int IER_RDI = 0x01;
    public static final int IER_THRI = 0x02;
    public static final int IER_RLSI = 0x04;
    public static final int IIR_NO_INT = 0x01;
    public static final int IIR_ID = 0x06;
    public static final int IIR_THRI = 0x02;
    public static final int IIR_RDI = 0x04;
    public static final int IIR_FE = 0xC0;
    public static final int LSR_DR = 0x01;
    public static final int LSR_THRE = 0x20;
    public static final int LSR_TEMT = 0x40;
    public static final int MCR_OUT2 = 0x08;
    public static final int MSR_DCD = 0x80;
    public static final int MSR_DSR = 0x20;
    public static final int MSR_CTS = 0x10;
    public static final int FCR_FE = 0x01;
    /** QEMU's {@code UART_FIFO_LENGTH}. */
    public static final int FIFO_LENGTH = 16;
    /** The divisor latch divides this clock (1.8432 MHz / 16). */
    public static final int BAUD_BASE = 115200;

    private static final Hint IER = Hint.flags("RDI", "THRI", "RLSI", "MSI");
    private static final Hint LCR = Hint.flags("WLEN0", "WLEN1", "STOP", "PARITY", "EPAR", "SPAR", "SBC", "DLAB");
    private static final Hint MCR = Hint.flags("DTR", "RTS", "OUT1", "OUT2", "LOOP");
    private static final Hint LSR = Hint.flags("DR", "OE", "PE", "FE", "BI", "THRE", "TEMT", "RXFE");
    private static final Hint MSR = Hint.flags("DCTS", "DDSR", "TERI", "DDCD", "CTS", "DSR", "RI", "DCD");
    private static final Hint FCR = Hint.flags("FE", "RFR", "XFR", "DMS", null, null, "ITL0", "ITL1");

    public int divider = 0x0C;
    public int rbr;
    public int ier;
    public int iir = IIR_NO_INT;
    public int lcr;
    public int mcr = MCR_OUT2;
    public int lsr = LSR_TEMT | LSR_THRE;
    public int msr = MSR_DCD | MSR_DSR | MSR_CTS;
    public int scr;
    /** FIFO control; saved as {@code fcr_vmstate}. */
    public int fcr;
    /** Transmit holding register, saved in {@code serial/tsr}. */
    public int thr;
    /** Transmit shift register, saved in {@code serial/tsr}. */
    public int tsr;
    /** Retries left for a byte the chardev refused; u32. */
    public long tsrRetry;
    /** Whether a THRI interrupt is pending (0 or 1); -1 while loading means "derive from iir". */
    public int thrIpending;
    /** Whether a character-timeout interrupt is pending. */
    public int timeoutIpending;
    /** Modem status polling: -1 when the chardev cannot report modem lines (every non-tty backend). */
    public int pollMsl = -1;
    public long fifoTimeoutTimer = -1;
    public long modemStatusPoll = -1;
    public final Fifo8 recvFifo = new Fifo8(FIFO_LENGTH);
    public final Fifo8 xmitFifo = new Fifo8(FIFO_LENGTH);

    // Section bodies are built once, so visiting allocates nothing.
    private final Visitable thrIpendingBody = v -> thrIpending = v.i32("thr_ipending", thrIpending);
    private final Visitable tsrBody = v -> {
        tsrRetry = v.u32("tsr_retry", tsrRetry);
        thr = v.u8("thr", thr, Hint.HEX);
        tsr = v.u8("tsr", tsr, Hint.HEX);
    };
    private final Visitable recvFifoBody = v -> v.struct("recv_fifo", recvFifo);
    private final Visitable xmitFifoBody = v -> v.struct("xmit_fifo", xmitFifo);
    private final Visitable fifoTimeoutTimerBody =
            v -> fifoTimeoutTimer = v.i64("fifo_timeout_timer", fifoTimeoutTimer, Hint.TIMER);
    private final Visitable timeoutIpendingBody = v -> timeoutIpending = v.i32("timeout_ipending", timeoutIpending);
    private final Visitable pollBody = v -> {
        pollMsl = v.i32("poll_msl", pollMsl);
        modemStatusPoll = v.i64("modem_status_poll", modemStatusPoll, Hint.TIMER);
    };

    @Override
    public void visit(Visitor v) {
        if (v.isInput()) {
            // QEMU 7.2 serial.c serial_pre_load: an absent subsection leaves these "unknown".
            thrIpending = -1;
            pollMsl = -1;
        }
        divider = v.u16("divider", divider);
        rbr = v.u8("rbr", rbr, Hint.HEX);
        ier = v.u8("ier", ier, IER);
        iir = v.u8("iir", iir, Hint.HEX);
        lcr = v.u8("lcr", lcr, LCR);
        mcr = v.u8("mcr", mcr, MCR);
        lsr = v.u8("lsr", lsr, LSR);
        msr = v.u8("msr", msr, MSR);
        scr = v.u8("scr", scr, Hint.HEX);
        // QEMU 7.2 serial.c: pre_save copies fcr into fcr_vmstate, post_load writes fcr back from it.
        fcr = v.u8("fcr_vmstate", fcr, FCR);
        v.section("serial/thr_ipending", thrIpendingNeeded(), thrIpendingBody);
        v.section("serial/tsr", tsrRetry != 0, tsrBody);
        v.section("serial/recv_fifo", !recvFifo.isEmpty(), recvFifoBody);
        v.section("serial/xmit_fifo", !xmitFifo.isEmpty(), xmitFifoBody);
        v.section("serial/fifo_timeout_timer", fifoTimeoutTimer != -1, fifoTimeoutTimerBody);
        v.section("serial/timeout_ipending", timeoutIpending != 0, timeoutIpendingBody);
        v.section("serial/poll", pollMsl >= 0, pollBody);
        if (v.isInput() && thrIpending == -1) {
            // QEMU 7.2 serial.c serial_post_load: without the subsection, thr_ipending follows IIR.
            thrIpending = (iir & IIR_ID) == IIR_THRI ? 1 : 0;
        }
    }

    /** QEMU 7.2 serial.c serial_thr_ipending_needed: only when IIR alone would restore it wrongly. */
    boolean thrIpendingNeeded() {
        if ((ier & IER_THRI) == 0) {
            return false;
        }
        int expected = (iir & IIR_ID) == IIR_THRI ? 1 : 0;
        return thrIpending != expected;
    }

    @Override
    public String typeName() {
        return "serial";
    }

    @Override
    public int typeVersion() {
        return 3;
    }

    // ---- behaviour used to put realistic state in place (a guest driver's view) ----

    /** Programs the divisor latch for {@code baud} (a divisor of 115200), as a driver does through DLAB. */
    public void setBaud(int baud) {
        if (baud <= 0 || BAUD_BASE % baud != 0) {
            throw new IllegalArgumentException("baud " + baud + " does not divide " + BAUD_BASE);
        }
        divider = BAUD_BASE / baud;
    }

    /**
     * A guest write to FCR (QEMU 7.2 serial.c serial_ioport_write, then serial_write_fcr): RFR and
     * XFR empty the FIFOs, only the sticky bits are kept, and FIFO enable is mirrored in IIR.
     */
    public void writeFcr(int value) {
        if ((value & 0x02) != 0) {
            recvFifo.reset();
            lsr &= ~(LSR_DR | 0x10);
            timeoutIpending = 0;
            fifoTimeoutTimer = -1;
        }
        if ((value & 0x04) != 0) {
            xmitFifo.reset();
        }
        fcr = value & 0xC9;
        if ((fcr & FCR_FE) != 0) {
            iir |= IIR_FE;
        } else {
            iir &= ~IIR_FE;
        }
        updateIrq();
    }

    /** Receive trigger level from FCR bits 7:6, as QEMU's {@code recv_fifo_itl}. */
    public int receiveTriggerLevel() {
        return switch (fcr & 0xC0) {
            case 0x40 -> 4;
            case 0x80 -> 8;
            case 0xC0 -> 14;
            default -> 1;
        };
    }

    /**
     * Nanoseconds one character takes on the line, from the divisor and LCR, as QEMU's
     * {@code serial_update_parameters} computes {@code char_transmit_time}.
     */
    public long charTransmitTimeNs() {
        int dataBits = (lcr & 0x03) + 5;
        int stopBits = (lcr & 0x04) != 0 ? 2 : 1;
        int parity = (lcr & 0x08) != 0 ? 1 : 0;
        int frame = 1 + dataBits + stopBits + parity;
        int speed = BAUD_BASE / Math.max(1, divider);
        return (1_000_000_000L / speed) * frame;
    }

    /**
     * Bytes arriving from the host at virtual time {@code nowNs}: with the FIFO on, they are queued
     * and the character timeout is armed four characters ahead (QEMU 7.2 serial.c serial_receive1).
     */
    public void receive(byte[] bytes, long nowNs) {
        if ((fcr & FCR_FE) != 0) {
            for (byte b : bytes) {
                if (recvFifo.isFull()) {
                    lsr |= 0x02; // OE: QEMU's recv_fifo_put drops the byte and flags an overrun
                } else {
                    recvFifo.push(b);
                }
            }
            lsr |= LSR_DR;
            fifoTimeoutTimer = nowNs + charTransmitTimeNs() * 4;
        } else {
            // Without the FIFO each byte overwrites RBR; one still unread is an overrun.
            for (byte b : bytes) {
                if ((lsr & LSR_DR) != 0) {
                    lsr |= 0x02;
                }
                rbr = b & 0xFF;
                lsr |= LSR_DR;
            }
        }
        updateIrq();
    }

    /** A reduced QEMU serial_update_irq: the identification bits of IIR for the pending source. */
    public void updateIrq() {
        int id = IIR_NO_INT;
        if ((ier & IER_RLSI) != 0 && (lsr & 0x1E) != 0) {
            id = 0x06;
        } else if ((ier & IER_RDI) != 0 && timeoutIpending != 0) {
            id = 0x0C;
        } else if ((ier & IER_RDI) != 0 && (lsr & LSR_DR) != 0
                && ((fcr & FCR_FE) == 0 || recvFifo.num >= receiveTriggerLevel())) {
            id = IIR_RDI;
        } else if ((ier & IER_THRI) != 0 && thrIpending != 0) {
            id = IIR_THRI;
        } else if ((ier & 0x08) != 0 && (msr & 0x0F) != 0) {
            id = 0x00;
        }
        iir = id | (iir & 0xF0);
    }
}
