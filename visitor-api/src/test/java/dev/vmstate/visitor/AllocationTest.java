package dev.vmstate.visitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.binary.BinaryLoadVisitor;
import dev.vmstate.binary.BinarySaveVisitor;
import dev.vmstate.binary.ByteSink;
import dev.vmstate.binary.ByteSource;
import dev.vmstate.limits.ReadLimits;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * #2: scalars are not boxed on the save/load path. Counts bytes allocated by this thread (not
 * time) over many warmed-up walks of a device with 512 scalar fields.
 */
class AllocationTest {
    static final int FIELDS = 512;

    static final class Scalars implements Visitable {
        final long[] u32 = new long[FIELDS / 4];
        final int[] u8 = new int[FIELDS / 4];
        final long[] i64 = new long[FIELDS / 4];
        final int[] u16 = new int[FIELDS / 4];

        @Override
        public void visit(Visitor v) {
            for (int i = 0; i < FIELDS / 4; i++) {
                u32[i] = v.u32("a", u32[i]);
                u8[i] = v.u8("b", u8[i]);
                i64[i] = v.i64("c", i64[i]);
                u16[i] = v.u16("d", u16[i]);
            }
        }
    }

    @Test
    void saveAndLoadAllocateNothingPerScalar() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        Scalars s = new Scalars();
        for (int i = 0; i < FIELDS / 4; i++) {
            s.u32[i] = i * 1000L;
            s.u8[i] = i & 0xFF;
            s.i64[i] = -i;
            s.u16[i] = i * 7;
        }
        ByteSink sink = new ByteSink(8192);
        BinarySaveVisitor save = new BinarySaveVisitor(sink);
        Scalars target = new Scalars();
        ReadLimits limits = ReadLimits.defaults();
        int rounds = 20_000;
        for (int i = 0; i < rounds; i++) { // warm up: let the JIT compile and inline
            sink.reset();
            s.visit(save);
            target.visit(new BinaryLoadVisitor(ByteSource.of(sink.view()), limits));
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < rounds; i++) {
            sink.reset();
            s.visit(save);
            target.visit(new BinaryLoadVisitor(ByteSource.of(sink.view()), limits));
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        double perScalar = (double) allocated / rounds / (2.0 * FIELDS);
        // Per walk only the visitor and source objects (~200 B) are allocated: far below 1 B per scalar.
        assertThat(perScalar).as("bytes allocated per scalar saved or loaded").isLessThan(0.5);
        assertThat(target.u32[100]).isEqualTo(100_000L);
    }
}
