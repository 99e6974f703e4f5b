package dev.vmstate.schema;

import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.ArrayValue;
import dev.vmstate.tree.StateTree.BoolValue;
import dev.vmstate.tree.StateTree.BytesValue;
import dev.vmstate.tree.StateTree.EnumValue;
import dev.vmstate.tree.StateTree.F64Value;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.ListValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StrValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes state trees that fit a {@link Schema}: every integer in its kind's range, buffers and
 * fixed arrays of their declared length, lists and variable fields within a bound, each section
 * present or absent. The choices come from a {@link Draw}, so the same code serves a seeded
 * {@link java.util.Random} (the structure validator) and a property-testing source whose draws
 * can be shrunk (the testkit).
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class SampleTrees {
    /** A source of choices: a value in {@code [min, max]}, both inclusive. */
    @FunctionalInterface
    public interface Draw {
        long between(long min, long max);
    }

    /** Printable ASCII plus a few multi-byte characters, so strings exercise UTF-8. */
    private static final String EXTRA_CHARS = "\u00e9\u20ac\u4e2d\u00df";

    private SampleTrees() {
    }

    /** A tree fitting {@code schema}, with lists and variable-length values of at most {@code maxLength} entries. */
    public static StructValue generate(Schema schema, Draw draw, int maxLength) {
        Map<String, StateTree> members = new LinkedHashMap<>();
        for (Field f : schema.members()) {
            if (f.isSection()) {
                if (draw.between(0, 1) == 1) {
                    members.put(f.name(), new SectionValue(f.struct().version(), generate(f.struct(), draw, maxLength)));
                }
            } else {
                members.put(f.name(), value(f, draw, maxLength));
            }
        }
        return new StructValue(schema.name(), members);
    }

    private static StateTree value(Field f, Draw draw, int maxLength) {
        Kind k = f.kind();
        if (k.isInteger()) {
            return new IntValue(k, integer(k, draw));
        }
        switch (k) {
            case BOOL:
                return new BoolValue(draw.between(0, 1) == 1);
            case F64:
                return new F64Value(Double.longBitsToDouble(draw.between(Long.MIN_VALUE, Long.MAX_VALUE)));
            case STR:
                return new StrValue(string(draw, maxLength));
            case BYTES:
                return new BytesValue(Kind.BYTES, bytes(draw, (int) draw.between(0, maxLength * 4L)));
            case BUFFER:
                return new BytesValue(Kind.BUFFER, bytes(draw, f.size()));
            case ARRAY:
                return new ArrayValue(Kind.ARRAY, f.element(), integers(f.element(), draw, f.length()));
            case VARRAY:
                return new ArrayValue(Kind.VARRAY, f.element(),
                        integers(f.element(), draw, (int) draw.between(0, maxLength)));
            case ENUM: {
                List<Long> codes = new ArrayList<>(f.enumNames().keySet());
                codes.sort(null);
                long code = codes.get((int) draw.between(0, codes.size() - 1));
                return new EnumValue(code, f.enumNames().get(code));
            }
            case STRUCT: {
                if (f.length() == 0) {
                    return generate(f.struct(), draw, maxLength);
                }
                List<StructValue> items = new ArrayList<>();
                for (int i = 0; i < f.length(); i++) {
                    items.add(generate(f.struct(), draw, maxLength));
                }
                return new ListValue(Kind.STRUCT, items);
            }
            case LIST: {
                int n = (int) draw.between(0, maxLength);
                List<StructValue> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(generate(f.struct(), draw, maxLength));
                }
                return new ListValue(Kind.LIST, items);
            }
            default:
                throw new IllegalArgumentException("no generator for " + k);
        }
    }

    private static long integer(Kind k, Draw draw) {
        return k == Kind.U64 || k == Kind.I64 ? draw.between(Long.MIN_VALUE, Long.MAX_VALUE) : draw.between(k.min(), k.max());
    }

    private static long[] integers(Kind k, Draw draw, int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = integer(k, draw);
        }
        return a;
    }

    private static byte[] bytes(Draw draw, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) draw.between(0, 255);
        }
        return b;
    }

    private static String string(Draw draw, int maxLength) {
        int n = (int) draw.between(0, maxLength * 2L);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int c = (int) draw.between(0, 0x5E + EXTRA_CHARS.length());
            sb.append(c <= 0x5E ? (char) (0x20 + c) : EXTRA_CHARS.charAt(c - 0x5F));
        }
        return sb.toString();
    }
}
