package dev.vmstate.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmstate.error.LimitExceededException;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.visitor.AllKinds;
import dev.vmstate.visitor.Visitables;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile lengths and truncated input: clean exceptions with path and offset, never OOM (surefire runs -Xmx512m). */
class BinaryLimitsTest {

    /** A device with a list first, so the hostile count sits at a known offset. */
    static final class Queues implements dev.vmstate.visitor.Visitable {
        int head = 7;
        List<AllKinds.Inner> queues = new ArrayList<>();

        @Override
        public void visit(dev.vmstate.visitor.Visitor v) {
            head = v.u16("head", head);
            queues = v.list("queues", queues, AllKinds.Inner::new);
        }
    }

    @Test
    void listLongerThanTheLimitIsRejectedBeforeAllocation() {
        byte[] hostile = {0, 7, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        LimitExceededException e = catchThrowableOfType(LimitExceededException.class,
                () -> BinaryBody.load(hostile, new Queues()));
        assertThat(e.getOriginalMessage()).isEqualTo(
                "list length (4294967295) exceeds the maximum allowed (1048576, from ReadLimits.maxListLength())");
        assertThat(e.path()).isEqualTo("queues");
        assertThat(e.offset()).isEqualTo(2);
    }

    @Test
    void listWithinTheLimitButLongerThanTheInputFailsOnTruncation() {
        byte[] body = {0, 7, 0, 0x0F, (byte) 0xFF, (byte) 0xFF, 0, 1};
        MalformedStreamException e = catchThrowableOfType(MalformedStreamException.class,
                () -> BinaryBody.load(body, new Queues()));
        assertThat(e.path()).isEqualTo("queues[0].addr");
        assertThat(e.getOriginalMessage()).startsWith("unexpected end of input");
    }

    @Test
    void hostileBytesStringAndArrayLengths() {
        AllKinds d = new AllKinds();
        byte[] good = BinaryBody.save(d);
        // 'name' starts after flag..f64 = 1+1+2+4+8+1+2+4+8+8 = 39 bytes
        byte[] hostile = java.util.Arrays.copyOf(good, good.length);
        hostile[39] = (byte) 0x7F;
        assertThatThrownBy(() -> BinaryBody.load(hostile, new AllKinds()))
                .isInstanceOf(LimitExceededException.class)
                .satisfies(t -> assertThat(((VmstateException) t).path()).isEqualTo("name"))
                .satisfies(t -> assertThat(((VmstateException) t).offset()).isEqualTo(39));
        ReadLimits big = ReadLimits.builder().maxStringLength(Integer.MAX_VALUE).build();
        assertThatThrownBy(() -> BinaryBody.load(hostile, new AllKinds(), big))
                .isInstanceOf(MalformedStreamException.class)
                .hasMessageContaining("unexpected end of input");
    }

    @Test
    void everyTruncationThrowsAVmstateExceptionWithAnOffset() {
        AllKinds d = new AllKinds();
        d.queues.add(new AllKinds.Inner());
        d.pending = 3;
        byte[] body = BinaryBody.save(d);
        for (int cut = 0; cut < body.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(body, cut);
            int at = cut;
            // a cut just before the optional section is a valid body without it
            try {
                AllKinds back = BinaryBody.load(part, new AllKinds());
                assertThat(back.pending).as("cut at %d", at).isZero();
            } catch (VmstateException e) {
                assertThat(e.offset()).as("cut at %d: %s", at, e.getMessage()).isBetween(0L, (long) cut);
                assertThat(e.path().isEmpty() && !e.getMessage().contains("left after the body"))
                        .as("cut at %d has neither a path nor a trailing-bytes message: %s", at, e.getMessage()).isFalse();
            }
        }
    }

    @Test
    void readsTheSameFromOneByteAtATime() {
        AllKinds d = new AllKinds();
        d.queues.add(new AllKinds.Inner());
        d.pending = 3;
        byte[] body = BinaryBody.save(d);
        InputStream trickle = new ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(1, len));
            }
        };
        AllKinds back = new AllKinds();
        ByteSource in = ByteSource.of(trickle);
        back.visit(new BinaryLoadVisitor(in, ReadLimits.defaults()));
        assertThat(in.atEnd()).isTrue();
        assertThat(Visitables.diff("dev", d, back)).isEmpty();
    }

    @Test
    void trailingBytesAreReported() {
        byte[] body = BinaryBody.save(new Queues());
        byte[] longer = java.util.Arrays.copyOf(body, body.length + 2);
        assertThatThrownBy(() -> BinaryBody.load(longer, new Queues()))
                .isInstanceOf(MalformedStreamException.class)
                .hasMessage("2 byte(s) left after the body\n at (byte offset #" + body.length + ")");
    }

    @Test
    void depthIsLimited() {
        ReadLimits shallow = ReadLimits.builder().maxDepth(0).build();
        byte[] body = BinaryBody.save(new AllKinds());
        assertThatThrownBy(() -> BinaryBody.load(body, new AllKinds(), shallow))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("ReadLimits.maxDepth()");
    }
}
