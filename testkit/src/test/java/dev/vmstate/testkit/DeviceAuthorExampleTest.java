package dev.vmstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.visitor.Event;
import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.RecordingVisitor;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import org.junit.jupiter.api.Test;

/** The example of README.md and docs/guides/device-author.md; keep them in step with this file. */
class DeviceAuthorExampleTest {

    // example:device
    /** A tiny UART: registers, a receive FIFO, and an optional section for a pending timeout. */
    static final class Uart implements Visitable {
        static final Hint LSR = Hint.flags("DR", "OE", "PE", "FE", "BI", "THRE", "TEMT");

        int divider = 12;
        int lcr;
        int lsr = 0x60;
        byte[] fifo = new byte[16];
        long timeoutNs = -1;

        @Override
        public void visit(Visitor v) {
            divider = v.u16("divider", divider);
            lcr = v.u8("lcr", lcr);
            lsr = v.u8("lsr", lsr, LSR);
            fifo = v.buffer("fifo", fifo, 16);
            v.section("uart/timeout", timeoutNs != -1, s -> timeoutNs = s.i64("deadline", timeoutNs, Hint.TIMER));
        }
    }

    @Test
    void uartRoundTrips() {
        RoundTrip.check("uart", Uart::new);
    }

    @Test
    void uartRecordsItsFields() {
        assertThat(RecordingVisitor.record(new Uart())).startsWith(
                Event.u16("divider", 12), Event.u8("lcr", 0), Event.u8("lsr", 0x60));
    }
    // end:device
}
