package dev.vmstate.format.asn1;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.AnnotatedHex;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes an {@code asn1-der} or {@code asn1-ber} stream as annotated hex, one value per line, named
 * after the component of {@code vmstate.asn} it is and, inside a state, after the schema member it
 * holds: the golden files' {@code .hex.txt} and the worked example of {@code docs/formats/asn1.md}.
 * A constructed value's line shows its identifier and length octets, its elements follow indented.
 * For trusted input (our own output) only.
 */
final class Asn1Annotator {
    private static final String[] RECORDS = {"header [0]", "schema [1]", "device [2]", "iterative [3]",
        "ramBlocks [4]", "page [5]", "eos [6] NULL", "sectionEnd [7]", "command [8]", "end [9] NULL",
        "description [10]"};
    private final byte[] b;
    private final List<Schema> schemas;
    private final AnnotatedHex out;
    private final boolean der;

    private Asn1Annotator(byte[] b, String title, List<Schema> schemas, boolean der) {
        this.b = b;
        this.out = new AnnotatedHex(b, title, "value");
        this.schemas = schemas;
        this.der = der;
    }

    static String annotate(WireFormat format, byte[] stream, String title) {
        // the schemas by id, as the reader numbers them: in the order their first device record names them
        List<Schema> schemas = new ArrayList<>();
        try (StreamReader r = format.openReader(ByteSource.of(stream), ReadOptions.defaults())) {
            for (StreamRecord rec = r.next(); rec != null; rec = r.next()) {
                if (rec instanceof DeviceSection d && !schemas.contains(d.schema())) {
                    schemas.add(d.schema());
                }
            }
        }
        Asn1Annotator a = new Asn1Annotator(stream, title, schemas, format.name().equals("asn1-der"));
        int body = a.out.envelope();
        int n = 0;
        for (Tlv t : Tlv.parseAll(stream, body)) {
            a.record(t, "#" + n++ + " ");
        }
        return a.out.toString();
    }

    // ---------------------------------------------------------------- lines

    /** The header octets of {@code t}. */
    private int headerEnd(Tlv t) {
        int l = b[t.offset() + 1] & 0xFF;
        return t.offset() + 2 + (l > 0x80 ? l & 0x7F : 0);
    }

    private boolean indefinite(Tlv t) {
        return (b[t.offset() + 1] & 0xFF) == 0x80;
    }

    /** A constructed value's header line, its elements as {@code body} writes them, and BER's end-of-contents. */
    private void open(Tlv t, int depth, String text, Runnable body) {
        out.line(t.offset(), headerEnd(t), depth, text);
        body.run();
        if (indefinite(t)) {
            out.line(t.end() - 2, t.end(), depth, "end-of-contents");
        }
    }

    private void leaf(Tlv t, int depth, String name) {
        out.line(t.offset(), t.end(), depth, name + " " + value(t));
    }

    /** A primitive value in ASN.1 value notation. */
    private String value(Tlv t) {
        byte[] c = content(t);
        switch (t.id()) {
            case 0x01:
                return "BOOLEAN " + (c[0] != 0 ? "TRUE" : "FALSE");
            case 0x05:
                return "NULL";
            case 0x0C:
                return "UTF8String \"" + new String(c, StandardCharsets.UTF_8) + "\"";
            case 0x04:
                return "OCTET STRING " + octets(c);
            case 0x41: {
                long bits = new BigInteger(1, c).longValue();
                return String.format("Float64 %s (bits %016X)", Double.longBitsToDouble(bits), bits);
            }
            default:
                if ((t.id() & 0xC0) == 0x80 && !t.constructed() && t.id() != 0x80) {
                    return String.format("[%d] OCTET STRING %s", t.id() & 0x1F, octets(c));
                }
                return (t.id() == 0x02 ? "INTEGER " : t.id() == 0x0A ? "ENUMERATED " : "[0] ")
                        + new BigInteger(c);
        }
    }

    /** Content octets, joined from segments when BER wrote them constructed. */
    private static byte[] content(Tlv t) {
        if (!t.constructed()) {
            return t.content();
        }
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        for (Tlv s : t.children()) {
            o.writeBytes(content(s));
        }
        return o.toByteArray();
    }

    private static String octets(byte[] c) {
        String h = HexFormat.of().formatHex(c, 0, Math.min(c.length, 12));
        return "'" + h + (c.length > 12 ? "...' (" + c.length + " bytes)" : "'H");
    }

    // ---------------------------------------------------------------- records

    private void record(Tlv t, String prefix) {
        int n = t.id() & 0x1F;
        String name = prefix + (n < RECORDS.length ? RECORDS[n] : "?");
        if (!t.constructed()) {
            out.line(t.offset(), t.end(), 0, name);
            return;
        }
        List<Tlv> c = t.children();
        open(t, 0, name, () -> {
            switch (n) {
                case 0 -> header(c);
                case 1 -> {
                    leaf(c.get(0), 1, "id");
                    plain(c.get(1), 1, "schema");
                }
                case 2 -> device(c);
                case 3 -> {
                    String[] types = {"start", "part", "end"};
                    leaf(c.get(0), 1, "type");
                    out.amend(" (" + types[c.get(0).content()[0]] + ")");
                    leaf(c.get(1), 1, "sectionId");
                    if (c.size() > 2) {
                        components(c.get(2), 1, "start ChunkStart", "idstr", "instanceId", "version");
                    }
                }
                case 4 -> {
                    leaf(c.get(0), 1, "totalBytes");
                    open(c.get(1), 1, "blocks SEQUENCE OF", () -> {
                        for (Tlv block : c.get(1).children()) {
                            components(block, 2, "RamBlock", "name", "usedLength");
                        }
                    });
                }
                case 5 -> {
                    leaf(c.get(0), 1, "block");
                    leaf(c.get(1), 1, "offset");
                    leaf(c.get(2), 1, "continued");
                    Tlv content = c.get(3);
                    String[] kinds = {"zero", "raw", "xbzrle"};
                    leaf(content, 1, "content " + kinds[content.id() & 0x1F]);
                }
                case 7 -> {
                    leaf(c.get(0), 1, "sectionId");
                    leaf(c.get(1), 1, "footer");
                }
                case 8 -> {
                    leaf(c.get(0), 1, "command");
                    leaf(c.get(1), 1, "data");
                }
                case 10 -> {
                    if (c.isEmpty()) {
                        out.amend(" (no json: generate)");
                    } else {
                        leaf(c.get(0), 1, "json");
                    }
                }
                default -> throw new AssertionError("record " + n);
            }
        });
    }

    private void components(Tlv t, int depth, String title, String... names) {
        open(t, depth, title, () -> {
            for (int i = 0; i < t.children().size(); i++) {
                leaf(t.children().get(i), depth + 1, names[i]);
            }
        });
    }

    private void header(List<Tlv> c) {
        int i = 0;
        leaf(c.get(i++), 1, "streamVersion");
        if (c.get(i).id() == 0x0C || c.get(i).id() == 0x2C) {
            leaf(c.get(i++), 1, "machineType");
        }
        leaf(c.get(i++), 1, "configurationExtra");
        if (i < c.size()) {
            Tlv tree = c.get(i);
            open(tree, 1, "deviceTree DeviceTree", () -> {
                leaf(tree.children().get(0), 2, "machine");
                nodes(tree.children().get(1), 2);
            });
        }
    }

    private void nodes(Tlv t, int depth) {
        open(t, depth, "devices SEQUENCE OF DeviceNode", () -> {
            for (Tlv node : t.children()) {
                List<Tlv> c = node.children();
                open(node, depth + 1, "DeviceNode", () -> {
                    int i = 0;
                    leaf(c.get(i++), depth + 2, "id");
                    leaf(c.get(i++), depth + 2, "type");
                    if ((c.get(i).id() & 0xDF) == 0x80) {
                        out.line(c.get(i).offset(), c.get(i).end(), depth + 2, "bus [0] UTF8String \""
                                + new String(content(c.get(i)), StandardCharsets.UTF_8) + "\"");
                        i++;
                    }
                    Tlv props = c.get(i++);
                    open(props, depth + 2, "properties SET OF Property" + (der ? " (DER: ascending encodings)"
                            : " (BER: in declaration order)"), () -> {
                        for (Tlv p : props.children()) {
                            out.line(p.offset(), p.end(), depth + 3, "Property \""
                                    + new String(content(p.children().get(0)), StandardCharsets.UTF_8) + "\": "
                                    + value(p.children().get(1)));
                        }
                    });
                    Tlv kids = c.get(i);
                    if (kids.children().isEmpty()) {
                        out.line(kids.offset(), kids.end(), depth + 2, "children: none");
                    } else {
                        nodes(kids, depth + 2);
                    }
                });
            }
        });
    }

    private void plain(Tlv t, int depth, String name) {
        if (t.id() == 0xA1) {
            open(t, depth, name + " mapValue {" + t.children().size() + " members", () -> {
                for (Tlv m : t.children()) {
                    String key = "\"" + new String(content(m.children().get(0)), StandardCharsets.UTF_8) + "\":";
                    Tlv v = m.children().get(1);
                    if (v.constructed() && v.id() != 0x2C) {
                        out.line(m.offset(), v.offset(), depth + 1, key);
                        plain(v, depth + 1, "");
                    } else {
                        out.line(m.offset(), m.end(), depth + 1, key + " " + value(v));
                    }
                }
            });
        } else if (t.id() == 0xA0) {
            open(t, depth, name + " listValue [" + t.children().size() + " items", () -> {
                for (Tlv v : t.children()) {
                    plain(v, depth + 1, "");
                }
            });
        } else {
            leaf(t, depth, name);
        }
    }

    private void device(List<Tlv> c) {
        int i = 0;
        leaf(c.get(i++), 1, "sectionId");
        leaf(c.get(i++), 1, "idstr");
        leaf(c.get(i++), 1, "instanceId");
        leaf(c.get(i++), 1, "version");
        leaf(c.get(i++), 1, "footer");
        if (c.get(i).id() == 0x80) {
            Tlv crc = c.get(i++);
            out.line(crc.offset(), crc.end(), 1, "crc32c [0] " + new BigInteger(crc.content()) + String.format(" (0x%08X)",
                    new BigInteger(crc.content()).longValue()));
        }
        Tlv id = c.get(i++);
        leaf(id, 1, "schema");
        Schema s = schemas.get(new BigInteger(id.content()).intValue());
        struct(c.get(i), 1, "state Struct of " + s.name() + " v" + s.version(), s);
    }

    private void struct(Tlv t, int depth, String title, Schema s) {
        open(t, depth, title + " (" + t.children().size() + " values)", () -> {
            List<Field> m = s.members();
            for (int i = 0; i < m.size(); i++) {
                member(t.children().get(i), depth + 1, m.get(i));
            }
        });
    }

    private void member(Tlv t, int depth, Field f) {
        String name = f.name() + ": " + f.describe() + " =";
        switch (t.id()) {
            case 0x30 -> struct(t, depth, name + " Struct", f.struct());
            case 0x63 -> open(t, depth, name + " StructArray [" + t.children().size() + "]", () -> {
                int k = 0;
                for (Tlv item : t.children()) {
                    struct(item, depth + 1, "[" + k++ + "] Struct", f.struct());
                }
            });
            case 0x64 -> open(t, depth, name + " Section", () -> {
                leaf(t.children().get(0), depth + 1, "version");
                struct(t.children().get(1), depth + 1, "state Struct", f.struct());
            });
            case 0x62, 0x05 -> {
                if (t.id() == 0x05) {
                    out.line(t.offset(), t.end(), depth, f.name() + ": absent (NULL)");
                    return;
                }
                List<String> v = new ArrayList<>();
                for (Tlv x : t.children()) {
                    v.add(new BigInteger(x.content()).toString());
                }
                out.line(t.offset(), t.end(), depth, name + " IntArray " + v);
            }
            default -> leaf(t, depth, name);
        }
    }
}
