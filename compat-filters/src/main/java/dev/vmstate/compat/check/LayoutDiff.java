package dev.vmstate.compat.check;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.visitor.Kind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the layout OLD and NEW give one version of a device type, member by member, and
 * lists every difference (#6). Fields must agree exactly (a legacy stream is positional);
 * sections are matched by name, and whether a missing one matters depends on which side writes.
 * Hints, enum code names, struct type names and must-understand flags of members both sides
 * have are presentation or layout-neutral, and are not compared.
 *
 * <p>Not thread-safe: one instance per comparison.
 */
final class LayoutDiff {
    /** A difference at one version, before the checker merges equal findings across versions. */
    record Finding(Severity severity, Rule rule, String path, String message) {
    }

    /** A field only one side has at this place: removed (OLD only) or added (NEW only), until paired. */
    private record Loose(List<Field> containers, List<String> parent, int index, Field field) {
        List<String> path() {
            List<String> p = new ArrayList<>(parent);
            p.add(field.name());
            return p;
        }
    }

    private final Direction direction;
    private final List<Finding> findings = new ArrayList<>();
    private final List<Loose> removed = new ArrayList<>();
    private final List<Loose> added = new ArrayList<>();

    private LayoutDiff(Direction direction) {
        this.direction = direction;
    }

    /** Every difference between {@code old} and {@code neu}, two layouts of the same version. */
    static List<Finding> compare(Schema old, Schema neu, Direction direction) {
        LayoutDiff d = new LayoutDiff(Objects.requireNonNull(direction, "direction"));
        d.struct(old, neu, List.of(), List.of());
        d.pairLoose();
        return List.copyOf(d.findings);
    }

    private void struct(Schema o, Schema n, List<Field> containers, List<String> parent) {
        List<Field> of = o.fields();
        List<Field> nf = n.fields();
        for (int i = 0; i < of.size(); i++) {
            Field f = of.get(i);
            Field g = byName(nf, f.name());
            if (g == null) {
                removed.add(new Loose(containers, parent, i, f));
            } else {
                field(f, g, containers, child(parent, f.name()));
            }
        }
        for (int i = 0; i < nf.size(); i++) {
            if (byName(of, nf.get(i).name()) == null) {
                added.add(new Loose(containers, parent, i, nf.get(i)));
            }
        }
        order(of, nf, parent, "field");

        List<Field> os = o.sections();
        List<Field> ns = n.sections();
        for (Field f : os) {
            Field g = byName(ns, f.name());
            if (g == null) {
                onlyOne(f, true, render(child(parent, f.name())));
            } else {
                section(f, g, containers, child(parent, f.name()));
            }
        }
        for (Field g : ns) {
            if (byName(os, g.name()) == null) {
                onlyOne(g, false, render(child(parent, g.name())));
            }
        }
        order(os, ns, parent, "section");
    }

    // ---- members both sides have ------------------------------------------------------------

    private void field(Field o, Field n, List<Field> containers, List<String> path) {
        String p = render(path);
        if (o.kind() != n.kind()) {
            if (o.kind().isInteger() && n.kind().isInteger()) {
                integers(o.kind(), n.kind(), p, "");
            } else {
                add(Severity.ERROR, Rule.TYPE_CHANGED, p, o.describe() + " in OLD, " + n.describe()
                        + " in NEW, and no operation converts one into the other");
            }
            return;
        }
        switch (o.kind()) {
            case ARRAY -> {
                if (o.element() != n.element()) {
                    integers(o.element(), n.element(), p, "array element ");
                }
                if (o.length() != n.length()) {
                    add(Severity.ERROR, Rule.SIZE_CHANGED, p, "array of " + o.length() + " entries in OLD, "
                            + n.length() + " in NEW (" + o.describe() + " -> " + n.describe() + ")");
                }
            }
            case VARRAY -> {
                if (o.element() != n.element()) {
                    integers(o.element(), n.element(), p, "array element ");
                }
            }
            case BUFFER -> {
                if (o.size() != n.size()) {
                    add(Severity.ERROR, Rule.SIZE_CHANGED, p, "buffer of " + o.size() + " bytes in OLD, " + n.size()
                            + " in NEW");
                }
            }
            case STRUCT -> {
                if ((o.length() > 0) != (n.length() > 0)) {
                    add(Severity.ERROR, Rule.TYPE_CHANGED, p, o.describe() + " in OLD, " + n.describe()
                            + " in NEW: a struct and an array of structs are encoded differently");
                } else if (o.length() != n.length()) {
                    add(Severity.ERROR, Rule.SIZE_CHANGED, p, "array of " + o.length() + " structs in OLD, "
                            + n.length() + " in NEW");
                }
                struct(o.struct(), n.struct(), with(containers, o), path);
            }
            case LIST -> struct(o.struct(), n.struct(), with(containers, o), path);
            case ENUM -> enumCodes(o, n, p);
            default -> {
                // same scalar kind: same encoding
            }
        }
    }

    private void integers(Kind from, Kind to, String p, String what) {
        if (contains(from, to) && !contains(to, from)) {
            add(Severity.ERROR, Rule.TYPE_NARROWED, p, what + "narrowed from " + from.typeName() + " in OLD to "
                    + to.typeName() + " in NEW, and no step retypes it (" + to.typeName() + " holds only "
                    + min(to) + ".." + max(to) + ")");
        } else if (contains(to, from)) {
            add(Severity.ERROR, Rule.TYPE_CHANGED, p, what + "widened from " + from.typeName() + " in OLD to "
                    + to.typeName() + " in NEW without a retype step: the encodings differ");
        } else {
            add(Severity.ERROR, Rule.TYPE_CHANGED, p, what + "changed from " + from.typeName() + " in OLD to "
                    + to.typeName() + " in NEW without a retype step");
        }
    }

    private void enumCodes(Field o, Field n, String p) {
        Field writer = direction == Direction.FORWARD ? o : n;
        Field reader = direction == Direction.FORWARD ? n : o;
        Set<Long> unknown = new TreeSet<>(writer.enumNames().keySet());
        unknown.removeAll(reader.enumNames().keySet());
        if (!unknown.isEmpty()) {
            add(Severity.ERROR, Rule.ENUM_CODE_UNKNOWN, p, "enum code(s) " + unknown + " in " + direction.writer()
                    + ", not in " + direction.reader() + ": " + direction.reader() + " refuses a state that holds one");
        }
    }

    private void section(Field o, Field n, List<Field> containers, List<String> path) {
        Field writer = direction == Direction.FORWARD ? o : n;
        Field reader = direction == Direction.FORWARD ? n : o;
        if (writer.struct().version() > reader.struct().version()) {
            add(Severity.ERROR, Rule.SECTION_VERSION_NEWER, render(path), "section v" + writer.struct().version()
                    + " in " + direction.writer() + ", " + direction.reader() + " reads up to v"
                    + reader.struct().version());
        }
        struct(o.struct(), n.struct(), with(containers, o), path);
    }

    // ---- sections only one side has ---------------------------------------------------------

    private void onlyOne(Field s, boolean inOld, String p) {
        String here = inOld ? "OLD" : "NEW";
        String there = inOld ? "NEW" : "OLD";
        boolean writerHasIt = inOld == (direction == Direction.FORWARD);
        String where = " in " + here + ", not in " + there + ", and "
                + (inOld ? "no step removes it" : "no step adds it");
        if (!writerHasIt) {
            add(Severity.WARNING, Rule.SECTION_NOT_SENT, p, "section" + where + ": " + there + " never sends it, so "
                    + here + " reads it as absent");
        } else if (s.mustUnderstand()) {
            add(Severity.ERROR, Rule.SECTION_UNKNOWN, p, "must-understand section" + where + ": " + there
                    + " refuses a state that holds it");
        } else {
            add(Severity.WARNING, Rule.SECTION_UNKNOWN, p, "optional section" + where + ": " + there
                    + " skips it when present, except in a legacy stream without a description (QEMU's rule: an"
                    + " unknown subsection is fatal)");
        }
    }

    // ---- order -------------------------------------------------------------------------------

    /** Reports each member both lists have that is out of the longest common order. */
    private void order(List<Field> o, List<Field> n, List<String> parent, String what) {
        List<String> oc = new ArrayList<>();
        for (Field f : o) {
            if (byName(n, f.name()) != null) {
                oc.add(f.name());
            }
        }
        List<String> nc = new ArrayList<>();
        for (Field f : n) {
            if (byName(o, f.name()) != null) {
                nc.add(f.name());
            }
        }
        if (oc.equals(nc)) {
            return;
        }
        Set<String> kept = new HashSet<>(longestCommon(oc, nc));
        for (String name : nc) {
            if (!kept.contains(name)) {
                add(Severity.ERROR, Rule.ORDER_CHANGED, render(child(parent, name)), what + " "
                        + place(o, name) + " in OLD, " + place(n, name) + " in NEW, and no step moves it");
            }
        }
    }

    private static String place(List<Field> members, String name) {
        int i = indexOf(members, name);
        return i == 0 ? "first" : "after " + members.get(i - 1).name();
    }

    private static List<String> longestCommon(List<String> a, List<String> b) {
        int[][] len = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                len[i][j] = a.get(i).equals(b.get(j)) ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0, j = 0; i < a.size() && j < b.size(); ) {
            if (a.get(i).equals(b.get(j))) {
                out.add(a.get(i));
                i++;
                j++;
            } else if (len[i + 1][j] >= len[i][j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        return out;
    }

    // ---- fields only one side has: moved, renamed, removed, added ---------------------------

    private void pairLoose() {
        List<Loose> adds = new ArrayList<>(added);
        List<Loose> rest = new ArrayList<>();
        for (Loose r : removed) {
            Loose a = take(adds, x -> x.field().name().equals(r.field().name()));
            if (a == null) {
                rest.add(r);
            } else {
                moved(r, a);
            }
        }
        List<Loose> gone = new ArrayList<>();
        for (Loose r : rest) {
            Loose a = take(adds, x -> x.parent().equals(r.parent()) && x.index() == r.index()
                    && sameShape(x.field(), r.field()));
            if (a == null) {
                gone.add(r);
            } else {
                add(Severity.ERROR, Rule.FIELD_RENAMED, render(r.path()), "called " + r.field().name()
                        + " in OLD and " + a.field().name() + " in NEW (same place, same type "
                        + r.field().describe() + "), and no step renames it");
            }
        }
        for (Loose r : gone) {
            add(Severity.ERROR, Rule.FIELD_REMOVED, render(r.path()), r.field().describe() + " in OLD, not in NEW,"
                    + " and no step removes it");
        }
        for (Loose a : adds) {
            add(Severity.ERROR, Rule.FIELD_ADDED, render(a.path()), a.field().describe() + " in NEW, not in OLD,"
                    + " and no step adds it with a default");
        }
    }

    private void moved(Loose r, Loose a) {
        String how;
        if (startsWith(a.parent(), r.parent())) {
            how = "into " + container(a.containers().get(r.parent().size()));
        } else if (startsWith(r.parent(), a.parent())) {
            how = "out of " + container(r.containers().get(a.parent().size()));
        } else {
            how = "from " + describeParent(r.parent()) + " to " + describeParent(a.parent());
        }
        String type = sameShape(r.field(), a.field()) ? ""
                : "; its type changed too, " + r.field().describe() + " -> " + a.field().describe();
        add(Severity.ERROR, Rule.FIELD_MOVED, render(r.path()), "at " + render(r.path()) + " in OLD, at "
                + render(a.path()) + " in NEW: moved " + how + " with no step" + type);
    }

    private static String container(Field f) {
        return (f.isSection() ? "section " : f.kind() == Kind.LIST ? "list " : "struct ") + f.name();
    }

    private static String describeParent(List<String> parent) {
        return parent.isEmpty() ? "the root struct" : render(parent);
    }

    private static <T> T take(List<T> items, java.util.function.Predicate<T> match) {
        for (int i = 0; i < items.size(); i++) {
            if (match.test(items.get(i))) {
                return items.remove(i);
            }
        }
        return null;
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Same encoding, whatever the names of the field itself, hints and flags. */
    static boolean sameShape(Field a, Field b) {
        if (a.kind() != b.kind() || a.size() != b.size() || a.length() != b.length() || a.element() != b.element()) {
            return false;
        }
        if (a.kind() == Kind.ENUM && !a.enumNames().keySet().equals(b.enumNames().keySet())) {
            return false;
        }
        if (a.struct() == null || b.struct() == null) {
            return a.struct() == b.struct();
        }
        List<Field> x = a.struct().members();
        List<Field> y = b.struct().members();
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (!x.get(i).name().equals(y.get(i).name()) || !sameShape(x.get(i), y.get(i))) {
                return false;
            }
        }
        return !a.isSection() || a.struct().version() == b.struct().version();
    }

    /** True when every value of {@code inner} is a value of {@code outer}. */
    private static boolean contains(Kind outer, Kind inner) {
        return min(outer).compareTo(min(inner)) <= 0 && max(outer).compareTo(max(inner)) >= 0;
    }

    private static BigInteger min(Kind k) {
        return k == Kind.U64 ? BigInteger.ZERO : BigInteger.valueOf(k.min());
    }

    private static BigInteger max(Kind k) {
        return k == Kind.U64 ? BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE) : BigInteger.valueOf(k.max());
    }

    private void add(Severity severity, Rule rule, String path, String message) {
        findings.add(new Finding(severity, rule, path, message));
    }

    private static Field byName(List<Field> members, String name) {
        int i = indexOf(members, name);
        return i < 0 ? null : members.get(i);
    }

    private static int indexOf(List<Field> members, String name) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(List<String> path, List<String> prefix) {
        return path.size() > prefix.size() && path.subList(0, prefix.size()).equals(prefix);
    }

    private static List<String> child(List<String> parent, String name) {
        List<String> p = new ArrayList<>(parent);
        p.add(name);
        return Collections.unmodifiableList(p);
    }

    private static List<Field> with(List<Field> containers, Field f) {
        List<Field> c = new ArrayList<>(containers);
        c.add(f);
        return Collections.unmodifiableList(c);
    }

    /** {@code state.serial/tsr.thr}; {@code ""} for the root. */
    static String render(List<String> path) {
        return String.join(".", path);
    }
}
