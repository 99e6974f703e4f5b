package dev.vmstate.schema;

import dev.vmstate.error.LimitExceededException;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;

/**
 * Checks a schema that came from a stream (a self-describing format, a legacy vmdesc) before any
 * state is read with it: a schema fixes buffer sizes and array lengths, so a hostile one could
 * make a reader allocate without sending the bytes. Buffers are bounded by
 * {@link ReadLimits#maxBytesLength()}, fixed arrays and struct arrays by
 * {@link ReadLimits#maxListLength()}, nesting by {@link ReadLimits#maxDepth()}, the fixed part of
 * one struct by {@link ReadLimits#maxSectionSize()}; and a list element must take at least one
 * byte in the body encoding, so a list count cannot stand for more elements than the input has
 * bytes.
 *
 * <p>Thread-safe. A schema instance that passed under a limits instance is remembered (in a
 * small table of immutable entries), so a reader that meets the same cached schema in every
 * stream walks it once, not once per stream; schemas and limits are immutable, so the answer
 * cannot change.
 *
 * @since 0.1
 */
public final class SchemaLimits {
    private static final int SLOTS = 256;
    private static final int WAYS = 4;

    /** A schema that passed under a limits instance. */
    private record Passed(Schema schema, ReadLimits limits) {
    }

    private static final Passed[] PASSED = new Passed[SLOTS];

    private SchemaLimits() {
    }

    /** Fails with the offending member's path unless {@code schema} is within {@code limits}. */
    public static void check(Schema schema, ReadLimits limits) {
        int slot = System.identityHashCode(schema);
        for (int i = 0; i < WAYS; i++) {
            Passed p = PASSED[(slot + i) & (SLOTS - 1)];
            if (p != null && p.schema == schema && p.limits == limits) {
                return;
            }
        }
        fixedSize(schema, limits, 0);
        Passed passed = new Passed(schema, limits);
        for (int i = 0; i < WAYS; i++) {
            int at = (slot + i) & (SLOTS - 1);
            if (PASSED[at] == null) {
                PASSED[at] = passed;
                return;
            }
        }
        PASSED[(slot + (System.identityHashCode(limits) & (WAYS - 1))) & (SLOTS - 1)] = passed;
    }

    /** The bytes the fields of {@code s} take at least, checking every member on the way. */
    private static long fixedSize(Schema s, ReadLimits limits, int depth) {
        limits.checkDepth(depth); // the caller names the member that nests too deep
        long total = 0;
        for (Field f : s.members()) {
            long size;
            try {
                size = member(f, limits, depth);
            } catch (VmstateException e) {
                throw e.prependField(f.name());
            }
            total += size;
            if (total > limits.maxSectionSize()) {
                throw (LimitExceededException) new LimitExceededException("fixed fields of " + total
                        + " bytes exceed the maximum allowed (" + limits.maxSectionSize()
                        + ", from ReadLimits.maxSectionSize())").prependField(f.name());
            }
        }
        return total;
    }

    private static long member(Field f, ReadLimits limits, int depth) {
        switch (f.kind()) {
            case BUFFER:
                limits.checkBytesLength(f.size());
                return f.size();
            case ARRAY:
                limits.checkListLength(f.length());
                return (long) f.length() * f.element().width();
            case STR:
            case BYTES:
            case VARRAY:
                return 4;
            case STRUCT: {
                limits.checkListLength(f.length());
                long one = fixedSize(f.struct(), limits, depth + 1);
                return f.length() == 0 ? one : one * f.length();
            }
            case LIST: {
                long element = fixedSize(f.struct(), limits, depth + 1);
                if (element == 0) {
                    throw new SchemaMismatchException("list elements of type " + f.struct().name()
                            + " take no bytes, so a count could stand for any number of them");
                }
                return 4;
            }
            case SECTION:
                fixedSize(f.struct(), limits, depth + 1);
                return 0;
            default:
                return f.kind().width();
        }
    }
}
