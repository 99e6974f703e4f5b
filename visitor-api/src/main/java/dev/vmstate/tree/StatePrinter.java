package dev.vmstate.tree;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree.ArrayValue;
import dev.vmstate.tree.StateTree.BytesValue;
import dev.vmstate.tree.StateTree.EnumValue;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.ListValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.HexFormat;
import java.util.Map;

/**
 * Renders a state tree as indented text, one field per line, presenting integers as their
 * schema's hints say (hex, flag names, value names, timers) and byte fields as hex rows of 16.
 * Every dump of vmstate goes through here so that all of them read alike. Stateless and
 * thread-safe.
 *
 * @since 0.1
 */
public final class StatePrinter {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private StatePrinter() {
    }

    /** {@code tree} printed with the hints of {@code schema}; a {@code null} schema prints plain values. */
    public static String print(String title, StructValue tree, Schema schema) {
        StringBuilder sb = new StringBuilder();
        sb.append(title);
        if (schema != null) {
            sb.append(" (").append(schema.name()).append(" v").append(schema.version()).append(')');
        }
        sb.append('\n');
        struct(sb, tree, schema, 1);
        return sb.toString();
    }

    private static void struct(StringBuilder sb, StructValue tree, Schema schema, int indent) {
        for (Map.Entry<String, StateTree> e : tree.members().entrySet()) {
            Field f = schema == null ? null : schema.member(e.getKey());
            member(sb, e.getKey(), e.getValue(), f, indent);
        }
        if (schema != null) {
            for (Field s : schema.sections()) {
                if (!tree.members().containsKey(s.name())) {
                    line(sb, indent).append(s.name()).append(": section absent\n");
                }
            }
        }
    }

    private static StringBuilder line(StringBuilder sb, int indent) {
        return sb.append("  ".repeat(indent));
    }

    private static void member(StringBuilder sb, String name, StateTree v, Field f, int indent) {
        Schema nested = f == null ? null : f.struct();
        if (v instanceof StructValue s) {
            line(sb, indent).append(name).append(": struct ").append(s.type()).append('\n');
            struct(sb, s, nested, indent + 1);
        } else if (v instanceof SectionValue s) {
            line(sb, indent).append(name).append(": section v").append(s.version()).append('\n');
            struct(sb, s.body(), nested, indent + 1);
        } else if (v instanceof ListValue l) {
            line(sb, indent).append(name).append(": ").append(l.kind() == dev.vmstate.visitor.Kind.LIST ? "list" : "array")
                    .append(" of ").append(l.items().size()).append('\n');
            for (int i = 0; i < l.items().size(); i++) {
                line(sb, indent + 1).append('[').append(i).append("]\n");
                struct(sb, l.items().get(i), nested, indent + 2);
            }
        } else if (v instanceof BytesValue b) {
            line(sb, indent).append(name).append(" = ");
            if (b.length() <= 16) {
                sb.append(b.length() == 0 ? "(empty)" : HEX.formatHex(b.bytes())).append('\n');
            } else {
                sb.append('(').append(b.length()).append(" bytes)\n");
                byte[] bytes = b.bytes();
                for (int off = 0; off < bytes.length; off += 16) {
                    line(sb, indent + 1).append(String.format("%04x: ", off))
                            .append(HEX.formatHex(bytes, off, Math.min(bytes.length, off + 16))).append('\n');
                }
            }
        } else if (v instanceof IntValue i && f != null && f.hint() != null) {
            line(sb, indent).append(name).append(" = ").append(f.hint().render(i.kind(), i.value())).append('\n');
        } else if (v instanceof ArrayValue a && f != null && f.hint() != null) {
            line(sb, indent).append(name).append(" = [");
            for (int k = 0; k < a.length(); k++) {
                sb.append(k == 0 ? "" : ", ").append(f.hint().render(a.element(), a.get(k)));
            }
            sb.append("]\n");
        } else if (v instanceof EnumValue e && e.name() == null && f != null && f.enumNames() != null) {
            line(sb, indent).append(name).append(" = ")
                    .append(new EnumValue(e.code(), f.enumNames().get(e.code()))).append('\n');
        } else {
            line(sb, indent).append(name).append(" = ").append(v).append('\n');
        }
    }
}
