package dev.vmstate.schema;

import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Kind;
import java.util.Map;
import java.util.Objects;

/**
 * One member of a {@link Schema}: a field or an optional section.
 *
 * @param name     unique within its struct
 * @param kind     the data-model kind
 * @param size     bytes of one element: the width of a scalar or array element, a buffer's length; -1 when variable
 * @param length   entries of a fixed array ({@link Kind#ARRAY}, or a {@link Kind#STRUCT} array); 0 otherwise
 * @param element  the element kind of {@link Kind#ARRAY} and {@link Kind#VARRAY}; {@code null} otherwise
 * @param struct   the schema of a struct, list element or section body; {@code null} otherwise
 * @param hint     how dumps present the value; {@code null} for none
 * @param enumNames code to name for {@link Kind#ENUM}; {@code null} otherwise
 * @param mustUnderstand whether a reader that does not know this member must refuse the state
 *                  rather than skip it (#6, docs/compat.md §5): a must-understand field always,
 *                  a must-understand section when it is present. Layout-neutral: two fields that
 *                  differ only in this flag are written with the same bytes
 * @since 0.1
 */
public record Field(String name, Kind kind, int size, int length, Kind element, Schema struct, Hint hint,
                    Map<Long, String> enumNames, boolean mustUnderstand) {

    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        enumNames = enumNames == null ? null : Map.copyOf(enumNames);
    }

    /** A member a reader may skip when it does not know it. */
    public Field(String name, Kind kind, int size, int length, Kind element, Schema struct, Hint hint,
                 Map<Long, String> enumNames) {
        this(name, kind, size, length, element, struct, hint, enumNames, false);
    }

    /** This member with its must-understand flag set to {@code flag}. */
    public Field withMustUnderstand(boolean flag) {
        return flag == mustUnderstand ? this
                : new Field(name, kind, size, length, element, struct, hint, enumNames, flag);
    }

    /** This member with another name, everything else kept. */
    public Field withName(String newName) {
        return new Field(newName, kind, size, length, element, struct, hint, enumNames, mustUnderstand);
    }

    public static Field scalar(String name, Kind kind, Hint hint) {
        return new Field(name, kind, kind.width(), 0, null, null, hint, null);
    }

    public static Field variable(String name, Kind kind) {
        return new Field(name, kind, -1, 0, null, null, null, null);
    }

    public static Field buffer(String name, int size) {
        return new Field(name, Kind.BUFFER, size, 0, null, null, null, null);
    }

    public static Field array(String name, Kind element, int length) {
        return new Field(name, Kind.ARRAY, element.width(), length, element, null, null, null);
    }

    public static Field varray(String name, Kind element) {
        return new Field(name, Kind.VARRAY, element.width(), 0, element, null, null, null);
    }

    /** A nested struct ({@code length} 0) or a fixed array of {@code length} structs. */
    public static Field struct(String name, Schema struct, int length) {
        return new Field(name, Kind.STRUCT, -1, length, null, struct, null, null);
    }

    public static Field list(String name, Schema element) {
        return new Field(name, Kind.LIST, -1, 0, null, element, null, null);
    }

    public static Field enumeration(String name, Map<Long, String> names) {
        return new Field(name, Kind.ENUM, 4, 0, null, null, null, names);
    }

    public static Field section(String name, Schema body) {
        return new Field(name, Kind.SECTION, -1, 0, null, body, null, null);
    }

    /** True for an optional section, false for a field. */
    public boolean isSection() {
        return kind == Kind.SECTION;
    }

    /** A short human description: {@code uint8}, {@code buffer[16]}, {@code uint16[8]}, {@code list<queue>}. */
    public String describe() {
        return switch (kind) {
            case BUFFER -> "buffer[" + size + "]";
            case ARRAY -> element.typeName() + "[" + length + "]";
            case VARRAY -> element.typeName() + "[]";
            case STRUCT -> length > 0 ? "struct " + struct.name() + "[" + length + "]" : "struct " + struct.name();
            case LIST -> "list<" + struct.name() + ">";
            case SECTION -> "section v" + struct.version();
            default -> kind.typeName();
        };
    }
}
