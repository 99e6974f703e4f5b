package dev.vmstate.compat;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Edits of one struct's member list, as operations need them. Each edit checks what it relies
 * on and fails with an {@link IllegalArgumentException} that names the member and the struct, so
 * a chain that does not fit its schema is rejected when it is built (#6).
 */
final class Members {
    private Members() {
    }

    /** The member {@code name} of {@code s}. */
    static Field require(Schema s, String name) {
        Field f = s.member(name);
        if (f == null) {
            throw new IllegalArgumentException("no member " + name + " in " + s.name() + " (members: "
                    + names(s) + ")");
        }
        return f;
    }

    /** The section member {@code name} of {@code s}. */
    static Field requireSection(Schema s, String name) {
        Field f = require(s, name);
        if (!f.isSection()) {
            throw new IllegalArgumentException(name + " in " + s.name() + " is a " + f.describe() + ", not a section");
        }
        return f;
    }

    /** The scalar integer member {@code name} of {@code s}, of kind {@code kind}. */
    static Field requireInteger(Schema s, String name, dev.vmstate.visitor.Kind kind) {
        Field f = require(s, name);
        if (f.kind() != kind) {
            throw new IllegalArgumentException(name + " in " + s.name() + " is a " + f.describe()
                    + ", expected " + kind.typeName());
        }
        return f;
    }

    static void requireAbsent(Schema s, String name) {
        if (s.member(name) != null) {
            throw new IllegalArgumentException("member " + name + " already exists in " + s.name());
        }
    }

    /** {@code s} without the member {@code name}. */
    static Schema without(Schema s, String name) {
        require(s, name);
        List<Field> out = new ArrayList<>(s.members());
        out.removeIf(f -> f.name().equals(name));
        return with(s, out);
    }

    /** {@code s} with the member {@code name} replaced, in place, by {@code replacements}. */
    static Schema replace(Schema s, String name, List<Field> replacements) {
        require(s, name);
        List<Field> out = new ArrayList<>();
        for (Field f : s.members()) {
            if (f.name().equals(name)) {
                out.addAll(replacements);
            } else {
                out.add(f);
            }
        }
        return with(s, out);
    }

    /**
     * {@code s} with {@code f} inserted after the member {@code after}: {@link Operation#FIRST}
     * puts it first; {@code null} puts a field after the last field (before the optional
     * sections, as visit order has them) and a section at the end.
     */
    static Schema insert(Schema s, Field f, String after) {
        requireAbsent(s, f.name());
        List<Field> out = new ArrayList<>(s.members());
        int at;
        if (Operation.FIRST.equals(after)) {
            at = 0;
        } else if (after == null) {
            at = out.size();
            if (!f.isSection()) {
                while (at > 0 && out.get(at - 1).isSection()) {
                    at--;
                }
            }
        } else {
            at = out.indexOf(require(s, after)) + 1;
        }
        out.add(at, f);
        return with(s, out);
    }

    /** The anchor that {@link #insert} needs to put the member {@code name} back where it is in {@code s}. */
    static String predecessor(Schema s, String name) {
        int i = s.members().indexOf(require(s, name));
        return i == 0 ? Operation.FIRST : s.members().get(i - 1).name();
    }

    /** {@code f} with its nested schema (struct, list element or section body) replaced. */
    static Field withStruct(Field f, Schema body) {
        return new Field(f.name(), f.kind(), f.size(), f.length(), f.element(), body, f.hint(), f.enumNames(),
                f.mustUnderstand());
    }

    private static Schema with(Schema s, List<Field> members) {
        Set<String> seen = new HashSet<>();
        for (Field f : members) {
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException("member " + f.name() + " would appear twice in " + s.name());
            }
        }
        return new Schema(s.name(), s.version(), s.minimumVersion(), members);
    }

    private static String names(Schema s) {
        return String.join(", ", s.members().stream().map(Field::name).toList());
    }
}
