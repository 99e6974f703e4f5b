package dev.vmstate.format.cbor;

import dev.vmstate.spi.RecordOrder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.internal.Json;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.SectionCrc;
import dev.vmstate.spi.StreamReader;
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
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * Issue #4's acceptance check: Debian's python3-cbor2, a decoder that shares no code with ours,
 * decodes every item of our output from the first byte after the envelope, and the values it gets
 * are the ones the records and state trees hold, compared value by value (not "it parsed"). The
 * script ({@code src/test/resources/decode.py}) prints each item as type-tagged JSON; this test
 * builds the same tagged form from the records and compares the two, naming the path of the
 * first difference.
 *
 * <p>Needs a python3 with the cbor2 module: the first of {@code /usr/bin/python3} and the
 * {@code python3}s on {@code PATH} that can import it. Without one the test is skipped, or fails
 * under {@code CI=true} (testkit's {@link ExternalTool} rule).
 */
@Tag("interop")
class CborInteropTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path tmp;

    /** The first python3 that imports cbor2: /usr/bin/python3 first (Debian's package serves it), then PATH. */
    static Path python() {
        Set<Path> candidates = new LinkedHashSet<>();
        candidates.add(Path.of("/usr/bin/python3"));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                candidates.add(Path.of(dir.isEmpty() ? "." : dir, "python3"));
            }
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p) && Files.isExecutable(p) && imports(p)) {
                return p;
            }
        }
        String why = "no python3 can import cbor2 (Debian package python3-cbor2), needed to decode cbor streams "
                + "independently";
        if (ExternalTool.isCi()) {
            throw new IllegalStateException(why + "; CI=true, so a missing tool fails the test: install "
                    + "python3-cbor2 in .ci/run");
        }
        throw new TestAbortedException(why + "; skipped outside CI");
    }

    private static boolean imports(Path python) {
        try {
            Process p = new ProcessBuilder(python.toString(), "-c", "import cbor2").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> decode(byte[] stream) throws IOException, InterruptedException {
        Path py = python();
        Path script = tmp.resolve("decode.py");
        try (InputStream in = CborInteropTest.class.getResourceAsStream("/decode.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path file = tmp.resolve("stream.cbor");
        Files.write(file, stream);
        Path out = tmp.resolve("decoded.json");
        Path err = tmp.resolve("decode.err");
        Process p = new ProcessBuilder(py.toString(), script.toString(), file.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("python3 decode.py finishes").isTrue();
        assertThat(p.exitValue()).as("python3-cbor2 exit status; stderr: %s", Files.readString(err)).isZero();
        return (Map<String, Object>) Json.parse(Files.readString(out, StandardCharsets.UTF_8));
    }

    /** A stream of every record kind, the fixture's sections, and sample sections of random schemas and states. */
    static List<StreamRecord> records() {
        List<StreamRecord> r = new ArrayList<>(EveryRecord.stream(true));
        StreamRecord end = r.remove(r.size() - 1);
        StreamRecord eos = r.remove(r.size() - 1);
        Random random = new Random(0xC0B0_2L);
        int id = 100;
        for (int k = 0; k < 12; k++) {
            for (StreamRecord s : SampleStreams.sample(Schemas.draw(random)).records()) {
                if (s instanceof DeviceSection d) {
                    r.add(new DeviceSection(id++, d.idstr(), d.instanceId(), d.version(), d.footer(), d.schema(),
                            d.state()));
                }
            }
        }
        r.add(eos);
        r.add(end);
        return r;
    }

    @Test
    @SuppressWarnings("unchecked")
    void cbor2DecodesEveryItemToTheValuesTheRecordsHold() throws Exception {
        List<StreamRecord> records = records();
        byte[] stream = Fixtures.write(records, WriteOptions.defaults().withCrc32c(true));
        Map<String, Object> decoded = decode(stream);

        assertThat(decoded.get("body")).isEqualTo((long) SampleStreams.bodyStart(stream));
        List<Object> items = list(decoded.get("items"));
        List<Long> ends = new ArrayList<>();
        try (StreamReader r = Fixtures.FORMAT.openReader(ByteSource.of(stream), ReadOptions.defaults())) {
            while (r.next() != null) {
                ends.add(r.position());
            }
        }
        // The schema table as cbor2 decoded it: a device item's state is read positionally against it.
        List<Schema> schemas = new ArrayList<>();
        int item = 0;
        for (int i = 0; i < records.size(); i++) {
            StreamRecord rec = records.get(i);
            if (rec instanceof DeviceSection d && !schemas.contains(d.schema())) {
                // #4: the first device item of a schema comes after that schema's item
                Map<String, Object> got = map(items.get(item));
                compare("item " + item + " (schema)", map("record", text("schema"), "id", integer(schemas.size()),
                        "schema", plain(SchemaJson.toMap(d.schema()))), got.get("item"));
                Schema fromCbor2 = SchemaJson.fromMap((Map<String, Object>) untag(list(map(got.get("item"))
                        .get("map")).stream().map(CborInteropTest::list).filter(kv -> kv.get(0).equals("schema"))
                        .findFirst().orElseThrow().get(1)));
                assertThat(fromCbor2).isEqualTo(d.schema());
                schemas.add(fromCbor2);
                item++;
            }
            Map<String, Object> got = map(items.get(item));
            assertThat(got.get("end")).as("end of item %d, as cbor2 and our reader see it", item).isEqualTo(ends.get(i));
            compare("item " + item + " (" + RecordOrder.kindOf(rec) + ")", expected(rec, schemas), got.get("item"));
            item++;
        }
        assertThat(items).hasSize(item);
        assertThat(map(items.get(items.size() - 1)).get("end")).isEqualTo((long) stream.length);
    }

    /** The plain value of a type-tagged one, as SchemaJson.fromMap takes it. */
    private static Object untag(Object tagged) {
        Map<String, Object> m = map(tagged);
        String type = m.keySet().iterator().next();
        Object v = m.get(type);
        switch (type) {
            case "map": {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Object kv : list(v)) {
                    out.put((String) list(kv).get(0), untag(list(kv).get(1)));
                }
                return out;
            }
            case "array": {
                List<Object> out = new ArrayList<>();
                for (Object x : list(v)) {
                    out.add(untag(x));
                }
                return out;
            }
            case "int":
                return Long.parseLong((String) v);
            case "text":
            case "bool":
                return v;
            case "null":
                return null;
            default:
                throw new AssertionError("no plain value for " + tagged);
        }
    }

    // ---------------------------------------------------------------- what cbor2 must see

    private static Map<String, Object> tag(String type, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(type, value);
        return m;
    }

    private static Object text(String s) {
        return tag("text", s);
    }

    private static Object integer(long v) {
        return tag("int", Long.toString(v));
    }

    private static Object unsigned(long v) {
        return tag("int", Long.toUnsignedString(v));
    }

    private static Object bytes(byte[] b) {
        return tag("bytes", HEX.formatHex(b));
    }

    private static Object bool(boolean b) {
        return tag("bool", b);
    }

    /** A map in the given key order: the tagged form of a CBOR map. */
    private static Object map(Object... kv) {
        List<Object> pairs = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            pairs.add(List.of(kv[i], kv[i + 1]));
        }
        return tag("map", pairs);
    }

    /** Plain values (schema, device tree): what SchemaJson and DeviceTree hold. */
    private static Object plain(Object v) {
        if (v == null) {
            return tag("null", true);
        } else if (v instanceof String s) {
            return text(s);
        } else if (v instanceof Boolean b) {
            return bool(b);
        } else if (v instanceof Number n) {
            return integer(n.longValue());
        } else if (v instanceof Map<?, ?> m) {
            List<Object> pairs = new ArrayList<>();
            m.forEach((k, x) -> pairs.add(List.of(String.valueOf(k), plain(x))));
            return tag("map", pairs);
        } else {
            List<Object> a = new ArrayList<>();
            for (Object o : (List<?>) v) {
                a.add(plain(o));
            }
            return tag("array", a);
        }
    }

    private static Object expected(StreamRecord r, List<Schema> schemas) {
        if (r instanceof StreamHeader h) {
            return map("record", text("header"), "stream_version", integer(h.streamVersion()), "machine_type",
                    h.machineType() == null ? tag("null", true) : text(h.machineType()), "configuration_extra",
                    bytes(h.configurationExtra()), "device_tree",
                    plain(h.deviceTree() == null ? null : h.deviceTree().toMap()));
        } else if (r instanceof DeviceSection d) {
            StructValue tree = TreeOutVisitor.toTree(d.schema().name(), d.state());
            int id = schemas.indexOf(d.schema());
            return map("record", text("device"), "section_id", integer(d.sectionId()), "idstr", text(d.idstr()),
                    "instance_id", integer(d.instanceId()), "version", integer(d.version()), "footer",
                    bool(d.footer()), "crc32c", integer(SectionCrc.of(d.state())), "schema", integer(id),
                    "state", struct(schemas.get(id), tree));
        } else if (r instanceof IterativeSection it) {
            String type = it.type().name().toLowerCase(Locale.ROOT);
            return it.type() == IterativeSection.SectionType.START
                    ? map("record", text("iterative"), "type", text(type), "section_id", integer(it.sectionId()),
                            "idstr", text(it.idstr()), "instance_id", integer(it.instanceId()), "version",
                            integer(it.version()))
                    : map("record", text("iterative"), "type", text(type), "section_id", integer(it.sectionId()));
        } else if (r instanceof RamRecord.Blocks b) {
            List<Object> blocks = new ArrayList<>();
            b.blocks().forEach(x -> blocks.add(map("name", text(x.name()), "used_length", integer(x.usedLength()))));
            return map("record", text("ram_blocks"), "total_bytes", integer(b.totalBytes()), "blocks",
                    tag("array", blocks));
        } else if (r instanceof RamRecord.Page p) {
            boolean zero = p.encoding() == RamRecord.Encoding.ZERO;
            return map("record", text("page"), "block", text(p.block()), "offset", integer(p.offset()), "continued",
                    bool(p.continued()), "encoding", text(p.encoding().name().toLowerCase(Locale.ROOT)),
                    zero ? "fill" : "data", zero ? integer(p.data()[0] & 0xFF) : bytes(p.data()));
        } else if (r instanceof RamRecord.Eos) {
            return map("record", text("eos"));
        } else if (r instanceof SectionEnd se) {
            return map("record", text("section_end"), "section_id", integer(se.sectionId()), "footer",
                    bool(se.footer()));
        } else if (r instanceof Command c) {
            return map("record", text("command"), "command", integer(c.command()), "data", bytes(c.data()));
        } else if (r instanceof Description d) {
            return d.isGenerate() ? map("record", text("description"), "generate", bool(true))
                    : map("record", text("description"), "json", bytes(d.json()));
        }
        return map("record", text("end"));
    }

    /**
     * A state, as docs/formats/cbor.md section 3 says each kind travels: an array with one entry per
     * member of the schema (the one from the stream's schema item), in its order; null for an absent section.
     */
    private static Object struct(Schema s, StructValue v) {
        List<Object> entries = new ArrayList<>();
        for (Field f : s.members()) {
            StateTree t = v.get(f.name());
            entries.add(t == null ? tag("null", true) : value(f, t));
        }
        return tag("array", entries);
    }

    private static Object value(Field f, StateTree t) {
        switch (f.kind()) {
            case BOOL:
                return bool(((BoolValue) t).value());
            case F64:
                return tag("float", String.format("%016x", Double.doubleToRawLongBits(((F64Value) t).value())));
            case STR:
                return text(((StrValue) t).value());
            case BYTES:
            case BUFFER:
                return bytes(((BytesValue) t).bytes());
            case ARRAY:
            case VARRAY: {
                ArrayValue a = (ArrayValue) t;
                List<Object> out = new ArrayList<>();
                for (long x : a.values()) {
                    out.add(a.element() == Kind.U64 ? unsigned(x) : integer(x));
                }
                return tag("array", out);
            }
            case ENUM:
                return integer(((EnumValue) t).code());
            case STRUCT:
            case LIST: {
                if (t instanceof StructValue sv) {
                    return struct(f.struct(), sv);
                }
                List<Object> out = new ArrayList<>();
                for (StructValue item : ((ListValue) t).items()) {
                    out.add(struct(f.struct(), item));
                }
                return tag("array", out);
            }
            case SECTION: {
                SectionValue sv = (SectionValue) t;
                return tag("array", List.of(integer(sv.version()), struct(f.struct(), sv.body())));
            }
            default:
                IntValue i = (IntValue) t;
                return i.kind() == Kind.U64 ? unsigned(i.value()) : integer(i.value());
        }
    }

    // ---------------------------------------------------------------- comparing

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    /** Fails naming the path of the first difference between what we wrote and what cbor2 decoded. */
    private static void compare(String path, Object expected, Object actual) {
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a && e.size() == 1 && a.size() == 1
                && e.keySet().equals(a.keySet())) {
            String type = (String) e.keySet().iterator().next();
            Object ev = e.get(type);
            Object av = a.get(type);
            if (type.equals("map") || type.equals("array")) {
                List<Object> el = list(ev);
                List<Object> al = list(av);
                assertThat(al).as("%s: %s of %d", path, type, el.size()).hasSameSizeAs(el);
                for (int i = 0; i < el.size(); i++) {
                    if (type.equals("map")) {
                        List<Object> ep = list(el.get(i));
                        List<Object> ap = list(al.get(i));
                        assertThat(ap.get(0)).as("%s: key #%d", path, i).isEqualTo(ep.get(0));
                        compare(path + "." + ep.get(0), ep.get(1), ap.get(1));
                    } else {
                        compare(path + "[" + i + "]", el.get(i), al.get(i));
                    }
                }
                return;
            }
            assertThat(av).as("%s: %s value", path, type).isEqualTo(ev);
            return;
        }
        assertThat(actual).as("%s: type-tagged value", path).isEqualTo(expected);
    }
}
