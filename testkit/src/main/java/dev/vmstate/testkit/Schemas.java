package dev.vmstate.testkit;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.SampleTrees;
import dev.vmstate.schema.Schema;
import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Kind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * Random {@link Schema}s, for properties that must hold whatever a device looks like (the
 * {@link FormatConformanceSuite}'s round trip). A schema has up to {@value #MAX_MEMBERS} fields
 * of every {@link Kind} per struct — scalars with and without presentation hints, strings,
 * bytes, buffers of 0..{@value #MAX_BUFFER} bytes, fixed and variable integer arrays, enums with
 * explicit code maps, nested structs, fixed struct arrays, lists — followed by optional sections,
 * as the visitor rules require. Field names are unique within their struct; nesting stops at
 * depth {@value #MAX_DEPTH}.
 *
 * <p>Every choice is one draw ({@link SampleTrees.Draw}), so the same code runs from
 * QuickTheories' randomness source, whose draws shrink towards zero (fewer members, the first
 * kind, shorter names, shallower nesting), and from a seeded {@link Random} for plain loops.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class Schemas {
    /** Deepest nesting of structs, lists and sections below the top-level struct. */
    public static final int MAX_DEPTH = 3;
    /** Most fields in the top-level struct; nested structs have fewer. */
    public static final int MAX_MEMBERS = 8;
    /** Largest buffer, in bytes. */
    public static final int MAX_BUFFER = 64;

    private static final Kind[] INTEGERS = {Kind.I8, Kind.I16, Kind.I32, Kind.I64, Kind.U8, Kind.U16, Kind.U32, Kind.U64};
    /** Kinds a field can have; the last three nest and are not drawn at the deepest level. */
    private static final Kind[] FIELD_KINDS = {Kind.U8, Kind.BOOL, Kind.I8, Kind.I16, Kind.I32, Kind.I64, Kind.U16,
        Kind.U32, Kind.U64, Kind.F64, Kind.STR, Kind.BYTES, Kind.BUFFER, Kind.ARRAY, Kind.VARRAY, Kind.ENUM,
        Kind.STRUCT, Kind.LIST, Kind.SECTION};
    private static final int NESTING_KINDS = 3;
    private static final String NAME_START = "abcdefghijklmnopqrstuvwxyz_";
    private static final String NAME_REST = "abcdefghijklmnopqrstuvwxyz0123456789_";

    private Schemas() {
    }

    /** Top-level schemas named {@code name}, at a version in 1..20 with a minimum version at most that. */
    public static Gen<Schema> schemas(String name) {
        return in -> generate(name, draw(in));
    }

    /** Top-level schemas named {@code device}, as {@link #schemas(String)}. */
    public static Gen<Schema> schemas() {
        return schemas("device");
    }

    /** One schema named {@code name} from {@code draw}. */
    public static Schema generate(String name, SampleTrees.Draw draw) {
        // #3: list elements take at least one byte (SchemaLimits refuses others), so that is the default
        return generate(name, draw, false);
    }

    /**
     * One schema named {@code name} from {@code draw}; with {@code emptyElements} false, every list
     * and struct-array element takes at least one byte in the body encoding. The hostile-input
     * properties want that: a list of zero-byte elements lets a 4-byte count create a million
     * elements from no input at all, a cost the default limits allow and no reader can avoid.
     */
    public static Schema generate(String name, SampleTrees.Draw draw, boolean emptyElements) {
        int version = (int) draw.between(1, 20);
        int minimum = (int) draw.between(1, version);
        return new Schema(name, version, minimum, members(draw, 0, new Context(emptyElements), false));
    }

    /** What one schema's generation shares across its structs. */
    private static final class Context {
        final boolean emptyElements;
        int sections;

        Context(boolean emptyElements) {
            this.emptyElements = emptyElements;
        }
    }

    /** A {@link SampleTrees.Draw} over QuickTheories' source, shrinking each draw towards 0 (or its minimum). */
    static SampleTrees.Draw draw(org.quicktheories.core.RandomnessSource in) {
        return (min, max) -> in.next(Constraint.between(min, max).withShrinkPoint(Math.max(min, Math.min(max, 0))));
    }

    /** A {@link SampleTrees.Draw} over a seeded {@link Random}, uniform in each range. */
    public static SampleTrees.Draw draw(Random random) {
        return (min, max) -> {
            long span = max - min + 1;
            if (span <= 0) {
                // The whole long range (or more than half of it): any value is in range or re-drawn.
                long v;
                do {
                    v = random.nextLong();
                } while (v < min || v > max);
                return v;
            }
            return min + Math.floorMod(random.nextLong(), span);
        };
    }

    private static List<Field> members(SampleTrees.Draw draw, int depth, Context ctx, boolean repeated) {
        int maxFields = depth == 0 ? MAX_MEMBERS : Math.max(1, MAX_MEMBERS / (depth + 1));
        int fields = (int) draw.between(0, maxFields);
        Set<String> used = new HashSet<>();
        List<Field> out = new ArrayList<>();
        List<Field> sections = new ArrayList<>();
        int kinds = depth >= MAX_DEPTH ? FIELD_KINDS.length - NESTING_KINDS : FIELD_KINDS.length;
        for (int i = 0; i < fields; i++) {
            Kind kind = FIELD_KINDS[(int) draw.between(0, kinds - 1)];
            String name = uniqueName(draw, used);
            if (kind == Kind.SECTION) {
                // QEMU names subsections "<device>/<what>", unique in the device: a reader finds a section by
                // its name alone, so a nested struct's section must not share the name of its parent's.
                String sectionName = name + "/s" + ctx.sections++;
                used.add(sectionName);
                int version = (int) draw.between(1, 5);
                sections.add(Field.section(sectionName,
                        new Schema(sectionName, version, version, members(draw, depth + 1, ctx, false)))
                        .withMustUnderstand(draw.between(0, 7) == 7));
            } else {
                // #6: one member in eight is must-understand, so every format must carry the flag
                out.add(field(name, kind, draw, depth, ctx).withMustUnderstand(draw.between(0, 7) == 7));
            }
        }
        // A reader takes a section as present when the next bytes are its marker and name. In a list of
        // structs with no field bytes, element i+1's section would directly follow element i's fields and
        // be read as element i's: the body encoding (QEMU's too) cannot tell them apart. Give them a byte.
        boolean needsBytes = depth > 0 && !sections.isEmpty() || repeated && !ctx.emptyElements;
        if (needsBytes && out.stream().allMatch(f -> minimumSize(f) == 0)) {
            String pad = "pad";
            for (int n = 2; used.contains(pad); n++) {
                pad = "pad_" + n;
            }
            out.add(0, Field.scalar(pad, Kind.U8, null));
        }
        // Sections come after every field of their struct, as QEMU writes subsections.
        out.addAll(sections);
        return out;
    }

    /** The fewest bytes {@code f} takes in the body encoding. */
    private static long minimumSize(Field f) {
        return switch (f.kind()) {
            case BUFFER -> f.size();
            case ARRAY -> (long) f.length() * f.element().width();
            case STR, BYTES, VARRAY, LIST -> 4;
            case STRUCT -> Math.max(1, f.length()) * f.struct().fields().stream().mapToLong(Schemas::minimumSize).sum();
            case SECTION -> 0;
            default -> f.kind().width();
        };
    }

    private static String uniqueName(SampleTrees.Draw draw, Set<String> used) {
        int length = (int) draw.between(1, 8);
        StringBuilder sb = new StringBuilder(length);
        sb.append(NAME_START.charAt((int) draw.between(0, NAME_START.length() - 1)));
        for (int i = 1; i < length; i++) {
            sb.append(NAME_REST.charAt((int) draw.between(0, NAME_REST.length() - 1)));
        }
        String name = sb.toString();
        // Shrinking drives every name towards "a": number the duplicates rather than re-drawing.
        for (int n = 2; !used.add(name); n++) {
            name = sb + "_" + n;
        }
        return name;
    }

    private static Field field(String name, Kind kind, SampleTrees.Draw draw, int depth, Context ctx) {
        switch (kind) {
            case STR:
            case BYTES:
                return Field.variable(name, kind);
            case BUFFER:
                return Field.buffer(name, (int) draw.between(0, MAX_BUFFER));
            case ARRAY:
                return withHint(Field.array(name, integer(draw), (int) draw.between(0, 8)), hint(draw));
            case VARRAY:
                return Field.varray(name, integer(draw));
            case ENUM:
                return Field.enumeration(name, enumNames(draw));
            case STRUCT: {
                // Length 0 is one nested struct; 1..3 a fixed struct array (QEMU's VMSTATE_STRUCT_ARRAY).
                int length = (int) draw.between(0, 3);
                return Field.struct(name, nested(draw, depth, ctx, length > 0), length);
            }
            case LIST:
                return Field.list(name, nested(draw, depth, ctx, true));
            case BOOL:
            case F64:
                return Field.scalar(name, kind, null);
            default:
                return Field.scalar(name, kind, hint(draw));
        }
    }

    private static Schema nested(SampleTrees.Draw draw, int depth, Context ctx, boolean repeated) {
        int version = (int) draw.between(0, 3);
        return new Schema("t" + draw.between(0, 99), version, version, members(draw, depth + 1, ctx, repeated));
    }

    private static Kind integer(SampleTrees.Draw draw) {
        return INTEGERS[(int) draw.between(0, INTEGERS.length - 1)];
    }

    private static Map<Long, String> enumNames(SampleTrees.Draw draw) {
        int count = (int) draw.between(1, 4);
        Map<Long, String> names = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            // Codes are u32 on the wire: test both ends of the range, not only 0, 1, 2.
            long code = draw.between(0, 0xFFFF_FFFFL);
            while (names.containsKey(code)) {
                code = (code + 1) & 0xFFFF_FFFFL;
            }
            names.put(code, "V" + i);
        }
        return names;
    }

    private static Hint hint(SampleTrees.Draw draw) {
        return switch ((int) draw.between(0, 7)) {
            case 4 -> Hint.HEX;
            case 5 -> Hint.TIMER;
            case 6 -> Hint.flags("EN", "", "ERR");
            case 7 -> Hint.names(Map.of(0L, "off", 1L, "on"));
            default -> null;
        };
    }

    private static Field withHint(Field f, Hint hint) {
        return new Field(f.name(), f.kind(), f.size(), f.length(), f.element(), f.struct(), hint, f.enumNames(),
                f.mustUnderstand());
    }
}
