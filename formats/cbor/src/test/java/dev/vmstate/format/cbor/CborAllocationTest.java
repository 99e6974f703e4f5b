package dev.vmstate.format.cbor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.limits.ReadLimits;
import dev.vmstate.schema.Schema;
import dev.vmstate.visitor.DescribeVisitor;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * #4's "0 B/op per scalar": a device state goes to and from CBOR without boxing a scalar. Counts
 * the bytes this thread allocates (not time) over many warmed-up saves and loads of a device with
 * 512 scalar fields of four widths, through the same visitors the stream writer and reader use.
 */
class CborAllocationTest {
    private static final int FIELDS = 512;
    private static final String[][] NAMES = new String[4][FIELDS / 4];

    static {
        for (int i = 0; i < FIELDS / 4; i++) {
            NAMES[0][i] = "a" + i;
            NAMES[1][i] = "b" + i;
            NAMES[2][i] = "c" + i;
            NAMES[3][i] = "d" + i;
        }
    }

    static final class Scalars implements Visitable {
        final long[] u32 = new long[FIELDS / 4];
        final int[] u8 = new int[FIELDS / 4];
        final long[] i64 = new long[FIELDS / 4];
        final int[] u16 = new int[FIELDS / 4];

        @Override
        public void visit(Visitor v) {
            for (int i = 0; i < FIELDS / 4; i++) {
                u32[i] = v.u32(NAMES[0][i], u32[i]);
                u8[i] = v.u8(NAMES[1][i], u8[i]);
                i64[i] = v.i64(NAMES[2][i], i64[i]);
                u16[i] = v.u16(NAMES[3][i], u16[i]);
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
            s.u32[i] = i * 100_000L; // every head width: 1, 2, 3 and 5 bytes
            s.u8[i] = i & 0xFF;
            s.i64[i] = -i * 1_000_000_000L;
            s.u16[i] = i * 7;
        }
        Schema schema = DescribeVisitor.describe("scalars", 1, 1, new Scalars());
        CborOut out = new CborOut(new byte[16 * 1024]);
        CborSaveVisitor save = new CborSaveVisitor(out);
        CborLoadVisitor load = new CborLoadVisitor(new byte[0], 0, 0, ReadLimits.defaults());
        Scalars target = new Scalars();
        int rounds = 20_000;
        for (int i = 0; i < rounds; i++) { // warm up: let the JIT compile and inline
            roundTrip(schema, s, out, save, load, target);
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < rounds; i++) {
            roundTrip(schema, s, out, save, load, target);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        double perScalar = (double) allocated / rounds / (2.0 * FIELDS);
        assertThat(perScalar).as("bytes allocated per scalar saved or loaded").isLessThan(0.5);
        assertThat(target.u32[100]).isEqualTo(10_000_000L);
        assertThat(target.i64[127]).isEqualTo(-127_000_000_000L);
    }

    private static void roundTrip(Schema schema, Scalars s, CborOut out, CborSaveVisitor save,
            CborLoadVisitor load, Scalars target) {
        out.reset();
        save.write(schema, s);
        int end = load.reset(out.buffer(), 0, 0).load(schema, target);
        if (end != out.length()) { // not assertThat: it would allocate inside the measured loop
            throw new AssertionError("load stopped at " + end + " of " + out.length());
        }
    }
}
