package dev.vmstate.format.protobuf;

import static dev.vmstate.format.protobuf.ProtobufConstants.I64;
import static dev.vmstate.format.protobuf.ProtobufConstants.LEN;
import static dev.vmstate.format.protobuf.ProtobufConstants.VARINT;
import static dev.vmstate.format.protobuf.ProtobufConstants.tag;

import com.google.protobuf.CodedInputStream;
import dev.vmstate.error.Errors;
import dev.vmstate.error.VersionException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.internal.Utf8;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Loads a device's state straight from its {@code State} message ({@code docs/formats/protobuf.md}
 * §3) into the target's visit: each call of the target takes the next member of the stream's
 * schema, which must have the same name and kind, and reads its field (number: member index + 1)
 * with protobuf-java's {@link CodedInputStream}. Each nested message is a frame
 * ({@code pushLimit}/{@code popLimit}): no read passes its end, and a struct must end exactly
 * where its last member does.
 *
 * <p>Every declared length is checked against what is left of its message and against
 * {@link ReadLimits} before anything is allocated for it; lists and packed arrays are counted by a
 * scan of their bytes first, so a count is never taken from a claim. Every error carries the
 * field path and the absolute offset of the field's tag (of the element, inside a packed array).
 *
 * <p>Buffers, fixed arrays and lists of the right length are loaded in place, as
 * {@link dev.vmstate.binary.BinaryLoadVisitor} does. Scalars allocate nothing. One instance per
 * section; not thread-safe.
 */
final class ProtobufLoadVisitor implements Visitor {
    private final ReadLimits limits;
    private byte[] buf;
    private int origin;
    private long base;
    private CodedInputStream in;
    /** The tag read ahead: -1 for none, 0 at the end of the current message. */
    private int pending = -1;
    /** Index in {@link #buf} of the pending tag's first byte. */
    private int pendingAt;
    /** Index in {@link #buf} of the tag of the field being read, where its errors point. */
    private int fieldAt;
    /** Where {@link #rawVarint} stopped. */
    private int scan;
    private Schema[] schemas = new Schema[16];
    private int[] indexes = new int[16];
    private int top;
    private Schema schema;
    /** Index of the next member of {@link #schema}; after {@link #member}, the field number of the one taken. */
    private int index;
    /** The versions of the present sections, in visit order: a generic target would lose them. */
    private int[] versions = new int[4];
    private int sectionCount;
    private boolean olderSection;

    /** A visitor for the states of one reader; {@link #reset} gives it each state. */
    ProtobufLoadVisitor(ReadLimits limits) {
        this.limits = limits;
    }

    /**
     * Makes this visitor read the state {@code buf[from, from + length)}; {@code base} is the
     * absolute offset of {@code buf[0]}. Its arrays are kept: a reader uses one visitor for all
     * its sections.
     */
    ProtobufLoadVisitor reset(byte[] buf, int from, int length, long base) {
        this.buf = buf;
        this.origin = from;
        this.base = base;
        // pushes the state's length as the first limit: the outermost frame
        this.in = CodedInputStream.newInstance(buf, from, length);
        pending = -1;
        top = 0;
        schema = null;
        index = 0;
        sectionCount = 0;
        olderSection = false;
        return this;
    }

    /** Loads the state of {@code s} into {@code target}, to the end of the state's bytes. */
    void load(Schema s, Visitable target) {
        open(s, pos());
        target.visit(this);
        close();
    }

    /** The versions of the present sections in visit order, or null when all are their schema's. */
    int[] sectionVersions() {
        return olderSection ? Arrays.copyOf(versions, sectionCount) : null;
    }

    // ---------------------------------------------------------------- wire

    private <E extends VmstateException> E at(E e, int index) {
        e.atOffset(base + index);
        return e;
    }

    /** Index in {@link #buf} of the next unread byte. */
    private int pos() {
        return origin + in.getTotalBytesRead();
    }

    private VmstateException wire(IOException e, int index) {
        return at(ProtobufErrors.fromProtobuf(e), index);
    }

    private long varint() {
        int at = pos();
        try {
            return in.readRawVarint64();
        } catch (IOException e) {
            throw wire(e, at);
        }
    }

    private long fixed64() {
        int at = pos();
        try {
            return in.readRawLittleEndian64();
        } catch (IOException e) {
            throw wire(e, at);
        }
    }

    private void skip(int n) {
        try {
            in.skipRawBytes(n);
        } catch (IOException e) {
            throw wire(e, pos());
        }
    }

    /** The next tag without taking it: 0 at the end of the current message. */
    private int peek() {
        if (pending < 0) {
            pendingAt = pos();
            try {
                pending = in.readTag();
            } catch (IOException e) {
                throw wire(e, pendingAt);
            }
        }
        return pending;
    }

    private static String found(int tag) {
        return tag == 0 ? "the end of the struct"
                : "field " + (tag >>> 3) + " with wire type " + ProtobufConstants.wireTypeName(tag & 7);
    }

    /**
     * Takes the next tag, which must be field {@code number} with {@code wireType}; {@code what}
     * (a {@link Field}, described only on failure, or a {@code String}) names it in a message.
     */
    private void expect(int number, int wireType, Object what) {
        int t = peek();
        if (t != tag(number, wireType)) {
            String name = what instanceof Field f ? f.describe() : (String) what;
            throw at(ProtobufErrors.fieldMismatch(found(t), number, name, wireType), pendingAt);
        }
        fieldAt = pendingAt;
        pending = -1;
    }

    /** A length that must fit in what is left of the current message; checked before anything is read for it. */
    private int length(String what) {
        int at = pos();
        long n = varint();
        int left = in.getBytesUntilLimit();
        if (n < 0 || n > left) {
            throw at(ProtobufErrors.pastEnd(n, what, left), at);
        }
        return (int) n;
    }

    /** Enters the message whose length comes next; returns the limit {@link #leave} restores. */
    private int enter(String what) {
        int at = pos();
        int n = length(what);
        try {
            return in.pushLimit(n);
        } catch (IOException e) {
            throw wire(e, at);
        }
    }

    private void leave(int oldLimit) {
        in.popLimit(oldLimit);
        pending = -1;
    }

    /** The varint at {@code p} in {@link #buf}, ending before {@code end}, or -1 when it does not; {@link #scan} is after it. */
    private long rawVarint(int p, int end) {
        long v = 0;
        for (int i = 0; i < 10 && p < end; i++) {
            int b = buf[p++];
            v |= (long) (b & 0x7F) << (7 * i);
            if (b >= 0) {
                scan = p;
                return v;
            }
        }
        return -1;
    }

    /**
     * Occurrences of the length-delimited field {@code tag} from the pending tag on, one after the
     * other, counted by skipping their bytes: a list's length before any entry is made. Stops at
     * the first anything else; the reads that follow report what is wrong with it.
     */
    private int countRepeated(int tag) {
        peek();
        int end = pos() + in.getBytesUntilLimit();
        int p = pendingAt;
        int count = 0;
        while (p < end && count <= limits.maxListLength()) {
            if (rawVarint(p, end) != tag) {
                break;
            }
            long n = rawVarint(scan, end);
            if (n < 0 || n > end - scan) {
                break;
            }
            p = scan + (int) n;
            count++;
        }
        try {
            limits.checkListLength(count);
        } catch (VmstateException e) {
            throw at(e, pendingAt);
        }
        return count;
    }

    // ---------------------------------------------------------------- structs

    private void open(Schema s, int at) {
        if (top > 0 || schema != null) {
            if (top == schemas.length) {
                schemas = Arrays.copyOf(schemas, top * 2);
                indexes = Arrays.copyOf(indexes, top * 2);
            }
            schemas[top] = schema;
            indexes[top] = index;
            top++;
        }
        try {
            limits.checkDepth(top);
        } catch (VmstateException e) {
            throw at(e, at);
        }
        schema = s;
        index = 0;
    }

    /** Ends a struct: members the target did not visit must be absent sections, and the message must end. */
    private void close() {
        List<Field> m = schema.members();
        while (index < m.size()) {
            Field f = m.get(index++);
            if (!f.isSection() || peek() == tag(index, LEN)) {
                throw at(Errors.unknownFields(List.of(f.name())), pendingAt);
            }
        }
        int t = peek();
        if (t != 0) {
            throw at(ProtobufErrors.afterLastMember(t >>> 3, t & 7), pendingAt);
        }
        if (top > 0) {
            top--;
            schema = schemas[top];
            index = indexes[top];
            schemas[top] = null;
        } else {
            schema = null;
        }
    }

    /** The stream's member the target visits now; null for a section the stream's schema does not have. */
    private Field member(String name, Kind kind) {
        List<Field> m = schema.members();
        if (index < m.size()) {
            Field f = m.get(index);
            if (f.name().equals(name)) {
                if (f.kind() != kind) {
                    throw at(Errors.kindMismatch(name, f.kind().typeName(), kind.typeName()), peekAt());
                }
                index++;
                return f;
            }
        }
        if (kind == Kind.SECTION && schema.member(name) == null) {
            return null;
        }
        if (schema.member(name) == null) {
            throw at(Errors.missingField(name), peekAt());
        }
        throw at(Errors.unknownFields(List.of(m.get(index).name())), peekAt());
    }

    /** Where the next field starts, for an error about it. */
    private int peekAt() {
        return pending >= 0 ? pendingAt : pos();
    }

    /** A nested {@code State} whose tag was taken: its frame, its members, its end. */
    private void nested(Schema s, Visitable v, String what) {
        int old = enter(what);
        open(s, fieldAt);
        v.visit(this);
        close();
        leave(old);
    }

    // ---------------------------------------------------------------- scalars

    /** Field {@code index} of {@code f}, a varint or fixed64 of {@code kind}, range-checked; u64 as its bits. */
    private long integer(Field f, Kind kind) {
        expect(index, kind == Kind.U64 ? I64 : VARINT, f);
        return value(kind, fieldAt);
    }

    /** One integer of {@code kind} at the read position; {@code at} is where an error points. */
    private long value(Kind kind, int at) {
        switch (kind) {
            case U64:
                return fixed64();
            case I8, I16, I32, I64: {
                long v = CodedInputStream.decodeZigZag64(varint());
                if (v < kind.min() || v > kind.max()) {
                    throw at(ProtobufErrors.outOfRange(Long.toString(v), kind.typeName(), Long.toString(kind.min()),
                            Long.toString(kind.max())), at);
                }
                return v;
            }
            default: {
                long v = varint();
                if (v < 0 || v > kind.max()) {
                    throw at(ProtobufErrors.outOfRange(Long.toUnsignedString(v), kind.typeName(), "0",
                            Long.toString(kind.max())), at);
                }
                return v;
            }
        }
    }

    private long scalar(String name, Kind kind) {
        Field f = member(name, kind);
        try {
            return integer(f, kind);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public boolean bool(String name, boolean value) {
        Field f = member(name, Kind.BOOL);
        try {
            expect(index, VARINT, f);
            long v = varint();
            if (v != 0 && v != 1) {
                throw at(ProtobufErrors.outOfRange(Long.toUnsignedString(v), "bool", "0", "1"), fieldAt);
            }
            return v == 1;
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public int i8(String name, int value) {
        return (int) scalar(name, Kind.I8);
    }

    @Override
    public int i16(String name, int value) {
        return (int) scalar(name, Kind.I16);
    }

    @Override
    public int i32(String name, int value) {
        return (int) scalar(name, Kind.I32);
    }

    @Override
    public long i64(String name, long value) {
        return scalar(name, Kind.I64);
    }

    @Override
    public int u8(String name, int value) {
        return (int) scalar(name, Kind.U8);
    }

    @Override
    public int u16(String name, int value) {
        return (int) scalar(name, Kind.U16);
    }

    @Override
    public long u32(String name, long value) {
        return scalar(name, Kind.U32);
    }

    @Override
    public long u64(String name, long value) {
        return scalar(name, Kind.U64);
    }

    @Override
    public double f64(String name, double value) {
        Field f = member(name, Kind.F64);
        try {
            expect(index, I64, f);
            return Double.longBitsToDouble(fixed64());
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    // ---------------------------------------------------------------- length-delimited values

    @Override
    public String str(String name, String value) {
        Field f = member(name, Kind.STR);
        try {
            expect(index, LEN, f);
            int n = (int) checked(varint(), limits::checkStringLength, "a string");
            int from = pos();
            int bad = Utf8.firstInvalid(buf, from, n);
            if (bad >= 0) {
                throw at(ProtobufErrors.badUtf8(buf[from + bad] & 0xFF, bad), fieldAt);
            }
            skip(n);
            for (int i = from; i < from + n; i++) {
                if (buf[i] < 0) {
                    return new String(buf, from, n, StandardCharsets.UTF_8);
                }
            }
            return new String(buf, from, n, StandardCharsets.ISO_8859_1); // ASCII: no decoder
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    private interface LimitCheck {
        void check(long length);
    }

    /** A length just read: checked against {@code limit} (a {@code ReadLimits} setting), then against what is left. */
    private long checked(long n, LimitCheck limit, String what) {
        int left = in.getBytesUntilLimit();
        try {
            limit.check(n);
        } catch (VmstateException e) {
            throw at(e, fieldAt);
        }
        if (n < 0 || n > left) {
            throw at(ProtobufErrors.pastEnd(n, what, left), fieldAt);
        }
        return n;
    }

    /** The next {@code n} bytes into {@code dst} when it has that length, else into a new array. */
    private byte[] copy(byte[] dst, int n) {
        byte[] out = dst != null && dst.length == n ? dst : new byte[n];
        System.arraycopy(buf, pos(), out, 0, n);
        skip(n);
        return out;
    }

    @Override
    public byte[] bytes(String name, byte[] value) {
        Field f = member(name, Kind.BYTES);
        try {
            expect(index, LEN, f);
            return copy(value, (int) checked(varint(), limits::checkBytesLength, "a byte string"));
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public byte[] buffer(String name, byte[] value, int size) {
        Field f = member(name, Kind.BUFFER);
        try {
            expect(index, LEN, f);
            long n = checked(varint(), limits::checkBytesLength, "a buffer");
            if (n != f.size() || n != size) {
                throw at(ProtobufErrors.lengthMismatch("buffer", n, size), fieldAt);
            }
            return copy(value, (int) n);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    /**
     * A packed array of {@code element}: its elements counted from its bytes first (a varint ends
     * at each byte below 0x80; fixed64 elements are 8 bytes), then decoded in a frame of their own.
     * {@code expected} is a fixed array's length, or -1 for a variable one.
     */
    private long[] packed(Field f, Kind element, long[] dst, int expected) {
        if (element != f.element()) {
            throw at(Errors.kindMismatch(f.name(), f.element().typeName() + " array", element.typeName() + " array"),
                    peekAt());
        }
        expect(index, LEN, f);
        int at = pos();
        int n = length("a packed array");
        int from = pos();
        int count;
        if (element == Kind.U64) {
            if (n % 8 != 0) {
                throw at(ProtobufErrors.packedFixed64(n), fieldAt);
            }
            count = n / 8;
        } else {
            count = 0;
            for (int i = from; i < from + n; i++) {
                if (buf[i] >= 0) {
                    count++;
                }
            }
            if (n > 0 && buf[from + n - 1] < 0) {
                throw at(ProtobufErrors.truncated("a varint of a packed array"), from + n - 1);
            }
        }
        try {
            limits.checkListLength(count);
        } catch (VmstateException e) {
            throw at(e, fieldAt);
        }
        if (expected >= 0 && (count != f.length() || count != expected)) {
            throw at(ProtobufErrors.lengthMismatch("array", count, expected), fieldAt);
        }
        long[] out = dst != null && dst.length == count ? dst : new long[count];
        int old;
        try {
            old = in.pushLimit(n);
        } catch (IOException e) {
            throw wire(e, at);
        }
        for (int i = 0; i < count; i++) {
            try {
                out[i] = value(element, pos());
            } catch (VmstateException e) {
                throw e.prependIndex(i);
            }
        }
        leave(old);
        return out;
    }

    @Override
    public long[] array(String name, Kind element, long[] values) {
        Field f = member(name, Kind.ARRAY);
        try {
            return packed(f, element, values, values.length);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public long[] varray(String name, Kind element, long[] values) {
        Field f = member(name, Kind.VARRAY);
        try {
            return packed(f, element, values, -1);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    // ---------------------------------------------------------------- structs, lists, enums, sections

    @Override
    public <T extends Visitable> T struct(String name, T value) {
        Field f = member(name, Kind.STRUCT);
        try {
            if (f.length() != 0) {
                throw at(Errors.kindMismatch(name, "struct array", "struct"), peekAt());
            }
            expect(index, LEN, f);
            nested(f.struct(), value, "a struct");
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        return value;
    }

    @Override
    public <T extends Visitable> T[] structs(String name, T[] values) {
        Field f = member(name, Kind.STRUCT);
        int number = index;
        int n;
        try {
            n = countRepeated(tag(number, LEN));
            if (f.length() == 0 || n != f.length() || n != values.length) {
                throw at(ProtobufErrors.lengthMismatch("struct array", n, values.length), peekAt());
            }
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        for (int i = 0; i < n; i++) {
            try {
                expect(number, LEN, f);
                nested(f.struct(), values[i], "a struct");
            } catch (VmstateException e) {
                throw e.prependIndex(i).prependField(name);
            }
        }
        return values;
    }

    @Override
    public <T extends Visitable> List<T> list(String name, List<T> values, Supplier<T> factory) {
        Field f = member(name, Kind.LIST);
        int number = index;
        int n;
        try {
            n = countRepeated(tag(number, LEN));
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        // Entries the target already has are loaded in place; only the rest come from the factory.
        boolean reuse = values != null && values.size() == n;
        List<T> out = reuse ? values : new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            T item = reuse ? values.get(i) : factory.get();
            try {
                expect(number, LEN, f);
                nested(f.struct(), item, "a struct");
            } catch (VmstateException e) {
                throw e.prependIndex(i).prependField(name);
            }
            if (!reuse) {
                out.add(item);
            }
        }
        return out;
    }

    @Override
    public long enumCode(String name, long code, Map<Long, String> names) {
        Field f = member(name, Kind.ENUM);
        try {
            long read = integer(f, Kind.ENUM);
            if (!f.enumNames().containsKey(read)) {
                List<Long> codes = new ArrayList<>(f.enumNames().keySet());
                codes.sort(null);
                throw at(ProtobufErrors.unknownEnumCode(read, codes), fieldAt);
            }
            return read;
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
    }

    @Override
    public boolean section(String name, int version, boolean needed, Visitable body) {
        Field f = member(name, Kind.SECTION);
        if (f == null) {
            return false;
        }
        try {
            if (peek() != tag(index, LEN)) {
                return false; // an absent section has no field
            }
            expect(index, LEN, f);
            int sectionAt = fieldAt;
            int old = enter("a section");
            expect(ProtobufConstants.SECTION_VERSION, VARINT, "the section version");
            int versionAt = fieldAt;
            long v = varint();
            // int32: a negative version is sign-extended to 64 bits
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw at(ProtobufErrors.outOfRange(Long.toString(v), "the section version",
                        Integer.toString(Integer.MIN_VALUE), Integer.toString(Integer.MAX_VALUE)), versionAt);
            }
            if (v > f.struct().version()) {
                throw at(ProtobufErrors.sectionTooNew(v, f.struct().version()), versionAt);
            }
            if (v > version) {
                throw at(new VersionException("section version " + v + " is newer than the supported " + version),
                        versionAt);
            }
            if (sectionCount == versions.length) {
                versions = Arrays.copyOf(versions, sectionCount * 2);
            }
            versions[sectionCount++] = (int) v;
            olderSection |= v != f.struct().version();
            expect(ProtobufConstants.SECTION_BODY, LEN, "the section body");
            nested(f.struct(), body, "a section body");
            int t = peek();
            if (t != 0) {
                throw at(ProtobufErrors.afterLastMember(t >>> 3, t & 7), pendingAt);
            }
            leave(old);
            fieldAt = sectionAt;
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        return true;
    }

    @Override
    public boolean isInput() {
        return true;
    }
}
