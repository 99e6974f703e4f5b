package dev.vmstate.visitor;

import dev.vmstate.error.Errors;
import dev.vmstate.error.VmstateException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Records the {@link Event} list an object produces when saved: every field with its kind and
 * value, struct, list and section boundaries, and absent sections. Lets device tests assert
 * exactly what {@code visit} does without any wire format. Values are range-checked as on any
 * save. One instance per walk; not thread-safe.
 *
 * <pre>{@code
 * assertThat(RecordingVisitor.record(pit)).startsWith(
 *         Event.u32("channels[0].irq_disabled", 0),
 *         Event.listStart("channels", 3), Event.structStart("channels"), Event.i32("count", 0x10000));
 * }</pre>
 *
 * @since 0.1
 */
public final class RecordingVisitor implements Visitor {
    private final List<Event> events = new ArrayList<>();

    /** The events {@code object} produces. */
    public static List<Event> record(Visitable object) {
        RecordingVisitor v = new RecordingVisitor();
        object.visit(v);
        return v.events();
    }

    /** The events recorded so far. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    private void field(String name, Kind kind, Object value) {
        events.add(Event.field(name, kind, value));
    }

    @Override
    public boolean bool(String name, boolean value) {
        field(name, Kind.BOOL, value);
        return value;
    }

    @Override
    public int i8(String name, int value) {
        field(name, Kind.I8, Ranges.i8(name, value));
        return value;
    }

    @Override
    public int i16(String name, int value) {
        field(name, Kind.I16, Ranges.i16(name, value));
        return value;
    }

    @Override
    public int i32(String name, int value) {
        field(name, Kind.I32, value);
        return value;
    }

    @Override
    public long i64(String name, long value) {
        field(name, Kind.I64, value);
        return value;
    }

    @Override
    public int u8(String name, int value) {
        field(name, Kind.U8, Ranges.u8(name, value));
        return value;
    }

    @Override
    public int u16(String name, int value) {
        field(name, Kind.U16, Ranges.u16(name, value));
        return value;
    }

    @Override
    public long u32(String name, long value) {
        field(name, Kind.U32, Ranges.u32(name, value));
        return value;
    }

    @Override
    public long u64(String name, long value) {
        field(name, Kind.U64, value);
        return value;
    }

    @Override
    public double f64(String name, double value) {
        field(name, Kind.F64, value);
        return value;
    }

    @Override
    public String str(String name, String value) {
        field(name, Kind.STR, Ranges.notNull(name, "string", value));
        return value;
    }

    @Override
    public byte[] bytes(String name, byte[] value) {
        field(name, Kind.BYTES, Ranges.notNull(name, "bytes", value));
        return value;
    }

    @Override
    public byte[] buffer(String name, byte[] value, int size) {
        Ranges.notNull(name, "buffer", value);
        if (value.length != size) {
            throw Errors.wrongSize(name, "buffer", value.length, size);
        }
        field(name, Kind.BUFFER, value);
        return value;
    }

    @Override
    public long[] array(String name, Kind element, long[] values) {
        field(name, Kind.ARRAY, Ranges.checkArray(name, element, values));
        return values;
    }

    @Override
    public long[] varray(String name, Kind element, long[] values) {
        field(name, Kind.VARRAY, Ranges.checkArray(name, element, values));
        return values;
    }

    private void nested(String name, Visitable value) {
        events.add(Event.structStart(name));
        value.visit(this);
        events.add(Event.structEnd());
    }

    @Override
    public <T extends Visitable> T struct(String name, T value) {
        Ranges.notNull(name, "struct", value);
        try {
            nested(name, value);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        return value;
    }

    private void items(String name, List<? extends Visitable> values) {
        events.add(Event.listStart(name, values.size()));
        for (int i = 0; i < values.size(); i++) {
            try {
                if (values.get(i) == null) {
                    throw new dev.vmstate.error.StreamWriteException("null value for struct");
                }
                nested(name, values.get(i));
            } catch (VmstateException e) {
                throw e.prependIndex(i).prependField(name);
            }
        }
        events.add(Event.listEnd());
    }

    @Override
    public <T extends Visitable> T[] structs(String name, T[] values) {
        items(name, java.util.Arrays.asList(Ranges.notNull(name, "struct array", values)));
        return values;
    }

    @Override
    public <T extends Visitable> List<T> list(String name, List<T> values, Supplier<T> factory) {
        items(name, Ranges.notNull(name, "list", values));
        return values;
    }

    @Override
    public long enumCode(String name, long code, java.util.Map<Long, String> names) {
        field(name, Kind.ENUM, names.get(Ranges.enumCode(name, code, names)));
        return code;
    }

    @Override
    public boolean section(String name, int version, boolean needed, Visitable body) {
        if (!needed) {
            events.add(Event.sectionAbsent(name));
            return false;
        }
        events.add(Event.sectionStart(name, version));
        try {
            body.visit(this);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        events.add(Event.sectionEnd());
        return true;
    }

    @Override
    public boolean isInput() {
        return false;
    }
}
