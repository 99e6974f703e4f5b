package dev.vmstate.format.cbor;

import dev.vmstate.spi.RecordOrder;
import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.schema.SchemaLimits;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.SectionCrc;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.SectionVersions;
import dev.vmstate.visitor.Visitable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.dataformat.cbor.CBORFactory;

/**
 * Reads one {@code cbor} stream ({@code docs/formats/cbor.md}) record by record: the binary
 * envelope, then one top-level CBOR data item per {@link #next()}. Each item is first cut out of
 * the {@link ByteSource} by an {@link ItemFramer}, which checks every declared length against
 * {@link ReadLimits} before a byte of it is read, and then parsed with jackson-dataformat-cbor's
 * streaming parser. Only the current record is in memory, so a stream of any size is read in the
 * memory of its largest record.
 *
 * <p>A schema item adds its schema to the stream's table (checked against {@link SchemaLimits}
 * once, there); a device item names one by id, and its state is decoded straight into the object
 * {@link ReadOptions#targets()} chooses, or into a {@link GenericState}, by a
 * {@link CborLoadVisitor}. Every failure is a {@link VmstateException} with the absolute byte offset
 * of the offending item, the section label inside a device record and the field path inside a
 * state; after one, the reader refuses to go on.
 *
 * <p>Not thread-safe.
 *
 * @since 0.1
 */
public final class CborStreamReader implements StreamReader {
    private static final CBORFactory DEFAULT_FACTORY = factory(ReadLimits.defaults());

    private final ByteSource src;
    private final ReadOptions options;
    private final ReadLimits limits;
    private final ItemFramer framer;
    /** Decodes each device state; one for the stream, as its arrays outgrow the first sections'. */
    private final CborLoadVisitor load;
    private final CborInput in;
    private final PlainRecords plain;
    private final RecordOrder order = new RecordOrder();
    private Envelope envelope;
    private boolean crc32c;
    private boolean done;
    private VmstateException broken;
    private long sections;
    /** The stream's schema items so far, by id; null where the item is a reference. */
    private final List<Schema> schemas = new ArrayList<>();
    /** The fingerprints of by-reference schema items, by id; null where the item carries its schema. */
    private final List<byte[]> references = new ArrayList<>();
    private final ItemScan scan = new ItemScan();
    /** Where the schema map of the current schema item starts, when it may be cached; else -1. */
    private int schemaBytes = -1;
    /** Whether the current record's reader went to the end of its item itself. */
    private boolean itemDone;

    /** A reader of the stream at {@code src}'s position; offsets count from the start of {@code src}. */
    public CborStreamReader(ByteSource src, ReadOptions options) {
        this.src = Objects.requireNonNull(src, "src");
        this.options = Objects.requireNonNull(options, "options");
        this.limits = options.limits();
        this.load = new CborLoadVisitor(new byte[0], 0, 0, limits);
        this.framer = new ItemFramer(src, limits);
        this.in = new CborInput(limits == ReadLimits.defaults() ? DEFAULT_FACTORY : factory(limits), framer);
        this.plain = new PlainRecords(in);
    }

    /** jackson's stream constraints from {@code l}: a backstop behind the framer's own checks. */
    private static CBORFactory factory(ReadLimits l) {
        int text = Math.max(64, l.maxStringLength());
        StreamReadConstraints c = StreamReadConstraints.builder()
                .maxStringLength(text)
                .maxNameLength(text)
                .maxNestingDepth((int) Math.min(Integer.MAX_VALUE, 4L * l.maxDepth() + 16))
                .build();
        return CBORFactory.builder().streamReadConstraints(c).build();
    }

    /** The stream's envelope, reading it first if no record has been read yet. */
    @Override
    public Envelope envelope() {
        run(() -> {
            start();
            return null;
        });
        return envelope;
    }

    @Override
    public StreamRecord next() {
        return run(this::readNext);
    }

    private <T> T run(Supplier<T> step) {
        if (broken != null) {
            throw CborErrors.readerBroken(broken.getOriginalMessage()).atOffset(broken.offset())
                    .inFormat(CborConstants.FORMAT);
        }
        try {
            return step.get();
        } catch (VmstateException e) {
            broken = e;
            throw e.inFormat(CborConstants.FORMAT);
        } catch (RuntimeException e) {
            // A safety net: a record constructor or schema import refusing a value we did not foresee.
            MalformedStreamException x = new MalformedStreamException("invalid record: " + e, e);
            x.atOffset(framer.start() >= 0 ? framer.start() : src.position()).inFormat(CborConstants.FORMAT);
            broken = x;
            throw x;
        } finally {
            in.close();
        }
    }

    /** Offset of the next unread byte: the end of the last item read. */
    @Override
    public long position() {
        return framer.position();
    }

    @Override
    public void close() {
        in.close();
    }

    // ---------------------------------------------------------------- stream structure

    private void start() {
        if (envelope != null) {
            return;
        }
        long at = src.position();
        if (src.atEnd()) {
            throw CborErrors.unexpected("an empty stream", "the vmstate envelope (\"VMST\")").atOffset(at);
        }
        Envelope e = Envelope.read(src);
        if (!CborConstants.FORMAT.equals(e.formatId())) {
            throw CborErrors.wrongFormat(e.formatId()).atOffset(at + 7);
        }
        for (String f : e.features()) {
            if (!Envelope.FEATURE_CRC32C.equals(f)) {
                throw CborErrors.unknownFeature(f).atOffset(at);
            }
        }
        crc32c = e.has(Envelope.FEATURE_CRC32C);
        envelope = e;
    }

    private StreamRecord readNext() {
        if (done) {
            return null;
        }
        start();
        while (true) {
            if (!framer.next()) {
                if (!order.complete()) {
                    throw CborErrors.noEndRecord().atOffset(framer.position());
                }
                done = true;
                framer.release();
                return null;
            }
            long at = framer.start();
            if (fastSchema()) {
                continue;
            }
            StreamRecord r = fastDevice(at);
            if (r == null) {
                r = fastPlain();
            }
            if (r == null) {
                r = general(at);
                if (r == null) {
                    continue; // a schema item
                }
            }
            if (r instanceof IterativeSection it && it.type() == IterativeSection.SectionType.START) {
                checkSectionCount(at);
            }
            String violation = order.accept(r);
            if (violation != null) {
                VmstateException e = CborErrors.readOrder(violation).atOffset(at);
                throw r instanceof DeviceSection d ? e.inSection(d.label()) : e;
            }
            return r;
        }
    }

    /** The item at {@code at} read through jackson's parser: its record, or null for a schema item. */
    private StreamRecord general(long at) {
        in.open();
        if (in.next() != JsonToken.START_OBJECT) {
            throw in.here(CborErrors.unexpected(in.found(), "a record (a map whose first key is \"record\")"));
        }
        String first = in.nextName();
        if (!CborConstants.RECORD.equals(first)) {
            throw in.here(CborErrors.recordFirst(first == null ? "the end of the map"
                    : "key \"" + CborErrors.shorten(first) + "\""));
        }
        String kind = in.string("a record kind");
        if (CborConstants.SCHEMA_RECORD.equals(kind)) {
            // internal to the format: it feeds the schema table and yields no record
            schemaItem(at);
            return null;
        }
        itemDone = false;
        StreamRecord r = record(kind, at);
        if (!itemDone && in.next() != null) {
            throw in.here(CborErrors.unexpected(in.found(), "the end of the item"));
        }
        return r;
    }

    /** A schema item: the next entry of the stream's schema table, checked once here. */
    private void schemaItem(long at) {
        Keys k = new Keys(in, "a schema record", at);
        k.take(CborConstants.SCHEMA_ID);
        long id = in.integer("the schema id", 0, Integer.MAX_VALUE);
        if (id != schemas.size()) {
            throw in.here(CborErrors.badSchemaId(id, "expected " + schemas.size()
                    + "; a stream numbers its schema items 0, 1, 2, ... in order"));
        }
        try {
            // each schema serves at least one section, so the section limit bounds the table too
            limits.checkSectionCount(schemas.size() + 1L);
        } catch (VmstateException e) {
            throw e.atOffset(at);
        }
        if (k.has(CborConstants.FINGERPRINT)) {
            k.take(CborConstants.FINGERPRINT);
            byte[] fp = in.bytes("the schema fingerprint");
            if (fp.length != Envelope.FINGERPRINT_LENGTH) {
                throw in.here(CborErrors.badSchema("a fingerprint of " + fp.length + " bytes; a SHA-256 has "
                        + Envelope.FINGERPRINT_LENGTH));
            }
            k.end();
            if (in.next() != null) {
                throw in.here(CborErrors.unexpected(in.found(), "the end of the item"));
            }
            schemas.add(null);
            references.add(fp);
            return;
        }
        k.take(CborConstants.SCHEMA);
        itemDone = false;
        schemaBytes = -1;
        Schema s = schema();
        if (!itemDone) {
            k.end();
            if (in.next() != null) {
                throw in.here(CborErrors.unexpected(in.found(), "the end of the item"));
            }
            if (schemaBytes >= 0) {
                // the schema map is the item's last value: remember it only once the whole item is known good
                CborFormat.SCHEMAS.remember(framer.buffer(), schemaBytes, framer.length(), s);
            }
        }
        schemas.add(s);
        references.add(null);
    }

    private StreamRecord record(String kind, long at) {
        switch (kind) {
            case CborConstants.HEADER:
                return plain.header(at);
            case CborConstants.DEVICE:
                return device(at);
            case CborConstants.ITERATIVE:
                return plain.iterative(at);
            case CborConstants.RAM_BLOCKS:
                return plain.blocks(at);
            case CborConstants.PAGE:
                return plain.page(at);
            case CborConstants.EOS:
                plain.kindOnly(at, kind);
                return new RamRecord.Eos();
            case CborConstants.SECTION_END:
                return plain.sectionEnd(at);
            case CborConstants.COMMAND:
                return plain.command(at);
            case CborConstants.END:
                plain.kindOnly(at, kind);
                return new EndOfState();
            case CborConstants.DESCRIPTION:
                return plain.description(at);
            default:
                throw in.here(CborErrors.unknownValue("record kind", kind, List.of(CborConstants.HEADER,
                        CborConstants.DEVICE, CborConstants.ITERATIVE, CborConstants.RAM_BLOCKS, CborConstants.PAGE,
                        CborConstants.EOS, CborConstants.SECTION_END, CborConstants.COMMAND, CborConstants.END,
                        CborConstants.DESCRIPTION)));
        }
    }

    // ---------------------------------------------------------------- device sections

    private DeviceSection device(long at) {
        Keys k = new Keys(in, "a device record", at);
        String label = null;
        try {
            k.take(CborConstants.SECTION_ID);
            int sectionId = in.int32("the section id");
            k.take(CborConstants.IDSTR);
            String idstr = in.string("the id string");
            k.take(CborConstants.INSTANCE_ID);
            int instanceId = in.int32("the instance id");
            label = idstr + "/" + instanceId;
            k.take(CborConstants.VERSION);
            int version = in.int32("the version");
            k.take(CborConstants.FOOTER);
            boolean footer = in.bool("the footer flag");
            Long crc = null;
            if (k.has(CborConstants.CRC32C)) {
                k.take(CborConstants.CRC32C);
                crc = in.integer("the CRC32C", 0, 0xFFFF_FFFFL);
            } else if (crc32c) {
                throw CborErrors.missingKey(CborConstants.CRC32C, "a device record of a stream with feature crc32c")
                        .atOffset(at);
            }
            k.take(CborConstants.SCHEMA);
            long id = in.integer("the schema id", 0, Integer.MAX_VALUE);
            if (id >= schemas.size()) {
                throw in.here(CborErrors.badSchemaId(id, "no schema item before it has this id"));
            }
            Schema schema = schema((int) id, idstr, instanceId, version);
            k.take(CborConstants.STATE);
            in.next();
            DeviceSection d = state(at, label, sectionId, idstr, instanceId, version, footer, crc, schema,
                    (int) (in.tokenOffset() - at));
            if (d == null) {
                // more keys after the state: let the key reader name the first
                in.skipValue();
                k.end();
                throw in.here(CborErrors.unexpected(in.found(), "the end of a device record"));
            }
            itemDone = true;
            return d;
        } catch (VmstateException e) {
            if (label != null) {
                e.inSection(label);
            }
            throw e.atOffset(at);
        }
    }

    /**
     * Loads the state that starts {@code stateAt} bytes into the device item at {@code at} and
     * checks its CRC; null, with the section uncounted again, when the item goes on after the state.
     */
    private DeviceSection state(long at, String label, int sectionId, String idstr, int instanceId, int version,
            boolean footer, Long crc, Schema schema, int stateAt) {
        checkSectionCount(at);
        Visitable target = options.targets().target(idstr, instanceId, version, schema);
        Visitable state = target != null ? target : new GenericState(schema);
        CborLoadVisitor v = load.reset(framer.buffer(), stateAt, at);
        int end = v.load(schema, state);
        if (end != framer.length()) {
            sections--;
            return null;
        }
        int[] versions = v.sectionVersions();
        if (target == null && versions != null) {
            // a visitor loads sections at the schema's version; a generic state keeps the one written
            state = new GenericState(schema, SectionVersions.apply(schema, ((GenericState) state).tree(), versions));
        }
        if (crc != null) {
            SectionCrc.check(label, at, state, crc);
        }
        return new DeviceSection(sectionId, idstr, instanceId, version, footer, schema, state);
    }

    // ---------------------------------------------------------------- the fast path

    /**
     * A schema item laid out exactly as the writer makes it, whose schema map this JVM has read
     * before: taken without a parser. False, having changed nothing, for anything else.
     */
    private boolean fastSchema() {
        byte[] b = framer.buffer();
        int n = framer.length();
        if ((b[0] & 0xFF) != 0xA3) {
            return false;
        }
        scan.reset(b, n, 1);
        if (!scan.match(EncodedKeys.RECORD)
                || !scan.match(EncodedKeys.SCHEMA_RECORD) || !scan.match(EncodedKeys.SCHEMA_ID)
                || !scan.integer(schemas.size(), schemas.size())) {
            return false;
        }
        if (scan.match(EncodedKeys.FINGERPRINT)) {
            byte[] fp = scan.fingerprint();
            if (fp == null || scan.pos != n || schemas.size() + 1L > limits.maxSectionCount()) {
                return false;
            }
            schemas.add(null);
            references.add(fp);
            return true;
        }
        if (!scan.match(EncodedKeys.SCHEMA)) {
            return false;
        }
        Schema s = CborFormat.SCHEMAS.decoded(b, scan.pos, n);
        if (s == null) {
            return false;
        }
        try {
            limits.checkSectionCount(schemas.size() + 1L);
            SchemaLimits.check(s, limits);
        } catch (VmstateException e) {
            return false; // the general path reports it, at the right offset
        }
        schemas.add(s);
        references.add(null);
        return true;
    }

    /**
     * A device item laid out exactly as the writer makes it: its keys matched without a parser,
     * its state loaded as on the general path. Null, having read nothing, for anything else.
     */
    private DeviceSection fastDevice(long at) {
        byte[] b = framer.buffer();
        int head = b[0] & 0xFF;
        if (head != 0xA8 && head != 0xA9) {
            return null;
        }
        scan.reset(b, framer.length(), 1);
        if (!scan.match(EncodedKeys.RECORD)
                || !scan.match(EncodedKeys.DEVICE) || !scan.match(EncodedKeys.SECTION_ID)
                || !scan.integer(Integer.MIN_VALUE, Integer.MAX_VALUE)) {
            return null;
        }
        int sectionId = (int) scan.value;
        if (!scan.match(EncodedKeys.IDSTR) || !scan.string() || !scan.match(EncodedKeys.INSTANCE_ID)
                || !scan.integer(Integer.MIN_VALUE, Integer.MAX_VALUE)) {
            return null;
        }
        String idstr = scan.string;
        int instanceId = (int) scan.value;
        if (!scan.match(EncodedKeys.VERSION) || !scan.integer(Integer.MIN_VALUE, Integer.MAX_VALUE)) {
            return null;
        }
        int version = (int) scan.value;
        int footer = scan.match(EncodedKeys.FOOTER) ? scan.bool() : -1;
        if (footer < 0) {
            return null;
        }
        Long crc = null;
        if (head == 0xA9) {
            if (!scan.match(EncodedKeys.CRC32C) || !scan.integer(0, 0xFFFF_FFFFL)) {
                return null;
            }
            crc = scan.value;
        } else if (crc32c) {
            return null;
        }
        if (schemas.isEmpty() || !scan.match(EncodedKeys.SCHEMA) || !scan.integer(0, schemas.size() - 1)
                || !scan.match(EncodedKeys.STATE)) {
            return null;
        }
        int id = (int) scan.value;
        String label = idstr + "/" + instanceId;
        try {
            Schema schema = schema(id, idstr, instanceId, version);
            // null: more after the state, which the general path will name (loading the state again first)
            return state(at, label, sectionId, idstr, instanceId, version, footer == 1, crc, schema, scan.pos);
        } catch (VmstateException e) {
            e.inSection(label);
            throw e.atOffset(at);
        }
    }

    /**
     * The schema of schema item {@code id} for a device item of {@code idstr}/{@code instanceId}
     * at {@code version}: the item's own, or, for a by-reference item, the one
     * {@link ReadOptions#schemas()} knows, which must have the item's fingerprint.
     */
    private Schema schema(int id, String idstr, int instanceId, int version) {
        Schema s = schemas.get(id);
        if (s != null) {
            return s;
        }
        byte[] expected = references.get(id);
        Schema found = options.schemas().find(idstr, instanceId, version);
        if (found == null) {
            throw CborErrors.noSchemaForReference(idstr, version, expected);
        }
        // loading by position needs unique member names; a registry schema is checked once, here
        byte[] actual = CborFormat.SCHEMAS.resolved(found, r -> StateDecoder.checkSchema(r, "$"));
        if (!Arrays.equals(actual, expected)) {
            throw CborErrors.referenceMismatch(idstr, version, expected, actual);
        }
        return found;
    }

    /**
     * The end record, and a header without a device tree, laid out exactly as the writer makes
     * them: every stream has them, and a parser built for each would cost more than the record.
     * Null, having read nothing, for anything else.
     */
    private StreamRecord fastPlain() {
        byte[] b = framer.buffer();
        int n = framer.length();
        int head = b[0] & 0xFF;
        scan.reset(b, n, 1);
        if (head == 0xA1 && scan.match(EncodedKeys.RECORD) && scan.match(EncodedKeys.END) && scan.pos == n) {
            return new EndOfState();
        }
        scan.reset(b, n, 1);
        if (head != 0xA5 || !scan.match(EncodedKeys.RECORD) || !scan.match(EncodedKeys.HEADER)
                || !scan.match(EncodedKeys.STREAM_VERSION) || !scan.integer(Integer.MIN_VALUE, Integer.MAX_VALUE)
                || !scan.match(EncodedKeys.MACHINE_TYPE)) {
            return null;
        }
        int version = (int) scan.value;
        String machine = null;
        if (!scan.nul()) {
            if (!scan.string()) {
                return null;
            }
            machine = scan.string;
        }
        if (!scan.match(EncodedKeys.CONFIGURATION_EXTRA)) {
            return null;
        }
        byte[] extra = scan.bytes();
        if (extra == null || !scan.match(EncodedKeys.DEVICE_TREE) || !scan.nul() || scan.pos != n) {
            return null;
        }
        return new StreamHeader(version, machine, extra, null);
    }

    /** Counts a device section or an iterative start chunk against {@code ReadLimits.maxSectionCount()}. */
    private void checkSectionCount(long at) {
        try {
            limits.checkSectionCount(++sections);
        } catch (VmstateException e) {
            throw e.atOffset(at);
        }
    }

    /** The schema map that is the current key's value and the last value of its item. */
    @SuppressWarnings("unchecked")
    private Schema schema() {
        in.expect(JsonToken.START_OBJECT, "a schema (a map)");
        long at = in.tokenOffset();
        int from = (int) (at - framer.start());
        Schema s = CborFormat.SCHEMAS.decoded(framer.buffer(), from, framer.length());
        boolean cached = s != null;
        if (!cached) {
            Map<String, Object> map = (Map<String, Object>) in.plain();
            try {
                s = SchemaJson.fromMap(map);
            } catch (VmstateException e) {
                throw CborErrors.badSchema(e.getOriginalMessage()).atOffset(at);
            } catch (RuntimeException e) {
                throw CborErrors.badSchema(String.valueOf(e.getMessage())).atOffset(at);
            }
        }
        try {
            if (!cached) {
                StateDecoder.checkSchema(s, "$");
            }
            // the limits are this reader's, so they are checked on every arrival, cached or not
            SchemaLimits.check(s, limits);
        } catch (VmstateException e) {
            throw e.atOffset(at);
        }
        if (cached) {
            // the bytes to the end of the item are the cached schema map, one whole item: nothing follows it
            itemDone = true;
        } else {
            schemaBytes = from;
        }
        return s;
    }
}
