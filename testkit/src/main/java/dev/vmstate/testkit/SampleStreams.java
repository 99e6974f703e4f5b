package dev.vmstate.testkit;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.machine.DeviceNode;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.SampleTrees;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.StructureValidator;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.SchemaSource;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.Difference;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StateDiff;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.BytesValue;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.ListValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StrValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.quicktheories.core.Gen;

/**
 * Streams for format tests: record lists built from random schemas and states, written and read
 * through any {@link WireFormat}, and compared record by record. The conformance suite and
 * {@link RoundTrip#checkAllFormats} are built on these; a format's own tests can use them too.
 *
 * <p>A sample stream is a {@link #header()} ({@value #MACHINE} with a small device tree), one to
 * three {@link DeviceSection}s each holding a {@link GenericState} of a random {@link Schema}
 * ({@link Schemas}) and state (as {@link Arbitraries} makes them), an {@link EndOfState} and,
 * half the time, {@link Description#generate()}. Each section's
 * schema is named after the last component of its id string, so {@link #schemaSource(List)} can
 * answer a schema-less reader from the list of schemas written.
 *
 * <p>Stateless and thread-safe; the record lists it returns are not (their states are mutable).
 *
 * @since 0.1
 */
public final class SampleStreams {
    /** The machine type of every sample header. */
    public static final String MACHINE = "test-machine";
    /** Sections of the {@link #longSample(Random) long sample}, each a little over 6 KiB of body. */
    static final int LONG_SECTIONS = 12;

    /**
     * A record list and the schemas of its sections, in the order written. The lists are
     * immutable; the section states in them are not (a writer visits them).
     */
    public record Sample(List<Schema> schemas, List<StreamRecord> records) {
        public Sample {
            schemas = List.copyOf(schemas);
            records = List.copyOf(records);
        }

        /** This sample with a request to generate the description trailer after its {@link EndOfState}, if it has none. */
        public Sample withDescription() {
            if (records.get(records.size() - 1) instanceof Description) {
                return this;
            }
            List<StreamRecord> r = new ArrayList<>(records);
            r.add(Description.generate());
            return new Sample(schemas, r);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("stream of ").append(records.size()).append(" records:");
            for (StreamRecord r : records) {
                sb.append("\n  ");
                if (r instanceof DeviceSection s) {
                    sb.append("DeviceSection ").append(s.label()).append(" id ").append(s.sectionId()).append(" v")
                            .append(s.version()).append(s.footer() ? " footer" : " no footer").append(", schema ")
                            .append(s.schema().toString().replace("\n", " ").replaceAll(" +", " "))
                            .append("\n    state ").append(tree(s));
                } else if (r instanceof StreamHeader h) {
                    sb.append("StreamHeader ").append(h.machineType());
                } else {
                    sb.append(r);
                }
            }
            return sb.toString();
        }
    }

    private SampleStreams() {
    }

    /** The header of every sample: {@value #MACHINE} and {@link #deviceTree()}. */
    public static StreamHeader header() {
        return StreamHeader.of(MACHINE, deviceTree());
    }

    /** A small device tree: a host bridge with two devices on its bus, properties of each type. */
    public static DeviceTree deviceTree() {
        DeviceNode host = new DeviceNode("host", "test-host", null, Map.of("cpus", 2L), List.of(
                DeviceNode.of("dev0", "test-dev", "bus.0", props("addr", "02.0", "irq", 5L, "enabled", true)),
                DeviceNode.of("dev1", "test-dev", "bus.0", props("addr", "03.0", "irq", 9L, "enabled", false))));
        return new DeviceTree(MACHINE, List.of(host));
    }

    private static Map<String, Object> props(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Sample streams, shrinking towards one small section. */
    public static Gen<Sample> samples() {
        return in -> sample(Schemas.draw(in));
    }

    /**
     * One sample stream from {@code draw}: 1..3 sections, sometimes a second instance of the
     * previous section's device, footers on all sections or on none (as QEMU decides per stream),
     * and half the time a request to generate the description trailer.
     */
    public static Sample sample(SampleTrees.Draw draw) {
        return sample(draw, false);
    }

    /**
     * As {@link #sample(SampleTrees.Draw)}; with {@code emptyElements} false, no list or struct
     * array has elements that take no bytes (see {@link Schemas#generate(String, SampleTrees.Draw, boolean)}).
     */
    public static Sample sample(SampleTrees.Draw draw, boolean emptyElements) {
        int count = (int) draw.between(1, 3);
        boolean footer = draw.between(0, 1) == 0;
        int sectionId = (int) draw.between(0, 5);
        List<Schema> schemas = new ArrayList<>();
        List<StreamRecord> records = new ArrayList<>();
        records.add(header());
        DeviceSection previous = null;
        for (int i = 0; i < count; i++) {
            String idstr;
            int instance;
            Schema schema;
            if (previous != null && draw.between(0, 3) == 3) {
                idstr = previous.idstr();
                instance = previous.instanceId() + 1;
                schema = previous.schema();
            } else {
                String name = "dev" + i;
                // QEMU names a PCI device's section "<pci address>/<vmsd name>".
                idstr = draw.between(0, 1) == 0 ? name : String.format("0000:00:%02x.0/%s", i + 2, name);
                instance = (int) draw.between(0, 3);
                schema = Schemas.generate(name, draw, emptyElements);
                schemas.add(schema);
            }
            StructValue tree = SampleTrees.generate(schema, draw, Arbitraries.DEFAULT_MAX_LENGTH);
            previous = new DeviceSection(sectionId++, idstr, instance, schema.version(), footer, schema,
                    new GenericState(schema, tree));
            records.add(previous);
        }
        records.add(new EndOfState());
        if (draw.between(0, 1) == 1) {
            records.add(Description.generate());
        }
        return new Sample(schemas, records);
    }

    /**
     * A stream longer than {@link StreamMutations#EXHAUSTIVE_PREFIX} in any encoding:
     * {@value #LONG_SECTIONS} instances of one device, each with a 6 KiB byte field, a string, a
     * list and, on every other instance, a section.
     */
    public static Sample longSample(Random random) {
        Schema row = new Schema("row", 0, 0, List.of(Field.scalar("a", Kind.U16, null), Field.scalar("b", Kind.U64, null)));
        Schema extra = new Schema("bulk/extra", 1, 1, List.of(Field.buffer("pad", 16)));
        Schema bulk = new Schema("bulk", 2, 1, List.of(Field.scalar("seq", Kind.U32, null),
                Field.variable("payload", Kind.BYTES), Field.variable("label", Kind.STR), Field.list("rows", row),
                Field.section("bulk/extra", extra)));
        List<StreamRecord> records = new ArrayList<>();
        records.add(header());
        for (int i = 0; i < LONG_SECTIONS; i++) {
            Map<String, StateTree> m = new LinkedHashMap<>();
            m.put("seq", new IntValue(Kind.U32, i));
            m.put("payload", new BytesValue(Kind.BYTES, randomBytes(random, 6 * 1024)));
            m.put("label", new StrValue("instance " + i));
            List<StructValue> rows = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                rows.add(new StructValue("row", Map.of("a", new IntValue(Kind.U16, random.nextInt(0x10000)),
                        "b", new IntValue(Kind.U64, random.nextLong()))));
            }
            m.put("rows", new ListValue(Kind.LIST, rows));
            if (i % 2 == 0) {
                m.put("bulk/extra", new SectionValue(1, new StructValue("bulk/extra",
                        Map.of("pad", new BytesValue(Kind.BUFFER, randomBytes(random, 16))))));
            }
            records.add(new DeviceSection(i, "bulk", i, bulk.version(), true, bulk,
                    new GenericState(bulk, new StructValue("bulk", m))));
        }
        records.add(new EndOfState());
        return new Sample(List.of(bulk), records);
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    // ---- writing and reading --------------------------------------------------------------

    /** {@code records} written by {@code format} with {@code options}, as bytes. */
    public static byte[] write(WireFormat format, List<StreamRecord> records, WriteOptions options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (StreamWriter w = format.openWriter(out, options)) {
            for (StreamRecord r : records) {
                w.write(r);
            }
        }
        return out.toByteArray();
    }

    /** Offset of the first byte after the binary envelope: where a binary format's body starts. */
    public static int bodyStart(byte[] stream) {
        return 7 + ((stream[5] & 0xFF) << 8 | (stream[6] & 0xFF));
    }

    /** The envelope of a default stream of the format {@code formatId}, then {@code body}: a hand-made stream. */
    public static byte[] withEnvelope(String formatId, byte[] body) {
        byte[] env = Envelope.of(formatId, WriteOptions.defaults()).toBytes();
        byte[] out = Arrays.copyOf(env, env.length + body.length);
        System.arraycopy(body, 0, out, env.length, body.length);
        return out;
    }

    /** Every record {@code format} reads from {@code in}. */
    public static List<StreamRecord> read(WireFormat format, ByteSource in, ReadOptions options) {
        return read(format, in, options, Integer.MAX_VALUE);
    }

    /** As {@link #read(WireFormat, ByteSource, ReadOptions)}; more than {@code maxRecords} records is an {@link AssertionError}. */
    static List<StreamRecord> read(WireFormat format, ByteSource in, ReadOptions options, int maxRecords) {
        List<StreamRecord> out = new ArrayList<>();
        try (StreamReader r = format.openReader(in, options)) {
            for (StreamRecord rec = r.next(); rec != null; rec = r.next()) {
                out.add(rec);
                if (out.size() > maxRecords) {
                    throw new AssertionError("the reader returned more than " + maxRecords
                            + " records: it does not advance through its input");
                }
            }
        }
        return out;
    }

    /** {@code options} completed by {@link WireFormat#prepare} from {@code stream}, as a file would be. */
    public static ReadOptions prepare(WireFormat format, byte[] stream, ReadOptions options) {
        return format.prepare(channel(stream), options);
    }

    /** Every record of {@code stream}, read as the CLI reads a file: {@link WireFormat#prepare} first. */
    public static List<StreamRecord> read(WireFormat format, byte[] stream, ReadOptions options) {
        return read(format, ByteSource.of(stream), prepare(format, stream, options));
    }

    /** The reader's position before the first record and after each one. */
    public static long[] recordBoundaries(WireFormat format, byte[] stream, ReadOptions options) {
        List<Long> at = new ArrayList<>();
        try (StreamReader r = format.openReader(ByteSource.of(stream), prepare(format, stream, options))) {
            at.add(r.position());
            while (r.next() != null) {
                at.add(r.position());
            }
        }
        return at.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Answers a schema-less reader from {@code schemas}: the schema named after the section's id
     * string, or after its last {@code /} component ({@code 0000:00:02.0/e1000} gives
     * {@code e1000}), preferring the one at the section's version.
     */
    public static SchemaSource schemaSource(List<Schema> schemas) {
        List<Schema> copy = List.copyOf(schemas);
        return (idstr, instanceId, version) -> {
            String type = idstr.substring(idstr.lastIndexOf('/') + 1);
            Schema named = null;
            for (Schema s : copy) {
                if (s.name().equals(idstr) || s.name().equals(type)) {
                    if (s.version() == version) {
                        return s;
                    }
                    named = named == null ? s : named;
                }
            }
            return named;
        };
    }

    // ---- comparing ------------------------------------------------------------------------

    /**
     * What differs between the records written and the records read, one line each; empty when
     * they agree. Device sections are compared field by field, their schemas member by member
     * ({@link StructureValidator#firstDifference}) and their states value by value
     * ({@link StateDiff}); a {@link Description#generate() request} for a description matches any
     * description read; every other record by {@code equals}.
     */
    public static List<String> differences(List<StreamRecord> expected, List<StreamRecord> actual) {
        List<String> out = new ArrayList<>();
        if (expected.size() != actual.size()) {
            out.add("expected " + expected.size() + " records, read " + actual.size() + ": " + kinds(actual));
        }
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            compare("record #" + i + " ", expected.get(i), actual.get(i), out);
        }
        return out;
    }

    /**
     * Fails unless {@code actual} holds exactly {@code expected}: device sections field by field,
     * with equal schemas (hints and versions included) and equal states as trees; every other
     * record by equality. Stricter than {@link #differences}, which a format may satisfy while
     * rebuilding a schema; for tests of one format against its own output.
     */
    public static void assertSameRecords(List<StreamRecord> expected, List<StreamRecord> actual) {
        if (expected.size() != actual.size()) {
            throw new AssertionError("expected " + expected.size() + " records, read " + actual.size() + ": "
                    + kinds(actual));
        }
        for (int i = 0; i < expected.size(); i++) {
            StreamRecord e = expected.get(i);
            StreamRecord a = actual.get(i);
            if (e instanceof DeviceSection ed && a instanceof DeviceSection ad) {
                boolean same = ad.sectionId() == ed.sectionId() && ad.idstr().equals(ed.idstr())
                        && ad.instanceId() == ed.instanceId() && ad.version() == ed.version()
                        && ad.footer() == ed.footer() && ad.schema().equals(ed.schema());
                if (!same || !tree(ad).equals(tree(ed))) {
                    throw new AssertionError("record #" + i + " (" + ed.label() + ") differs: "
                            + differences(List.of(ed), List.of(ad)) + (same ? "" : " (header or schema)"));
                }
            } else if (!e.equals(a)) {
                throw new AssertionError("record #" + i + " is " + a + ", expected " + e);
            }
        }
    }

    private static String kinds(List<StreamRecord> records) {
        return records.stream().map(r -> r.getClass().getSimpleName()).toList().toString();
    }

    private static void compare(String at, StreamRecord e, StreamRecord a, List<String> out) {
        if (e.getClass() != a.getClass()) {
            out.add(at + "is a " + a.getClass().getSimpleName() + ", expected a " + e.getClass().getSimpleName());
        } else if (e instanceof DeviceSection es) {
            DeviceSection as = (DeviceSection) a;
            String where = at + es.label() + ": ";
            field(where, "sectionId", es.sectionId(), as.sectionId(), out);
            field(where, "idstr", es.idstr(), as.idstr(), out);
            field(where, "instanceId", es.instanceId(), as.instanceId(), out);
            field(where, "version", es.version(), as.version(), out);
            field(where, "footer", es.footer(), as.footer(), out);
            String schemaDiff = StructureValidator.firstDifference(es.idstr(), es.schema(), as.schema());
            if (schemaDiff != null) {
                out.add(where + "schema differs at " + schemaDiff + ": " + firstFieldDifference(es.schema(), as.schema()));
            }
            for (Difference d : StateDiff.between(es.idstr(), tree(es), tree(as))) {
                out.add(where + d);
            }
        } else if (e instanceof Description ed && ed.isGenerate()) {
            return;
        } else if (!e.equals(a)) {
            out.add(at + "is " + a + ", expected " + e);
        }
    }

    /** The first pair of members that differ, both shown, for a message; the path comes from StructureValidator. */
    private static String firstFieldDifference(Schema written, Schema read) {
        int n = Math.max(written.members().size(), read.members().size());
        for (int i = 0; i < n; i++) {
            Field w = i < written.members().size() ? written.members().get(i) : null;
            Field r = i < read.members().size() ? read.members().get(i) : null;
            if (w != null && r != null && w.name().equals(r.name()) && w.struct() != null && r.struct() != null
                    && w.kind() == r.kind() && w.length() == r.length()) {
                String inner = firstFieldDifference(w.struct(), r.struct());
                if (inner != null) {
                    return inner;
                }
            } else if (w == null || !w.equals(r)) {
                return "written " + describe(w) + ", read " + describe(r);
            }
        }
        return null;
    }

    private static String describe(Field f) {
        if (f == null) {
            return "(nothing)";
        }
        return f.name() + ": " + f.describe() + (f.hint() == null ? "" : " hint " + f.hint().id())
                + (f.enumNames() == null ? "" : " names " + new java.util.TreeMap<>(f.enumNames()));
    }

    private static void field(String where, String name, Object e, Object a, List<String> out) {
        if (!e.equals(a)) {
            out.add(where + name + " is " + a + ", expected " + e);
        }
    }

    /** The state of a section as a tree, whatever object holds it. */
    static StructValue tree(DeviceSection s) {
        Visitable state = s.state();
        return state instanceof GenericState g ? g.tree() : Visitables.toTree(s.schema().name(), state);
    }

    // ---- input shapes ---------------------------------------------------------------------

    /** An input stream over {@code bytes} whose reads deliver at most one byte, as a slow pipe does. */
    public static InputStream oneByteAtATime(byte[] bytes) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < bytes.length ? bytes[pos++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                if (pos >= bytes.length) {
                    return -1;
                }
                b[off] = bytes[pos++];
                return 1;
            }
        };
    }

    /** {@code bytes} in a direct buffer, as a memory-mapped file or a network read gives them. */
    public static ByteBuffer direct(byte[] bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(Math.max(1, bytes.length));
        b.put(bytes).flip();
        return b;
    }

    /** A read-only seekable channel over {@code bytes}, for {@link WireFormat#prepare}. */
    public static SeekableByteChannel channel(byte[] bytes) {
        return channel(bytes, bytes.length);
    }

    /** A read-only seekable channel over the first {@code length} bytes of {@code bytes}. */
    static SeekableByteChannel channel(byte[] bytes, int length) {
        return new SeekableByteChannel() {
            private long pos;
            private boolean open = true;

            @Override
            public int read(ByteBuffer dst) throws IOException {
                check();
                if (pos >= length) {
                    return -1;
                }
                int n = (int) Math.min(dst.remaining(), length - pos);
                dst.put(bytes, (int) pos, n);
                pos += n;
                return n;
            }

            @Override
            public int write(ByteBuffer src) {
                throw new NonWritableChannelException();
            }

            @Override
            public long position() throws IOException {
                check();
                return pos;
            }

            @Override
            public SeekableByteChannel position(long newPosition) throws IOException {
                check();
                if (newPosition < 0) {
                    throw new IllegalArgumentException("negative position " + newPosition);
                }
                pos = newPosition;
                return this;
            }

            @Override
            public long size() throws IOException {
                check();
                return length;
            }

            @Override
            public SeekableByteChannel truncate(long size) {
                throw new NonWritableChannelException();
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() {
                open = false;
            }

            private void check() throws IOException {
                if (!open) {
                    throw new java.nio.channels.ClosedChannelException();
                }
            }
        };
    }
}
