package dev.vmstate.schema;

import java.util.List;
import java.util.Objects;

/**
 * The shape of a device's state, or of a struct nested in it: its name, version, minimum
 * version, and its members in visit order (fields, then optional sections). Produced by
 * describing a device ({@code Visitables.describe}), exported and imported as JSON shaped like
 * QEMU's vmdesc ({@link SchemaJson}, {@code docs/schema.md}).
 *
 * <p>Immutable and thread-safe; equality is structural, hints included.
 *
 * @since 0.1
 */
public final class Schema {
    private final String name;
    private final int version;
    private final int minimumVersion;
    private final List<Field> members;

    public Schema(String name, int version, int minimumVersion, List<Field> members) {
        this.name = Objects.requireNonNull(name, "name");
        this.version = version;
        this.minimumVersion = minimumVersion;
        this.members = List.copyOf(members);
    }

    /** The device type, struct type or section name. */
    public String name() {
        return name;
    }

    public int version() {
        return version;
    }

    /** The oldest version a reader of this schema still accepts; equals {@link #version()} for nested structs. */
    public int minimumVersion() {
        return minimumVersion;
    }

    /** Fields and sections in visit order. */
    public List<Field> members() {
        return members;
    }

    /** The fields, without the optional sections. */
    public List<Field> fields() {
        return members.stream().filter(f -> !f.isSection()).toList();
    }

    /** The optional sections. */
    public List<Field> sections() {
        return members.stream().filter(Field::isSection).toList();
    }

    /** The member called {@code memberName}, or {@code null}. */
    public Field member(String memberName) {
        for (Field f : members) {
            if (f.name().equals(memberName)) {
                return f;
            }
        }
        return null;
    }

    /** This schema under another version range. */
    public Schema withVersions(int newVersion, int newMinimumVersion) {
        return new Schema(name, newVersion, newMinimumVersion, members);
    }

    /** Fields in this schema, counted through nested structs, list elements and sections (each once). */
    public int leafCount() {
        int n = 0;
        for (Field f : members) {
            n += f.struct() != null ? f.struct().leafCount() : 1;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schema s && s.name.equals(name) && s.version == version
                && s.minimumVersion == minimumVersion && s.members.equals(members);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, version, minimumVersion, members);
    }

    @Override
    public String toString() {
        return SchemaJson.toJson(this);
    }
}
