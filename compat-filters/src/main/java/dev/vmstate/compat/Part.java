package dev.vmstate.compat;

import dev.vmstate.schema.Field;
import dev.vmstate.visitor.Kind;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One field of a {@link Split} or {@link Merge}: bits {@code shift .. shift + bits - 1} of the
 * whole integer, as an unsigned integer field of its own.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name  the part's field name
 * @param kind  an unsigned integer kind at least {@code bits} wide
 * @param shift the lowest bit of the whole that the part holds
 * @param bits  how many bits the part holds, 1..64
 * @since 0.1
 */
public record Part(String name, Kind kind, int shift, int bits) {

    public Part {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a part needs a name");
        }
        if (kind != Kind.U8 && kind != Kind.U16 && kind != Kind.U32 && kind != Kind.U64) {
            throw new IllegalArgumentException("part " + name + " is " + kind.typeName()
                    + ", expected an unsigned integer kind");
        }
        if (bits < 1 || bits > kind.width() * 8 || shift < 0 || shift > 63) {
            throw new IllegalArgumentException("part " + name + " holds bits " + shift + ".." + (shift + bits - 1)
                    + " in a " + kind.typeName() + ", expected 1.." + kind.width() * 8 + " bits from bit 0..63");
        }
    }

    /** The bits of the whole this part holds. */
    long mask() {
        return IntRanges.mask(bits) << shift;
    }

    Field field() {
        return Field.scalar(name, kind, null);
    }

    /** {@code hi[8..15] uint8}. */
    String describe() {
        return name + "[" + shift + ".." + (shift + bits - 1) + "] " + kind.typeName();
    }

    /** Checks that {@code parts} are a non-empty list of distinct, non-overlapping bit ranges of a {@code whole}. */
    static List<Part> checkAll(Kind whole, List<Part> parts, String what) {
        Objects.requireNonNull(whole, "kind");
        if (!whole.isInteger()) {
            throw new IllegalArgumentException(what + ": " + whole.typeName() + " is not an integer kind");
        }
        List<Part> copy = List.copyOf(parts);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException(what + ": no parts");
        }
        int width = whole.width() * 8;
        long used = 0;
        Set<String> names = new HashSet<>();
        for (Part p : copy) {
            if (p.shift + p.bits > width) {
                throw new IllegalArgumentException(what + ": part " + p.describe() + " lies outside the "
                        + width + " bits of " + whole.typeName());
            }
            if ((used & p.mask()) != 0) {
                throw new IllegalArgumentException(what + ": part " + p.describe() + " overlaps another part");
            }
            if (!names.add(p.name)) {
                throw new IllegalArgumentException(what + ": part name " + p.name + " is used twice");
            }
            used |= p.mask();
        }
        return copy;
    }

    /** The bits of a {@code whole} that {@code parts} cover. */
    static long covered(List<Part> parts) {
        long m = 0;
        for (Part p : parts) {
            m |= p.mask();
        }
        return m;
    }

    static String describeAll(List<Part> parts) {
        return String.join(", ", parts.stream().map(Part::describe).toList());
    }
}
