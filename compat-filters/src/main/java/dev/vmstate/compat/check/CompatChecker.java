package dev.vmstate.compat.check;

import dev.vmstate.compat.CompatChain;
import dev.vmstate.compat.CompatJson;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The static checker (#6): compares the device types of two builds, OLD and NEW, each given as
 * its {@link CompatChain}s (from the registry, or read from a {@link SchemaExport}), and reports
 * every change that no compat step accounts for, like QEMU's
 * {@code scripts/vmstate-static-checker.py} does for two {@code -dump-vmstate} files.
 *
 * <p>For each device type:
 * <ol>
 *   <li>the type must exist in the reader ({@link Rule#TYPE_MISSING}; one only the reader has is
 *       {@link Rule#TYPE_NOT_SENT});</li>
 *   <li>the reader's version range must take what the writer writes: forward, OLD writes its
 *       current version and NEW reads from its minimum to its current version; in reverse, NEW
 *       downgrades to {@code min(NEW.version, OLD.version)} and OLD reads that
 *       ({@link Rule#VERSION_DECREASED}, {@link Rule#MINIMUM_RAISED});</li>
 *   <li>for every version {@code v} both chains support, {@code NEW.schemaAt(v)} must be
 *       {@code OLD.schemaAt(v)} member by member: any difference is a change no step accounts
 *       for ({@link Rule#FIELD_ADDED}, {@link Rule#FIELD_REMOVED}, {@link Rule#FIELD_RENAMED},
 *       {@link Rule#FIELD_MOVED}, {@link Rule#TYPE_NARROWED}, {@link Rule#TYPE_CHANGED},
 *       {@link Rule#SIZE_CHANGED}, {@link Rule#ORDER_CHANGED}, {@link Rule#ENUM_CODE_UNKNOWN},
 *       {@link Rule#SECTION_UNKNOWN}, {@link Rule#SECTION_NOT_SENT},
 *       {@link Rule#SECTION_VERSION_NEWER}); when both builds have the same current version and its
 *       layouts differ incompatibly, that is also {@link Rule#NO_VERSION_BUMP};</li>
 *   <li>a step both chains have between two versions whose layouts agree must hold the same
 *       operations ({@link Rule#STEP_CHANGED}, a warning: a changed default or transform changes
 *       what an upgrade produces, not what a reader accepts).</li>
 * </ol>
 * A problem found at several versions is reported once, with every version it was found at.
 * Hints never matter: they change no encoding.
 *
 * <p>Works on schemas and steps only, never on states, so chains read for checking (whose
 * transforms are {@linkplain dev.vmstate.compat.Transform#declared declared} only) are fine.
 * Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class CompatChecker {
    private CompatChecker() {
    }

    /**
     * Every problem between the device types of {@code old} and {@code neu}, in the order of
     * their names.
     *
     * @throws IllegalArgumentException when one side lists a type twice
     */
    public static CheckReport check(Collection<CompatChain> old, Collection<CompatChain> neu, Direction direction) {
        Objects.requireNonNull(direction, "direction");
        Map<String, CompatChain> o = byType(old, "OLD");
        Map<String, CompatChain> n = byType(neu, "NEW");
        TreeMap<String, Boolean> all = new TreeMap<>();
        o.keySet().forEach(t -> all.put(t, true));
        n.keySet().forEach(t -> all.put(t, true));
        List<Problem> problems = new ArrayList<>();
        for (String type : all.keySet()) {
            CompatChain oc = o.get(type);
            CompatChain nc = n.get(type);
            if (oc != null && nc != null) {
                problems.addAll(check(oc, nc, direction));
                continue;
            }
            CompatChain only = oc != null ? oc : nc;
            String here = oc != null ? "OLD" : "NEW";
            String there = oc != null ? "NEW" : "OLD";
            if (here.equals(direction.writer())) {
                problems.add(new Problem(Severity.ERROR, Rule.TYPE_MISSING, type, List.of(only.version()), "",
                        "device type in " + here + " (v" + only.version() + "), not in " + there + ": " + there
                                + " refuses its sections"));
            } else {
                problems.add(new Problem(Severity.WARNING, Rule.TYPE_NOT_SENT, type, List.of(only.version()), "",
                        "device type in " + here + ", not in " + there + ": streams from " + there
                                + " never carry it, so the device keeps its reset state"));
            }
        }
        return new CheckReport(direction, all.size(), problems);
    }

    /**
     * Every problem between two chains of one device type.
     *
     * @throws IllegalArgumentException when the chains are of different types
     */
    public static List<Problem> check(CompatChain old, CompatChain neu, Direction direction) {
        if (!old.type().equals(neu.type())) {
            throw new IllegalArgumentException("cannot compare " + old.type() + " with " + neu.type());
        }
        Found found = new Found(old.type());
        versions(old, neu, direction, found);
        int lo = Math.max(old.minimumVersion(), neu.minimumVersion());
        int hi = Math.min(old.version(), neu.version());
        boolean[] agree = new boolean[Math.max(0, hi - lo + 1)];
        for (int v = lo; v <= hi; v++) {
            List<LayoutDiff.Finding> diff = LayoutDiff.compare(old.schemaAt(v), neu.schemaAt(v), direction);
            agree[v - lo] = diff.isEmpty();
            long errors = diff.stream().filter(f -> f.severity() == Severity.ERROR).count();
            if (v == old.version() && v == neu.version() && errors > 0) {
                found.add(Severity.ERROR, Rule.NO_VERSION_BUMP, v, "", "the layout changed (" + errors
                        + " incompatible difference" + (errors == 1 ? "" : "s") + ") but both builds call it v" + v
                        + ": bump NEW's version and add a step");
            }
            for (LayoutDiff.Finding f : diff) {
                found.add(f.severity(), f.rule(), v, f.path(), f.message());
            }
        }
        steps(old, neu, lo, hi, agree, found);
        return found.problems();
    }

    private static void versions(CompatChain old, CompatChain neu, Direction direction, Found found) {
        if (direction == Direction.FORWARD) {
            if (neu.version() < old.version()) {
                found.add(Severity.ERROR, Rule.VERSION_DECREASED, old.version(), "", "OLD writes v" + old.version()
                        + ", NEW reads only up to v" + neu.version());
            }
            if (neu.minimumVersion() > old.version()) {
                found.add(Severity.ERROR, Rule.MINIMUM_RAISED, old.version(), "", "OLD writes v" + old.version()
                        + ", NEW reads only from v" + neu.minimumVersion() + " (its minimum version)");
            } else if (neu.minimumVersion() > old.minimumVersion()) {
                found.add(Severity.WARNING, Rule.MINIMUM_RAISED, old.version(), "", "minimum version "
                        + old.minimumVersion() + " in OLD, " + neu.minimumVersion() + " in NEW: NEW no longer reads "
                        + range(old.minimumVersion(), neu.minimumVersion() - 1)
                        + ", which OLD reads (saved streams, OLD's --target-version)");
            }
        } else {
            if (neu.minimumVersion() > old.version()) {
                found.add(Severity.ERROR, Rule.MINIMUM_RAISED, old.version(), "", "OLD reads up to v" + old.version()
                        + ", NEW cannot downgrade below its minimum version v" + neu.minimumVersion());
            }
            if (neu.version() < old.minimumVersion()) {
                found.add(Severity.ERROR, Rule.VERSION_DECREASED, neu.version(), "", "NEW writes at most v"
                        + neu.version() + ", OLD reads only from v" + old.minimumVersion());
            }
        }
    }

    /** A step both chains have, joining two versions whose layouts agree, must be the same step. */
    private static void steps(CompatChain old, CompatChain neu, int lo, int hi, boolean[] agree, Found found) {
        List<Object> os = declaredSteps(old);
        List<Object> ns = declaredSteps(neu);
        for (int from = lo; from < hi; from++) {
            if (!agree[from - lo] || !agree[from + 1 - lo]) {
                continue; // the layout problems already say what differs
            }
            Object o = os.get(from - old.minimumVersion());
            Object n = ns.get(from - neu.minimumVersion());
            if (!o.equals(n)) {
                found.add(Severity.WARNING, Rule.STEP_CHANGED, from + 1, "", "step " + from + "->" + (from + 1)
                        + " differs: OLD " + describe(old, from) + "; NEW " + describe(neu, from)
                        + " (upgrades and downgrades between the builds give other values)");
            }
        }
    }

    /** The steps in their JSON form, which compares transforms by declaration rather than by code. */
    @SuppressWarnings("unchecked")
    private static List<Object> declaredSteps(CompatChain chain) {
        return (List<Object>) CompatJson.declaration(chain).get("steps");
    }

    private static String describe(CompatChain chain, int from) {
        String d = chain.steps().get(from - chain.minimumVersion()).describe();
        return d.substring(d.indexOf(": ") + 2);
    }

    private static String range(int a, int b) {
        return a == b ? "v" + a : "v" + a + "-" + b;
    }

    private static Map<String, CompatChain> byType(Collection<CompatChain> chains, String side) {
        Map<String, CompatChain> m = new LinkedHashMap<>();
        for (CompatChain c : chains) {
            if (m.put(c.type(), c) != null) {
                throw new IllegalArgumentException(side + " lists device type " + c.type() + " twice");
            }
        }
        return m;
    }

    /** Problems of one type, merging the same finding at several versions into one problem. */
    private static final class Found {
        private record Key(Severity severity, Rule rule, String path, String message) {
        }

        private final String type;
        private final Map<Key, List<Integer>> versions = new LinkedHashMap<>();

        Found(String type) {
            this.type = type;
        }

        void add(Severity severity, Rule rule, int version, String path, String message) {
            List<Integer> vs = versions.computeIfAbsent(new Key(severity, rule, path, message), k -> new ArrayList<>());
            if (!vs.contains(version)) {
                vs.add(version);
                vs.sort(null);
            }
        }

        /** The type's problems: those about the type as a whole first, then the members' as found. */
        List<Problem> problems() {
            List<Problem> out = new ArrayList<>();
            versions.forEach((k, vs) -> out.add(new Problem(k.severity(), k.rule(), type, vs, k.path(), k.message())));
            out.sort(java.util.Comparator.comparing(p -> !p.path().isEmpty()));
            return out;
        }
    }
}
