package dev.vmstate.cli;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.ArrayValue;
import dev.vmstate.tree.StateTree.BoolValue;
import dev.vmstate.tree.StateTree.BytesValue;
import dev.vmstate.tree.StateTree.EnumValue;
import dev.vmstate.tree.StateTree.F64Value;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.ListValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StrValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitables;
import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;

/**
 * {@code vmstate dump --json}: device states in the shape of QEMU's
 * {@code scripts/analyze-migration.py} state dump, written as each section is read. One object,
 * keyed {@code "<idstr> (<section id>)"}; integers as {@code "0x%0<2*width>x"} (a negative signed
 * value followed by {@code " (-1)"}); bools as JSON booleans; byte fields, f64 and timers as
 * space-separated hex bytes (QEMU's generic fields); structs and sections (under their section
 * name, as QEMU's subsections) as objects; struct arrays and integer arrays as lists; the RAM
 * section as {@code {"section sizes": {block: size}}}. Kinds QEMU has no type for: strings are
 * JSON strings, enumerations their constant name (hex code when unnamed).
 *
 * <p>Not thread-safe.
 */
final class AnalyzerJson implements DumpCommand.RecordSink {
    private static final HexFormat BYTES = HexFormat.ofDelimiter(" ");
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private final PrintWriter out;
    private final JsonGenerator g;
    /** The key of the iterative section whose START was read last, until its block list names the sizes. */
    private String iterativeKey;

    AnalyzerJson(PrintWriter out) {
        this.out = out;
        this.g = pythonIndented(out);
        g.writeStartObject();
    }

    /** A generator that writes as Python's {@code json.dumps(indent=4)} does, the analyzer's output. */
    static JsonGenerator pythonIndented(java.io.Writer out) {
        // four spaces, "key": value, empty {} and [].
        Separators separators = Separators.createDefaultInstance()
                .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("").withArrayEmptySeparator("");
        DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
        PrettyPrinter pretty = new DefaultPrettyPrinter(separators).withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
        return FACTORY.createGenerator(new ObjectWriteContext.Base() {
            @Override
            public PrettyPrinter getPrettyPrinter() {
                return pretty;
            }

            @Override
            public boolean hasPrettyPrinter() {
                return true;
            }
        }, out);
    }

    @Override
    public void accept(StreamRecord r) {
        if (r instanceof DeviceSection s) {
            StructValue tree = s.state() instanceof GenericState gs ? gs.tree()
                    : Visitables.toTree(s.schema().name(), s.state());
            g.writeName(s.idstr() + " (" + s.sectionId() + ")");
            struct(tree, s.schema());
        } else if (r instanceof IterativeSection i) {
            iterativeKey = i.type() == IterativeSection.SectionType.START
                    ? i.idstr() + " (" + i.sectionId() + ")" : null;
        } else if (r instanceof RamRecord.Blocks b && iterativeKey != null) {
            g.writeName(iterativeKey);
            g.writeStartObject();
            g.writeName("section sizes");
            g.writeStartObject();
            for (RamRecord.Block block : b.blocks()) {
                g.writeName(block.name());
                g.writeString(hex(Kind.U64, block.usedLength()));
            }
            g.writeEndObject();
            g.writeEndObject();
            iterativeKey = null;
        } else if (r instanceof RamRecord) {
            iterativeKey = null;
        }
    }

    @Override
    public void finish() {
        g.writeEndObject();
        g.flush();
        out.println();
    }

    private void struct(StructValue tree, Schema schema) {
        g.writeStartObject();
        for (Map.Entry<String, StateTree> e : tree.members().entrySet()) {
            g.writeName(e.getKey());
            value(e.getValue(), schema == null ? null : schema.member(e.getKey()));
        }
        g.writeEndObject();
    }

    private void value(StateTree v, Field f) {
        Hint hint = f == null ? null : f.hint();
        if (v instanceof StructValue s) {
            struct(s, f == null ? null : f.struct());
        } else if (v instanceof SectionValue s) {
            struct(s.body(), f == null ? null : f.struct());
        } else if (v instanceof ListValue l) {
            g.writeStartArray();
            for (StructValue item : l.items()) {
                struct(item, f == null ? null : f.struct());
            }
            g.writeEndArray();
        } else if (v instanceof IntValue i) {
            g.writeString(integer(i.kind(), i.value(), hint));
        } else if (v instanceof ArrayValue a) {
            g.writeStartArray();
            for (int k = 0; k < a.length(); k++) {
                g.writeString(integer(a.element(), a.get(k), hint));
            }
            g.writeEndArray();
        } else if (v instanceof BoolValue b) {
            g.writeBoolean(b.value());
        } else if (v instanceof BytesValue b) {
            g.writeString(BYTES.formatHex(b.bytes()));
        } else if (v instanceof F64Value d) {
            g.writeString(bigEndian(Double.doubleToRawLongBits(d.value()), 8));
        } else if (v instanceof StrValue s) {
            g.writeString(s.value());
        } else if (v instanceof EnumValue e) {
            String name = e.name() != null ? e.name()
                    : f != null && f.enumNames() != null ? f.enumNames().get(e.code()) : null;
            g.writeString(name != null ? name : "0x" + Long.toHexString(e.code()));
        } else {
            g.writeString(String.valueOf(v));
        }
    }

    /** An integer as the analyzer's VMSDFieldInt/UInt prints it; a timer as its bytes, as QEMU's "timer" type. */
    static String integer(Kind kind, long value, Hint hint) {
        if (hint instanceof Hint.Timer) {
            return bigEndian(value, kind.width());
        }
        String h = hex(kind, value);
        boolean signed = kind == Kind.I8 || kind == Kind.I16 || kind == Kind.I32 || kind == Kind.I64;
        return signed && value < 0 ? h + " (" + value + ")" : h;
    }

    /** {@code 0x} and the value's two's complement in {@code 2 * width} lower-case digits. */
    static String hex(Kind kind, long value) {
        int digits = kind.width() * 2;
        long bits = digits >= 16 ? value : value & ((1L << (digits * 4)) - 1);
        String h = Long.toHexString(bits);
        return "0x" + "0".repeat(Math.max(0, digits - h.length())) + h;
    }

    private static String bigEndian(long value, int width) {
        byte[] b = new byte[width];
        for (int i = width - 1; i >= 0; i--) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        return BYTES.formatHex(b);
    }
}
