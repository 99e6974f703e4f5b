package dev.vmstate.tree;

import dev.vmstate.visitor.Kind;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A generic, immutable value tree holding a device's state without its Java class: what the tree
 * out visitor produces, the tree in visitor consumes, and diff, print and the text formats work
 * on. One node type per kind of the data model.
 *
 * <p>All nodes are immutable (arrays are copied in and out) and thread-safe; equality is by value,
 * with {@code f64} compared by bit pattern so that NaN equals itself.
 *
 * @since 0.1
 */
public sealed interface StateTree {

    /** The data-model kind of this node. */
    Kind kind();

    /** {@link Kind#BOOL}. */
    record BoolValue(boolean value) implements StateTree {
        @Override
        public Kind kind() {
            return Kind.BOOL;
        }

        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    /** One of the eight integer kinds; {@code u64} is carried as its bit pattern. */
    record IntValue(Kind kind, long value) implements StateTree {
        public IntValue {
            if (!kind.isInteger()) {
                throw new IllegalArgumentException(kind + " is not an integer kind");
            }
        }

        @Override
        public String toString() {
            return kind == Kind.U64 ? Long.toUnsignedString(value) : Long.toString(value);
        }
    }

    /** {@link Kind#F64}. */
    record F64Value(double value) implements StateTree {
        @Override
        public Kind kind() {
            return Kind.F64;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof F64Value f && Double.doubleToRawLongBits(f.value) == Double.doubleToRawLongBits(value);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(Double.doubleToRawLongBits(value));
        }

        @Override
        public String toString() {
            return Double.toString(value);
        }
    }

    /** {@link Kind#STR}. */
    record StrValue(String value) implements StateTree {
        public StrValue {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Kind kind() {
            return Kind.STR;
        }

        @Override
        public String toString() {
            return '"' + value + '"';
        }
    }

    /** {@link Kind#BYTES} or {@link Kind#BUFFER}. */
    final class BytesValue implements StateTree {
        private final Kind kind;
        private final byte[] bytes;

        public BytesValue(Kind kind, byte[] bytes) {
            if (kind != Kind.BYTES && kind != Kind.BUFFER) {
                throw new IllegalArgumentException(kind + " is not a byte kind");
            }
            this.kind = kind;
            this.bytes = bytes.clone();
        }

        @Override
        public Kind kind() {
            return kind;
        }

        /** A copy of the bytes. */
        public byte[] bytes() {
            return bytes.clone();
        }

        public int length() {
            return bytes.length;
        }

        /** Copies the bytes into {@code dst} from index 0; {@code dst} must be long enough. */
        public void copyTo(byte[] dst) {
            System.arraycopy(bytes, 0, dst, 0, bytes.length);
        }

        public byte byteAt(int index) {
            return bytes[index];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BytesValue b && b.kind == kind && Arrays.equals(b.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return kind.hashCode() * 31 + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return HexFormat.of().formatHex(bytes);
        }
    }

    /** {@link Kind#ARRAY} or {@link Kind#VARRAY} of the integer kind {@code element}. */
    final class ArrayValue implements StateTree {
        private final Kind kind;
        private final Kind element;
        private final long[] values;

        public ArrayValue(Kind kind, Kind element, long[] values) {
            if ((kind != Kind.ARRAY && kind != Kind.VARRAY) || !element.isInteger()) {
                throw new IllegalArgumentException(kind + " of " + element + " is not an integer array");
            }
            this.kind = kind;
            this.element = element;
            this.values = values.clone();
        }

        @Override
        public Kind kind() {
            return kind;
        }

        public Kind element() {
            return element;
        }

        /** A copy of the values. */
        public long[] values() {
            return values.clone();
        }

        public int length() {
            return values.length;
        }

        public long get(int index) {
            return values[index];
        }

        public void copyTo(long[] dst) {
            System.arraycopy(values, 0, dst, 0, values.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ArrayValue a && a.kind == kind && a.element == element && Arrays.equals(a.values, values);
        }

        @Override
        public int hashCode() {
            return (kind.hashCode() * 31 + element.hashCode()) * 31 + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /** {@link Kind#ENUM}: the wire code and, where the writer knew it, the constant's name. */
    record EnumValue(long code, String name) implements StateTree {
        @Override
        public Kind kind() {
            return Kind.ENUM;
        }

        /** Codes alone decide equality: a name is presentation. */
        @Override
        public boolean equals(Object o) {
            return o instanceof EnumValue e && e.code == code;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(code);
        }

        @Override
        public String toString() {
            return name == null ? Long.toString(code) : name + "(" + code + ")";
        }
    }

    /** A struct ({@link Kind#STRUCT}): members in visit order, sections included as {@link SectionValue}. */
    final class StructValue implements StateTree {
        private final String type;
        private final Map<String, StateTree> members;

        public StructValue(String type, Map<String, StateTree> members) {
            this(type, new LinkedHashMap<>(members), true);
        }

        private StructValue(String type, LinkedHashMap<String, StateTree> owned, boolean unused) {
            this.type = type;
            this.members = Collections.unmodifiableMap(owned);
        }

        /**
         * A struct that takes {@code members} over instead of copying it, for code that has just
         * built the map (readers, converters): the caller must not touch the map afterwards.
         */
        public static StructValue owning(String type, LinkedHashMap<String, StateTree> members) {
            return new StructValue(type, java.util.Objects.requireNonNull(members, "members"), true);
        }

        @Override
        public Kind kind() {
            return Kind.STRUCT;
        }

        /** The struct's type name, as in its schema. */
        public String type() {
            return type;
        }

        /** Members in visit order; absent sections are not members. */
        public Map<String, StateTree> members() {
            return members;
        }

        public StateTree get(String name) {
            return members.get(name);
        }

        /** Structs are equal when their members are; the type name is presentation. */
        @Override
        public boolean equals(Object o) {
            return o instanceof StructValue s && s.members.equals(members);
        }

        @Override
        public int hashCode() {
            return members.hashCode();
        }

        @Override
        public String toString() {
            return members.toString();
        }
    }

    /**
     * Several structs of one type: a fixed-length struct array ({@link Kind#STRUCT}) or a
     * variable-length list ({@link Kind#LIST}).
     */
    record ListValue(Kind kind, List<StructValue> items) implements StateTree {
        public ListValue {
            if (kind != Kind.STRUCT && kind != Kind.LIST) {
                throw new IllegalArgumentException(kind + " is not a struct sequence");
            }
            items = List.copyOf(items);
        }
    }

    /** A section that is present, with the version it was written with. */
    record SectionValue(int version, StructValue body) implements StateTree {
        @Override
        public Kind kind() {
            return Kind.SECTION;
        }
    }
}
