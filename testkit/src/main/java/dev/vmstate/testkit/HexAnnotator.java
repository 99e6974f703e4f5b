package dev.vmstate.testkit;

import dev.vmstate.binary.BinarySaveVisitor;
import dev.vmstate.binary.ByteSink;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes the vmstate body encoding of an object as annotated hex, one field per line, as golden
 * files show them ({@code 00 0c    state.divider  uint16 = 12}), like QEMU's own test vectors
 * ({@code /* u32_1 *}{@code / 0x00, 0x01, 0x11, 0x70}). It saves through a real
 * {@link BinarySaveVisitor} and slices what each call wrote, so the annotation is of the actual
 * bytes. One instance per walk; not thread-safe.
 *
 * @since 0.1
 */
public final class HexAnnotator implements Visitor {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private final ByteSink sink = new ByteSink();
    private final BinarySaveVisitor save = new BinarySaveVisitor(sink);
    private final StringBuilder out = new StringBuilder();
    private final String indent;
    private String prefix = "";

    private HexAnnotator(String indent) {
        this.indent = indent;
    }

    /** The annotated body of {@code object}, each line starting with {@code indent}. */
    public static String annotate(Visitable object, String indent) {
        HexAnnotator a = new HexAnnotator(indent);
        object.visit(a);
        return a.out.toString();
    }

    private <T> T line(String name, String kind, Supplier<T> call, Object shown) {
        int from = sink.size();
        T r = call.get();
        byte[] b = sink.copy(from, sink.size());
        String hex = b.length > 16 ? HEX.formatHex(b, 0, 16) + " ... (" + b.length + " bytes)" : HEX.formatHex(b);
        out.append(indent).append(String.format("%-50s %s%s  %s = %s%n", hex, prefix, name, kind, shown));
        return r;
    }

    private void marker(String text) {
        out.append(indent).append(String.format("%-50s %s%n", "", text));
    }

    @Override
    public boolean bool(String name, boolean value) {
        return line(name, "bool", () -> save.bool(name, value), value);
    }

    @Override
    public int i8(String name, int value) {
        return line(name, "int8", () -> save.i8(name, value), value);
    }

    @Override
    public int i16(String name, int value) {
        return line(name, "int16", () -> save.i16(name, value), value);
    }

    @Override
    public int i32(String name, int value) {
        return line(name, "int32", () -> save.i32(name, value), value);
    }

    @Override
    public long i64(String name, long value) {
        return line(name, "int64", () -> save.i64(name, value), value);
    }

    @Override
    public int u8(String name, int value) {
        return line(name, "uint8", () -> save.u8(name, value), value);
    }

    @Override
    public int u16(String name, int value) {
        return line(name, "uint16", () -> save.u16(name, value), value);
    }

    @Override
    public long u32(String name, long value) {
        return line(name, "uint32", () -> save.u32(name, value), value);
    }

    @Override
    public long u64(String name, long value) {
        return line(name, "uint64", () -> save.u64(name, value), Long.toUnsignedString(value));
    }

    @Override
    public double f64(String name, double value) {
        return line(name, "float64", () -> save.f64(name, value), value);
    }

    @Override
    public String str(String name, String value) {
        return line(name, "string", () -> save.str(name, value), '"' + value + '"');
    }

    @Override
    public byte[] bytes(String name, byte[] value) {
        return line(name, "bytes", () -> save.bytes(name, value), value.length + " bytes");
    }

    @Override
    public byte[] buffer(String name, byte[] value, int size) {
        return line(name, "buffer[" + size + "]", () -> save.buffer(name, value, size), "");
    }

    @Override
    public long[] array(String name, Kind element, long[] values) {
        return line(name, element.typeName() + "[" + values.length + "]", () -> save.array(name, element, values),
                java.util.Arrays.toString(values));
    }

    @Override
    public long[] varray(String name, Kind element, long[] values) {
        return line(name, element.typeName() + "[]", () -> save.varray(name, element, values),
                java.util.Arrays.toString(values));
    }

    private void nested(String label, Visitable v) {
        String saved = prefix;
        prefix = prefix + label + ".";
        try {
            v.visit(this);
        } finally {
            prefix = saved;
        }
    }

    @Override
    public <T extends Visitable> T struct(String name, T value) {
        nested(name, value);
        return value;
    }

    @Override
    public <T extends Visitable> T[] structs(String name, T[] values) {
        for (int i = 0; i < values.length; i++) {
            nested(name + "[" + i + "]", values[i]);
        }
        return values;
    }

    @Override
    public <T extends Visitable> List<T> list(String name, List<T> values, Supplier<T> factory) {
        int from = sink.size();
        sink.writeBe32(values.size());
        out.append(indent).append(String.format("%-50s %s%s  list count = %d%n", HEX.formatHex(sink.copy(from, sink.size())),
                prefix, name, values.size()));
        for (int i = 0; i < values.size(); i++) {
            nested(name + "[" + i + "]", values.get(i));
        }
        return values;
    }

    @Override
    public long enumCode(String name, long code, Map<Long, String> names) {
        return line(name, "enum", () -> save.enumCode(name, code, names), names.get(code) + " (" + code + ")");
    }

    @Override
    public boolean section(String name, int version, boolean needed, Visitable body) {
        if (!needed) {
            marker("(" + prefix + name + " absent)");
            return false;
        }
        int from = sink.size();
        // the subsection header exactly as BinarySaveVisitor writes it, then the body field by field
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        sink.writeU8(BinarySaveVisitor.SUBSECTION).writeU8(n.length).writeBytes(n).writeBe32(version);
        byte[] head = sink.copy(from, sink.size());
        out.append(indent).append(String.format("%-50s %ssection %s v%d%n", HEX.formatHex(head, 0, Math.min(16, head.length))
                + (head.length > 16 ? " ..." : ""), prefix, name, version));
        nested(name, body);
        return true;
    }

    @Override
    public boolean isInput() {
        return false;
    }
}
