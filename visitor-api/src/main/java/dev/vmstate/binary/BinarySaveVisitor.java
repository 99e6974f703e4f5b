package dev.vmstate.binary;

import dev.vmstate.error.Errors;
import dev.vmstate.error.StreamWriteException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Ranges;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Saves an object as a vmstate <em>body</em>: QEMU's VMState field encoding (big-endian fixed
 * widths, no names, no per-field framing, subsections as {@code 05 len name be32-version body}),
 * with a be32 length before the variable kinds QEMU has no generic encoding for. The encoding is
 * specified in {@code docs/data-model.md}; the legacy stream format frames these bodies.
 *
 * <p>Scalars allocate nothing. One instance per walk; not thread-safe.
 *
 * @since 0.1
 */
public final class BinarySaveVisitor implements Visitor {
    /** QEMU_VM_SUBSECTION: the marker before a subsection inside a body. */
    public static final int SUBSECTION = 0x05;

    private final ByteSink out;

    public BinarySaveVisitor(ByteSink out) {
        this.out = out;
    }

    @Override
    public boolean bool(String name, boolean value) {
        out.writeU8(value ? 1 : 0);
        return value;
    }

    @Override
    public int i8(String name, int value) {
        out.writeU8(Ranges.i8(name, value));
        return value;
    }

    @Override
    public int i16(String name, int value) {
        out.writeBe16(Ranges.i16(name, value));
        return value;
    }

    @Override
    public int i32(String name, int value) {
        out.writeBe32(value);
        return value;
    }

    @Override
    public long i64(String name, long value) {
        out.writeBe64(value);
        return value;
    }

    @Override
    public int u8(String name, int value) {
        out.writeU8(Ranges.u8(name, value));
        return value;
    }

    @Override
    public int u16(String name, int value) {
        out.writeBe16(Ranges.u16(name, value));
        return value;
    }

    @Override
    public long u32(String name, long value) {
        out.writeBe32((int) Ranges.u32(name, value));
        return value;
    }

    @Override
    public long u64(String name, long value) {
        out.writeBe64(value);
        return value;
    }

    @Override
    public double f64(String name, double value) {
        out.writeBe64(Double.doubleToRawLongBits(value));
        return value;
    }

    @Override
    public String str(String name, String value) {
        Ranges.notNull(name, "string", value);
        int n = value.length();
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) {
            ascii = value.charAt(i) < 0x80;
        }
        if (ascii) {
            // the common case: one byte per char, no encoder and no copy
            out.writeBe32(n);
            for (int i = 0; i < n; i++) {
                out.writeU8(value.charAt(i));
            }
            return value;
        }
        byte[] b = utf8(name, value);
        out.writeBe32(b.length);
        out.writeBytes(b);
        return value;
    }

    /** UTF-8 of {@code s}; an unpaired surrogate fails instead of becoming '?'. */
    static byte[] utf8(String name, String s) {
        try {
            java.nio.ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .encode(java.nio.CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw (StreamWriteException) new StreamWriteException("string is not valid Unicode (unpaired surrogate)")
                    .prependField(name);
        }
    }

    @Override
    public byte[] bytes(String name, byte[] value) {
        Ranges.notNull(name, "bytes", value);
        out.writeBe32(value.length);
        out.writeBytes(value);
        return value;
    }

    @Override
    public byte[] buffer(String name, byte[] value, int size) {
        Ranges.notNull(name, "buffer", value);
        if (value.length != size) {
            throw Errors.wrongSize(name, "buffer", value.length, size);
        }
        out.writeBytes(value);
        return value;
    }

    private void elements(Kind element, long[] values) {
        switch (element.width()) {
            case 1 -> {
                for (long v : values) {
                    out.writeU8((int) v);
                }
            }
            case 2 -> {
                for (long v : values) {
                    out.writeBe16((int) v);
                }
            }
            case 4 -> {
                for (long v : values) {
                    out.writeBe32((int) v);
                }
            }
            default -> {
                for (long v : values) {
                    out.writeBe64(v);
                }
            }
        }
    }

    @Override
    public long[] array(String name, Kind element, long[] values) {
        elements(element, Ranges.checkArray(name, element, values));
        return values;
    }

    @Override
    public long[] varray(String name, Kind element, long[] values) {
        Ranges.checkArray(name, element, values);
        out.writeBe32(values.length);
        elements(element, values);
        return values;
    }

    @Override
    public <T extends Visitable> T struct(String name, T value) {
        Ranges.notNull(name, "struct", value);
        try {
            value.visit(this);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        return value;
    }

    private void items(String name, List<? extends Visitable> values) {
        for (int i = 0; i < values.size(); i++) {
            try {
                if (values.get(i) == null) {
                    throw new StreamWriteException("null value for struct");
                }
                values.get(i).visit(this);
            } catch (VmstateException e) {
                throw e.prependIndex(i).prependField(name);
            }
        }
    }

    @Override
    public <T extends Visitable> T[] structs(String name, T[] values) {
        items(name, java.util.Arrays.asList(Ranges.notNull(name, "struct array", values)));
        return values;
    }

    @Override
    public <T extends Visitable> List<T> list(String name, List<T> values, Supplier<T> factory) {
        Ranges.notNull(name, "list", values);
        out.writeBe32(values.size());
        items(name, values);
        return values;
    }

    @Override
    public long enumCode(String name, long code, Map<Long, String> names) {
        out.writeBe32((int) Ranges.enumCode(name, code, names));
        return code;
    }

    @Override
    public boolean section(String name, int version, boolean needed, Visitable body) {
        if (!needed) {
            return false;
        }
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 255) {
            throw (StreamWriteException) new StreamWriteException("section name of " + n.length
                    + " bytes, expected at most 255").prependField(name);
        }
        out.writeU8(SUBSECTION);
        out.writeU8(n.length);
        out.writeBytes(n);
        out.writeBe32(version);
        try {
            body.visit(this);
        } catch (VmstateException e) {
            throw e.prependField(name);
        }
        return true;
    }

    @Override
    public boolean isInput() {
        return false;
    }
}
