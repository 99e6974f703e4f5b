package dev.vmstate.schema;

import dev.vmstate.error.VmstateException;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.ListValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.DescribeVisitor;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.TreeInVisitor;
import dev.vmstate.visitor.TreeOutVisitor;
import dev.vmstate.visitor.Visitable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Checks the structural rules of a device's {@code visit}: the field set may vary only through
 * list lengths and optional sections, never through a value. It describes a default instance,
 * then loads many generated states into fresh instances and checks that each one visits exactly
 * the fields of that schema; a field that appears, disappears or changes kind with the data is
 * reported with its path. It also reports duplicate names and fields that follow a section in
 * the same struct (QEMU writes subsections after all fields, so a reader could not find them).
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class StructureValidator {
    /** Generated states tried by {@link #validate(String, Supplier)}. */
    public static final int DEFAULT_PROBES = 64;

    private StructureValidator() {
    }

    public static StructureReport validate(String device, Supplier<? extends Visitable> factory) {
        return validate(device, factory, DEFAULT_PROBES, 0x5eed);
    }

    /** Validates {@code device} with {@code probes} generated states from a seeded random source. */
    public static StructureReport validate(String device, Supplier<? extends Visitable> factory, int probes, long seed) {
        List<StructureReport.Problem> problems = new ArrayList<>();
        Schema base;
        try {
            base = DescribeVisitor.describe(device, 0, 0, factory.get());
        } catch (VmstateException e) {
            problems.add(new StructureReport.Problem(join(device, e.path()), e.getOriginalMessage()));
            return new StructureReport(device, problems);
        }
        order(device, base, problems);
        try {
            SchemaLimits.check(base, dev.vmstate.limits.ReadLimits.defaults());
        } catch (VmstateException e) {
            problems.add(new StructureReport.Problem(join(device, e.path()), e.getOriginalMessage()));
        }
        Random random = new Random(seed);
        SampleTrees.Draw draw = (min, max) -> min == Long.MIN_VALUE && max == Long.MAX_VALUE ? random.nextLong()
                : min + (long) (random.nextDouble() * ((double) max - min + 1));
        for (int i = 0; i < probes && problems.isEmpty(); i++) {
            StructValue tree = SampleTrees.generate(base, (min, max) -> Math.min(max, Math.max(min, draw.between(min, max))), 3);
            Visitable probe = factory.get();
            try {
                TreeInVisitor.load(tree, probe);
            } catch (VmstateException e) {
                problems.add(new StructureReport.Problem(join(device, e.path()),
                        "the field set depends on a value: " + e.getOriginalMessage()));
                break;
            }
            Schema again;
            StructValue out;
            try {
                again = DescribeVisitor.describe(device, 0, 0, probe);
                out = TreeOutVisitor.toTree(device, probe);
            } catch (VmstateException e) {
                problems.add(new StructureReport.Problem(join(device, e.path()), e.getOriginalMessage()));
                break;
            }
            String diff = firstDifference(device, base, again);
            if (diff == null) {
                diff = conforms(device, out, base);
            }
            if (diff != null) {
                problems.add(new StructureReport.Problem(diff,
                        "the field set depends on a value, not on a list length or a section"));
            }
        }
        return new StructureReport(device, problems);
    }

    private static String join(String a, String b) {
        return b == null || b.isEmpty() ? a : a + "." + b;
    }

    private static void order(String path, Schema s, List<StructureReport.Problem> problems) {
        String firstSection = null;
        for (Field f : s.members()) {
            if (f.isSection()) {
                firstSection = firstSection == null ? f.name() : firstSection;
            } else if (firstSection != null) {
                problems.add(new StructureReport.Problem(join(path, f.name()),
                        "field after section " + firstSection + "; sections come after every field of their struct"));
            }
            if (f.struct() != null) {
                order(join(path, f.name()), f.struct(), problems);
            }
        }
    }

    /** The path of the first member where two schemas differ, or {@code null} when they are equal. */
    public static String firstDifference(String path, Schema a, Schema b) {
        int n = Math.max(a.members().size(), b.members().size());
        for (int i = 0; i < n; i++) {
            Field fa = i < a.members().size() ? a.members().get(i) : null;
            Field fb = i < b.members().size() ? b.members().get(i) : null;
            if (fa == null || fb == null || !fa.name().equals(fb.name())) {
                return join(path, fa != null ? fa.name() : fb.name());
            }
            if (fa.struct() != null && fb.struct() != null) {
                String d = firstDifference(join(path, fa.name()), fa.struct(), fb.struct());
                if (d != null) {
                    return d;
                }
            }
            if (!fa.equals(fb) && (fa.struct() == null || fb.struct() == null || fa.kind() != fb.kind()
                    || fa.length() != fb.length())) {
                return join(path, fa.name());
            }
        }
        return null;
    }

    /** The path of the first place {@code tree} does not fit {@code schema}, or {@code null}. */
    public static String conforms(String path, StructValue tree, Schema schema) {
        for (Field f : schema.members()) {
            StateTree v = tree.get(f.name());
            String at = join(path, f.name());
            if (v == null) {
                if (!f.isSection()) {
                    return at;
                }
                continue;
            }
            if (v.kind() != f.kind()) {
                return at;
            }
            String d = null;
            if (v instanceof StructValue s) {
                d = conforms(at, s, f.struct());
            } else if (v instanceof SectionValue s) {
                d = conforms(at, s.body(), f.struct());
            } else if (v instanceof ListValue l) {
                if (f.kind() == Kind.STRUCT && l.items().size() != f.length()) {
                    return at;
                }
                for (int i = 0; i < l.items().size() && d == null; i++) {
                    d = conforms(at + "[" + i + "]", l.items().get(i), f.struct());
                }
            }
            if (d != null) {
                return d;
            }
        }
        for (Map.Entry<String, StateTree> e : tree.members().entrySet()) {
            if (schema.member(e.getKey()) == null) {
                return join(path, e.getKey());
            }
        }
        return null;
    }
}
