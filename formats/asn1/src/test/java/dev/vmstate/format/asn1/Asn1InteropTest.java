package dev.vmstate.format.asn1;

import static org.assertj.core.api.Assertions.assertThat;

import com.beanit.asn1bean.ber.types.BerInteger;
import com.beanit.asn1bean.ber.types.BerOctetString;
import com.beanit.asn1bean.ber.types.string.BerUTF8String;
import dev.vmstate.format.asn1.generated.vmstate.DeviceNodes;
import dev.vmstate.format.asn1.generated.vmstate.Plain;
import dev.vmstate.format.asn1.generated.vmstate.PlainMember;
import dev.vmstate.format.asn1.generated.vmstate.Property;
import dev.vmstate.format.asn1.generated.vmstate.Record;
import dev.vmstate.format.asn1.generated.vmstate.Struct;
import dev.vmstate.format.asn1.generated.vmstate.Value;
import dev.vmstate.machine.DeviceNode;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.spi.SectionCrc;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Command;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.ExternalTool;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.testkit.Schemas;
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
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.TreeOutVisitor;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #5's acceptance checks with decoders that share no code with ours:
 *
 * <ul>
 *   <li>{@code openssl asn1parse} parses our {@code asn1-der} output from the first byte after the
 *       envelope to the end, value by value ({@code -offset}/{@code -length}) and in one go,
 *       without an error, covering every byte;</li>
 *   <li>the classes asn1bean's compiler generated from {@code docs/formats/vmstate.asn} during this
 *       build decode every top-level value of our {@code asn1-der} and {@code asn1-ber} output, and
 *       what they hold is what the records and state trees hold, compared value by value.</li>
 * </ul>
 *
 * <p>Needs {@code openssl} on {@code PATH} for the first; without it the test is skipped, or fails
 * under {@code CI=true} (testkit's {@link ExternalTool} rule).
 */
@Tag("interop")
class Asn1InteropTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path tmp;

    /** A stream of every record kind, the fixture's sections, and sample sections of random schemas and states. */
    static List<StreamRecord> records() {
        List<StreamRecord> r = new ArrayList<>(EveryRecord.stream(true));
        StreamRecord description = r.remove(r.size() - 1);
        StreamRecord end = r.remove(r.size() - 1);
        Random random = new Random(0xA5_11L);
        int id = 100;
        for (int k = 0; k < 12; k++) {
            for (StreamRecord s : SampleStreams.sample(Schemas.draw(random)).records()) {
                if (s instanceof DeviceSection d) {
                    r.add(new DeviceSection(id++, d.idstr(), d.instanceId(), d.version(), d.footer(), d.schema(),
                            d.state()));
                }
            }
        }
        r.add(end);
        r.add(description);
        return r;
    }

    // ---------------------------------------------------------------- openssl asn1parse

    private String asn1parse(Path file, int offset, int length) throws Exception {
        Path openssl = ExternalTool.require("openssl", "openssl asn1parse checks the asn1-der output independently; "
                + "Debian package openssl");
        List<String> cmd = new ArrayList<>(List.of(openssl.toString(), "asn1parse", "-inform", "DER", "-in",
                file.toString(), "-offset", Integer.toString(offset)));
        if (length >= 0) {
            cmd.addAll(List.of("-length", Integer.toString(length)));
        }
        Path out = tmp.resolve("asn1parse.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("openssl asn1parse finishes").isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("openssl asn1parse -offset %d exit status; output:\n%s", offset, text).isZero();
        assertThat(text).as("openssl asn1parse -offset %d", offset).doesNotContainIgnoringCase("error");
        return text;
    }

    /** The end of the last value asn1parse printed at depth 0: offset + header length + length. */
    private static long coveredTo(String asn1parse) {
        long end = -1;
        for (String line : asn1parse.split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("^\\s*(\\d+):d=0\\s+hl=(\\d+)\\s+l=\\s*(\\d+)").matcher(line);
            if (m.find()) {
                end = Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)) + Long.parseLong(m.group(3));
            }
        }
        return end;
    }

    @Test
    void opensslParsesEveryValueOfTheDerBody() throws Exception {
        byte[] stream = Fixtures.write(Fixtures.DER, records(), WriteOptions.defaults().withCrc32c(true));
        Path file = tmp.resolve("stream.der");
        Files.write(file, stream);
        int body = SampleStreams.bodyStart(stream);
        List<Tlv> values = Tlv.parseAll(stream, body);
        int at = body;
        for (Tlv t : values) {
            assertThat(t.offset()).isEqualTo(at);
            int length = t.end() - t.offset();
            String text = asn1parse(file, t.offset(), length);
            assertThat(coveredTo(text)).as("asn1parse of the value at %d:\n%s", t.offset(), text).isEqualTo(length);
            at = t.end();
        }
        assertThat(at).isEqualTo(stream.length);
        // in one go, from the first byte after the envelope: asn1parse reads value after value to the end
        assertThat(coveredTo(asn1parse(file, body, -1))).isEqualTo(stream.length - body);
    }

    // ---------------------------------------------------------------- asn1bean

    @Test
    void asn1beanDecodesEveryValueToWhatTheRecordsHold() throws Exception {
        List<StreamRecord> records = records();
        for (WireFormat f : List.of(Fixtures.DER, Fixtures.BER)) {
            byte[] stream = Fixtures.write(f, records, WriteOptions.defaults().withCrc32c(true));
            List<Tlv> values = Tlv.parseAll(stream, SampleStreams.bodyStart(stream));
            List<Schema> schemas = new ArrayList<>();
            int v = 0;
            for (StreamRecord rec : records) {
                if (rec instanceof DeviceSection d && !schemas.contains(d.schema())) {
                    Record schema = decode(stream, values.get(v));
                    String at = f.name() + " value " + v + " (schema)";
                    assertThat(schema.getSchema()).as(at).isNotNull();
                    assertThat(schema.getSchema().getId().value).as(at).isEqualTo(BigInteger.valueOf(schemas.size()));
                    Object map = plain(schema.getSchema().getSchema());
                    compare(at, SchemaJson.toMap(d.schema()), map);
                    @SuppressWarnings("unchecked")
                    Schema fromAsn1bean = SchemaJson.fromMap((Map<String, Object>) map);
                    assertThat(fromAsn1bean).isEqualTo(d.schema());
                    schemas.add(fromAsn1bean);
                    v++;
                }
                String at = f.name() + " value " + v + " (" + rec.getClass().getSimpleName() + ")";
                compare(at, expected(rec, schemas), actual(decode(stream, values.get(v)), schemas));
                v++;
            }
            assertThat(values).hasSize(v);
        }
    }

    /** asn1bean's decoding of the value {@code t}, which must take exactly its bytes. */
    private static Record decode(byte[] stream, Tlv t) throws Exception {
        byte[] bytes = Arrays.copyOfRange(stream, t.offset(), t.end());
        Record r = new Record();
        assertThat(r.decode(new ByteArrayInputStream(bytes))).as("bytes asn1bean decoded at %d", t.offset())
                .isEqualTo(bytes.length);
        return r;
    }

    // ---- neutral forms: maps, lists, BigInteger, String, Boolean, "hex:..." for octets

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    private static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }

    private static String hex(byte[] b) {
        return "hex:" + HEX.formatHex(b);
    }

    private static Object expected(StreamRecord r, List<Schema> schemas) {
        if (r instanceof StreamHeader h) {
            return map("header", big(h.streamVersion()), "machineType", h.machineType(), "extra",
                    hex(h.configurationExtra()), "tree", h.deviceTree() == null ? null : tree(h.deviceTree().roots(),
                            h.deviceTree().machine()));
        } else if (r instanceof DeviceSection d) {
            StructValue tree = TreeOutVisitor.toTree(d.schema().name(), d.state());
            int id = schemas.indexOf(d.schema());
            return map("device", big(d.sectionId()), "idstr", d.idstr(), "instance", big(d.instanceId()), "version",
                    big(d.version()), "footer", d.footer(), "crc32c", big(SectionCrc.of(d.state())), "schema", big(id),
                    "state", struct(schemas.get(id), tree));
        } else if (r instanceof IterativeSection it) {
            return map("iterative", big(it.type().ordinal()), "sectionId", big(it.sectionId()), "start",
                    it.type() == IterativeSection.SectionType.START
                            ? List.of(it.idstr(), big(it.instanceId()), big(it.version())) : null);
        } else if (r instanceof RamRecord.Blocks b) {
            List<Object> blocks = new ArrayList<>();
            b.blocks().forEach(x -> blocks.add(List.of(x.name(), big(x.usedLength()))));
            return map("ramBlocks", big(b.totalBytes()), "blocks", blocks);
        } else if (r instanceof RamRecord.Page p) {
            Object content = p.encoding() == RamRecord.Encoding.ZERO ? big(p.data()[0] & 0xFF) : hex(p.data());
            return map("page", p.block(), "offset", big(p.offset()), "continued", p.continued(),
                    p.encoding().name().toLowerCase(java.util.Locale.ROOT), content);
        } else if (r instanceof RamRecord.Eos) {
            return "eos";
        } else if (r instanceof SectionEnd se) {
            return map("sectionEnd", big(se.sectionId()), "footer", se.footer());
        } else if (r instanceof Command c) {
            return map("command", big(c.command()), "data", hex(c.data()));
        } else if (r instanceof Description d) {
            return map("description", d.isGenerate() ? null : hex(d.json()));
        }
        return "end";
    }

    /** The device tree: a device's properties as a map, which the comparison takes in any order (a SET OF). */
    private static Object tree(List<DeviceNode> nodes, String machine) {
        List<Object> out = new ArrayList<>();
        for (DeviceNode n : nodes) {
            Map<String, Object> props = new java.util.TreeMap<>();
            n.properties().forEach((k, v) -> props.put(k, v instanceof Long l ? big(l) : v));
            out.add(map("id", n.id(), "type", n.type(), "bus", n.bus(), "properties", props, "children",
                    tree(n.children(), null)));
        }
        return machine == null ? out : map("machine", machine, "devices", out);
    }

    /** A state as docs/formats/asn1.md section 3 says each kind travels, in the neutral form. */
    private static List<Object> struct(Schema s, StructValue v) {
        List<Object> entries = new ArrayList<>();
        for (Field f : s.members()) {
            StateTree t = v.get(f.name());
            entries.add(t == null ? "absent" : value(f, t));
        }
        return entries;
    }

    private static Object value(Field f, StateTree t) {
        switch (f.kind()) {
            case BOOL:
                return ((BoolValue) t).value();
            case F64:
                return String.format("f64:%016x", Double.doubleToRawLongBits(((F64Value) t).value()));
            case STR:
                return ((StrValue) t).value();
            case BYTES:
            case BUFFER:
                return hex(((BytesValue) t).bytes());
            case ARRAY:
            case VARRAY: {
                ArrayValue a = (ArrayValue) t;
                List<Object> out = new ArrayList<>();
                for (long x : a.values()) {
                    out.add(a.element() == Kind.U64 ? unsigned(x) : big(x));
                }
                return map("intArray", out);
            }
            case ENUM:
                return big(((EnumValue) t).code());
            case STRUCT:
            case LIST: {
                if (t instanceof StructValue sv) {
                    return struct(f.struct(), sv);
                }
                List<Object> out = new ArrayList<>();
                for (StructValue item : ((ListValue) t).items()) {
                    out.add(struct(f.struct(), item));
                }
                return map("structArray", out);
            }
            case SECTION: {
                SectionValue sv = (SectionValue) t;
                return map("section", big(sv.version()), "state", struct(f.struct(), sv.body()));
            }
            default:
                IntValue i = (IntValue) t;
                return i.kind() == Kind.U64 ? unsigned(i.value()) : big(i.value());
        }
    }

    // ---- what asn1bean decoded, in the same neutral form

    private static String text(BerUTF8String s) {
        return s == null ? null : new String(s.value, StandardCharsets.UTF_8);
    }

    private static Object actual(Record r, List<Schema> schemas) {
        if (r.getHeader() != null) {
            var h = r.getHeader();
            return map("header", h.getStreamVersion().value, "machineType", text(h.getMachineType()), "extra",
                    hex(h.getConfigurationExtra().value), "tree", h.getDeviceTree() == null ? null
                            : map("machine", text(h.getDeviceTree().getMachine()), "devices",
                            nodes(h.getDeviceTree().getDevices())));
        } else if (r.getDevice() != null) {
            var d = r.getDevice();
            return map("device", d.getSectionId().value, "idstr", text(d.getIdstr()), "instance",
                    d.getInstanceId().value, "version", d.getVersion().value, "footer", d.getFooter().value,
                    "crc32c", d.getCrc32c() == null ? null : d.getCrc32c().value, "schema", d.getSchema().value,
                    "state", values(d.getState()));
        } else if (r.getIterative() != null) {
            var it = r.getIterative();
            var s = it.getStart();
            return map("iterative", it.getType().value, "sectionId", it.getSectionId().value, "start",
                    s == null ? null : List.of(text(s.getIdstr()), s.getInstanceId().value, s.getVersion().value));
        } else if (r.getRamBlocks() != null) {
            List<Object> blocks = new ArrayList<>();
            r.getRamBlocks().getBlocks().getRamBlock().forEach(b -> blocks.add(List.of(text(b.getName()),
                    b.getUsedLength().value)));
            return map("ramBlocks", r.getRamBlocks().getTotalBytes().value, "blocks", blocks);
        } else if (r.getPage() != null) {
            var p = r.getPage();
            var c = p.getContent();
            String kind = c.getZero() != null ? "zero" : c.getRaw() != null ? "raw" : "xbzrle";
            Object content = c.getZero() != null ? c.getZero().value : hex((c.getRaw() != null ? c.getRaw()
                    : c.getXbzrle()).value);
            return map("page", text(p.getBlock()), "offset", p.getOffset().value, "continued", p.getContinued().value,
                    kind, content);
        } else if (r.getEos() != null) {
            return "eos";
        } else if (r.getSectionEnd() != null) {
            return map("sectionEnd", r.getSectionEnd().getSectionId().value, "footer",
                    r.getSectionEnd().getFooter().value);
        } else if (r.getCommand() != null) {
            return map("command", r.getCommand().getCommand().value, "data", hex(r.getCommand().getData().value));
        } else if (r.getDescription() != null) {
            BerOctetString json = r.getDescription().getJson();
            return map("description", json == null ? null : hex(json.value));
        }
        assertThat(r.getEnd()).as("the only alternative left").isNotNull();
        return "end";
    }

    private static List<Object> nodes(DeviceNodes nodes) {
        List<Object> out = new ArrayList<>();
        for (var n : nodes.getDeviceNode()) {
            Map<String, Object> props = new java.util.TreeMap<>();
            for (Property p : n.getProperties().getProperty()) {
                var v = p.getValue();
                props.put(text(p.getName()), v.getText() != null ? text(v.getText())
                        : v.getNumber() != null ? v.getNumber().value : (Object) v.getFlag().value);
            }
            out.add(map("id", text(n.getId()), "type", text(n.getType()), "bus", text(n.getBus()), "properties", props,
                    "children", nodes(n.getChildren())));
        }
        return out;
    }

    private static List<Object> values(Struct s) {
        List<Object> out = new ArrayList<>();
        for (Value v : s.getValue()) {
            out.add(value(v));
        }
        return out;
    }

    private static Object value(Value v) {
        if (v.getBoolValue() != null) {
            return v.getBoolValue().value;
        } else if (v.getIntValue() != null) {
            return v.getIntValue().value;
        } else if (v.getF64Value() != null) {
            assertThat(v.getF64Value().value).hasSize(8);
            return "f64:" + HEX.formatHex(v.getF64Value().value);
        } else if (v.getStrValue() != null) {
            return text(v.getStrValue());
        } else if (v.getBytesValue() != null) {
            return hex(v.getBytesValue().value);
        } else if (v.getIntArray() != null) {
            List<Object> out = new ArrayList<>();
            for (BerInteger i : v.getIntArray().getBerInteger()) {
                out.add(i.value);
            }
            return map("intArray", out);
        } else if (v.getStructValue() != null) {
            return values(v.getStructValue());
        } else if (v.getStructArray() != null) {
            List<Object> out = new ArrayList<>();
            for (Struct s : v.getStructArray().getStruct()) {
                out.add(values(s));
            }
            return map("structArray", out);
        } else if (v.getSection() != null) {
            return map("section", v.getSection().getVersion().value, "state", values(v.getSection().getState()));
        }
        assertThat(v.getAbsentSection()).as("the only alternative left").isNotNull();
        return "absent";
    }

    private static Object plain(Plain p) {
        if (p.getNullValue() != null) {
            return null;
        } else if (p.getBoolValue() != null) {
            return p.getBoolValue().value;
        } else if (p.getIntValue() != null) {
            return p.getIntValue().value.longValueExact();
        } else if (p.getStringValue() != null) {
            return text(p.getStringValue());
        } else if (p.getListValue() != null) {
            List<Object> out = new ArrayList<>();
            for (Plain x : p.getListValue().getPlain()) {
                out.add(plain(x));
            }
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (PlainMember m : p.getMapValue().getPlainMember()) {
            out.put(text(m.getKey()), plain(m.getValue()));
        }
        return out;
    }

    /** Fails naming the path of the first difference; maps compare in order (a TreeMap: a set, in key order). */
    private static void compare(String path, Object expected, Object actual) {
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            assertThat(new ArrayList<>(a.keySet())).as("%s: keys", path).isEqualTo(new ArrayList<>(e.keySet()));
            for (Object k : e.keySet()) {
                compare(path + "." + k, e.get(k), a.get(k));
            }
        } else if (expected instanceof List<?> e && actual instanceof List<?> a) {
            assertThat(a).as("%s: entries", path).hasSameSizeAs(e);
            for (int i = 0; i < e.size(); i++) {
                compare(path + "[" + i + "]", e.get(i), a.get(i));
            }
        } else {
            assertThat(actual).as(path).isEqualTo(expected);
        }
    }
}
