package dev.vmstate.format.protobuf;

import static dev.vmstate.format.protobuf.ProtobufConstants.LEN;
import static dev.vmstate.format.protobuf.ProtobufConstants.VARINT;
import static dev.vmstate.format.protobuf.ProtobufConstants.tag;

import com.google.protobuf.CodedInputStream;
import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.format.protobuf.internal.Command;
import dev.vmstate.format.protobuf.internal.Description;
import dev.vmstate.format.protobuf.internal.Eos;
import dev.vmstate.format.protobuf.internal.End;
import dev.vmstate.format.protobuf.internal.Header;
import dev.vmstate.format.protobuf.internal.Iterative;
import dev.vmstate.format.protobuf.internal.Page;
import dev.vmstate.format.protobuf.internal.RamBlocks;
import dev.vmstate.format.protobuf.internal.SchemaSpec;
import dev.vmstate.format.protobuf.internal.SectionEnd;
import dev.vmstate.internal.Utf8;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.schema.SchemaLimits;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.RecordOrder;
import dev.vmstate.spi.SectionCrc;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.SectionVersions;
import dev.vmstate.visitor.Visitable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads one {@code protobuf} stream ({@code docs/formats/protobuf.md}) record by record: the
 * binary envelope, then one length-delimited {@code Record} per {@link #next()}. Each record is
 * first cut out of the {@link ByteSource} by a {@link RecordFramer}, which checks its length
 * against {@link ReadLimits} before a byte of it is read, then parsed with protobuf-java's
 * {@link CodedInputStream} over the record's bytes: device and schema records by hand (the hot
 * path, and the one that must know offsets), the others by the classes generated from
 * {@code vmstate.proto}. Only the current record is in memory.
 *
 * <p>A schema record adds its schema to the stream's table (checked against {@link SchemaLimits}
 * once, there); a device record names one by id, and its state is decoded straight into the
 * object {@link ReadOptions#targets()} chooses, or into a {@link GenericState}, by a
 * {@link ProtobufLoadVisitor}. Every failure is a {@link VmstateException} with the absolute byte
 * offset, the section label inside a device record and the field path inside a state; protobuf-java's
 * own exceptions never escape. After one failure the reader refuses to go on.
 *
 * <p>Not thread-safe.
 *
 * @since 0.1
 */
public final class ProtobufStreamReader implements StreamReader {
    private final ByteSource src;
    private final ReadOptions options;
    private final ReadLimits limits;
    private final RecordFramer framer;
    /** Decodes each device state; one for the stream, so its arrays are made once. */
    private final ProtobufLoadVisitor load;
    private final RecordOrder order = new RecordOrder();
    /**
     * Messages nested in one record, protobuf-java's recursion limit: 3 per level of a plain value
     * (value, map, entry), and as many plain levels as {@code cbor} allows, {@code 4 × maxDepth + 8}.
     */
    private final int recursionLimit;
    private Envelope envelope;
    private boolean crc32c;
    private boolean done;
    private VmstateException broken;
    private long sections;
    /** The stream's schema records so far, by id; null where the record is a reference. */
    private final List<Schema> schemas = new ArrayList<>();
    /** The fingerprints of by-reference schema records, by id; null where the record carries its schema. */
    private final List<byte[]> references = new ArrayList<>();

    /** A reader of the stream at {@code src}'s position; offsets count from the start of {@code src}. */
    public ProtobufStreamReader(ByteSource src, ReadOptions options) {
        this.src = Objects.requireNonNull(src, "src");
        this.options = Objects.requireNonNull(options, "options");
        this.limits = options.limits();
        this.framer = new RecordFramer(src, limits);
        this.load = new ProtobufLoadVisitor(limits);
        this.recursionLimit = (int) Math.min(Integer.MAX_VALUE, 3 * (4L * limits.maxDepth() + 8));
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
        checkBroken();
        try {
            return readNext();
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    private <T> T run(Supplier<T> step) {
        checkBroken();
        try {
            return step.get();
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    private void checkBroken() {
        if (broken != null) {
            throw ProtobufErrors.readerBroken(broken.getOriginalMessage()).atOffset(broken.offset())
                    .inFormat(ProtobufConstants.FORMAT);
        }
    }

    /** {@code e} as the reader's one failure: a {@link VmstateException}, after which it refuses to go on. */
    private VmstateException failed(RuntimeException e) {
        if (e instanceof VmstateException v) {
            broken = v;
            return v.inFormat(ProtobufConstants.FORMAT);
        }
        // A safety net: a record constructor or schema import refusing a value we did not foresee.
        MalformedStreamException x = new MalformedStreamException("invalid record: " + e, e);
        x.atOffset(framer.start() >= 0 ? framer.start() : src.position()).inFormat(ProtobufConstants.FORMAT);
        broken = x;
        return x;
    }

    @Override
    public void close() {
        framer.release();
    }

    /** Offset of the next unread byte: the end of the last record read. */
    @Override
    public long position() {
        return src.position();
    }

    // ---------------------------------------------------------------- stream structure

    private void start() {
        if (envelope != null) {
            return;
        }
        long at = src.position();
        if (src.atEnd()) {
            throw ProtobufErrors.unexpected("an empty stream", "the vmstate envelope (\"VMST\")").atOffset(at);
        }
        Envelope e = Envelope.read(src);
        if (!ProtobufConstants.FORMAT.equals(e.formatId())) {
            throw ProtobufErrors.wrongFormat(e.formatId()).atOffset(at + 7);
        }
        for (String f : e.features()) {
            if (!Envelope.FEATURE_CRC32C.equals(f)) {
                throw ProtobufErrors.unknownFeature(f).atOffset(at);
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
                    throw ProtobufErrors.noEndRecord().atOffset(src.position());
                }
                done = true;
                framer.release();
                return null;
            }
            long at = framer.start();
            StreamRecord r = record(at);
            if (r == null) {
                continue; // a schema record
            }
            if (r instanceof IterativeSection it && it.type() == IterativeSection.SectionType.START) {
                checkSectionCount(at);
            }
            String violation = order.accept(r);
            if (violation != null) {
                VmstateException e = ProtobufErrors.readOrder(violation).atOffset(at);
                throw r instanceof DeviceSection d ? e.inSection(d.label()) : e;
            }
            return r;
        }
    }

    /**
     * The record at {@code at}: its one field, the kind, read by hand; then the kind's message.
     * Null for a schema record.
     */
    private StreamRecord record(long at) {
        byte[] b = framer.buffer();
        int n = framer.length();
        long base = framer.body();
        if (n == 0) {
            throw ProtobufErrors.emptyRecord().atOffset(at);
        }
        if (n == 2 && b[0] == (ProtobufConstants.RECORD_END << 3 | LEN) && b[1] == 0) {
            return new EndOfState(); // every stream has one: no parser for it
        }
        CodedInputStream in = CodedInputStream.newInstance(b, 0, n);
        in.setRecursionLimit(recursionLimit);
        in.setSizeLimit(n);
        int t = readTag(in, base);
        int field = t >>> 3;
        if (field < ProtobufConstants.RECORD_HEADER || field > ProtobufConstants.RECORD_DESCRIPTION
                || (t & 7) != LEN) {
            throw ProtobufErrors.notARecordKind(field, t & 7).atOffset(base);
        }
        String kind = ProtobufConstants.recordName(field);
        int lengthAt = in.getTotalBytesRead();
        long len = varint(in, base);
        int from = in.getTotalBytesRead();
        if (len < 0 || len > n - from) {
            throw ProtobufErrors.pastEnd(len, "the " + kind + " field", n - from).atOffset(base + lengthAt);
        }
        if (len < n - from) {
            throw ProtobufErrors.afterRecordKind(kind).atOffset(base + from + len);
        }
        // the kind's message is the rest of the record
        try {
            switch (field) {
                case ProtobufConstants.RECORD_SCHEMA:
                    schemaRecord(in, at, base);
                    return null;
                case ProtobufConstants.RECORD_DEVICE:
                    return device(in, at, base);
                default:
                    return plain(field, in);
            }
        } catch (IOException e) {
            throw ProtobufErrors.fromProtobuf(e, recursionLimit).atOffset(base + Math.min(n, in.getTotalBytesRead()));
        } catch (VmstateException e) {
            throw e.atOffset(at);
        }
    }

    /** A record protobuf-java's generated classes parse, checked and made a stream record by {@link RecordMessages}. */
    private StreamRecord plain(int field, CodedInputStream in) throws IOException {
        switch (field) {
            case ProtobufConstants.RECORD_HEADER:
                return RecordMessages.header(Header.parseFrom(in), limits);
            case ProtobufConstants.RECORD_ITERATIVE:
                return RecordMessages.iterative(Iterative.parseFrom(in));
            case ProtobufConstants.RECORD_RAM_BLOCKS:
                return RecordMessages.blocks(RamBlocks.parseFrom(in), limits);
            case ProtobufConstants.RECORD_PAGE:
                return RecordMessages.page(Page.parseFrom(in), limits);
            case ProtobufConstants.RECORD_EOS:
                PlainValues.known(Eos.parseFrom(in), "an eos record");
                return new RamRecord.Eos();
            case ProtobufConstants.RECORD_SECTION_END:
                return RecordMessages.sectionEnd(SectionEnd.parseFrom(in));
            case ProtobufConstants.RECORD_COMMAND:
                return RecordMessages.command(Command.parseFrom(in), limits);
            case ProtobufConstants.RECORD_END:
                PlainValues.known(End.parseFrom(in), "an end record");
                return new EndOfState();
            default:
                return RecordMessages.description(Description.parseFrom(in), limits);
        }
    }

    // ---------------------------------------------------------------- wire, by hand

    private static int readTag(CodedInputStream in, long base) {
        int at = in.getTotalBytesRead();
        try {
            return in.readTag();
        } catch (IOException e) {
            throw ProtobufErrors.fromProtobuf(e).atOffset(base + at);
        }
    }

    private static long varint(CodedInputStream in, long base) {
        int at = in.getTotalBytesRead();
        try {
            return in.readRawVarint64();
        } catch (IOException e) {
            throw ProtobufErrors.fromProtobuf(e).atOffset(base + at);
        }
    }

    /** An int32 field's value: a negative one is sign-extended to 64 bits. */
    private static int int32(CodedInputStream in, long base, String what) {
        int at = in.getTotalBytesRead();
        long v = varint(in, base);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw ProtobufErrors.outOfRange(Long.toUnsignedString(v), what, Integer.toString(Integer.MIN_VALUE),
                    Integer.toString(Integer.MAX_VALUE)).atOffset(base + at);
        }
        return (int) v;
    }

    private static long uint32(CodedInputStream in, long base, String what) {
        int at = in.getTotalBytesRead();
        long v = varint(in, base);
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw ProtobufErrors.outOfRange(Long.toUnsignedString(v), what, "0", "4294967295").atOffset(base + at);
        }
        return v;
    }

    /** A length-delimited field's length, which must fit in what is left of the record. */
    private static int length(CodedInputStream in, long base, String what) {
        int at = in.getTotalBytesRead();
        long n = varint(in, base);
        int left = in.getBytesUntilLimit();
        if (n < 0 || n > left) {
            throw ProtobufErrors.pastEnd(n, what, left).atOffset(base + at);
        }
        return (int) n;
    }

    private String string(CodedInputStream in, byte[] b, long base, String what) {
        int at = in.getTotalBytesRead();
        int n = length(in, base, what);
        try {
            limits.checkStringLength(n);
        } catch (VmstateException e) {
            throw e.atOffset(base + at);
        }
        int from = in.getTotalBytesRead();
        int bad = Utf8.firstInvalid(b, from, n);
        if (bad >= 0) {
            throw ProtobufErrors.badUtf8(b[from + bad] & 0xFF, bad).atOffset(base + at);
        }
        skip(in, n, base);
        for (int i = from; i < from + n; i++) {
            if (b[i] < 0) {
                return new String(b, from, n, StandardCharsets.UTF_8);
            }
        }
        return new String(b, from, n, StandardCharsets.ISO_8859_1); // ASCII: no decoder
    }

    private static void skip(CodedInputStream in, int n, long base) {
        try {
            in.skipRawBytes(n);
        } catch (IOException e) {
            throw ProtobufErrors.fromProtobuf(e).atOffset(base + in.getTotalBytesRead());
        }
    }

    private static VmstateException badField(int t, String[] names, int[] wireTypes, String where) {
        int field = t >>> 3;
        if (field > 0 && field < names.length) {
            return ProtobufErrors.wrongWireType(field, names[field], t & 7, wireTypes[field], where);
        }
        return ProtobufErrors.unknownField(field, t & 7, where);
    }

    // ---------------------------------------------------------------- schema records

    private static final String[] SCHEMA_FIELDS = {null, "id", "schema", "fingerprint"};
    private static final int[] SCHEMA_WIRE = {0, VARINT, LEN, LEN};

    /** A schema record: the next entry of the stream's schema table, checked once here. */
    private void schemaRecord(CodedInputStream in, long at, long base) {
        byte[] b = framer.buffer();
        long id = 0;
        int mapFrom = -1;
        int mapTo = -1;
        int mapAt = -1;
        byte[] fingerprint = null;
        while (true) {
            int fieldAt = in.getTotalBytesRead();
            int t = readTag(in, base);
            if (t == 0) {
                break;
            }
            if (t == tag(ProtobufConstants.SCHEMA_ID, VARINT)) {
                id = uint32(in, base, "the schema id");
            } else if (t == tag(ProtobufConstants.SCHEMA_MAP, LEN)) {
                mapAt = in.getTotalBytesRead();
                int n = length(in, base, "the schema");
                mapFrom = in.getTotalBytesRead();
                mapTo = mapFrom + n;
                skip(in, n, base);
                fingerprint = null; // a oneof: the last one wins
            } else if (t == tag(ProtobufConstants.SCHEMA_FINGERPRINT, LEN)) {
                int n = length(in, base, "the schema fingerprint");
                if (n != Envelope.FINGERPRINT_LENGTH) {
                    throw ProtobufErrors.badSchema("a fingerprint of " + n + " bytes; a SHA-256 has "
                            + Envelope.FINGERPRINT_LENGTH).atOffset(base + fieldAt);
                }
                fingerprint = new byte[n];
                System.arraycopy(b, in.getTotalBytesRead(), fingerprint, 0, n);
                skip(in, n, base);
                mapFrom = -1;
            } else {
                throw badField(t, SCHEMA_FIELDS, SCHEMA_WIRE, "a schema record").atOffset(base + fieldAt);
            }
        }
        if (id != schemas.size()) {
            throw ProtobufErrors.badSchemaId(id, "expected " + schemas.size()
                    + "; a stream numbers its schema records 0, 1, 2, ... in order").atOffset(at);
        }
        if (mapFrom < 0 && fingerprint == null) {
            throw ProtobufErrors.missingField(ProtobufConstants.SCHEMA_MAP, "schema", "a schema record").atOffset(at);
        }
        try {
            // each schema serves at least one section, so the section limit bounds the table too
            limits.checkSectionCount(schemas.size() + 1L);
        } catch (VmstateException e) {
            throw e.atOffset(at);
        }
        if (fingerprint != null) {
            // by reference: resolved when a device record names it, from ReadOptions.schemas()
            schemas.add(null);
            references.add(fingerprint);
            return;
        }
        Schema s = ProtobufFormat.SCHEMAS.decoded(b, mapFrom, mapTo);
        boolean cached = s != null;
        if (!cached) {
            s = parseSchema(b, mapFrom, mapTo, base + mapAt);
        }
        try {
            // the limits are this reader's, so they are checked on every arrival, cached or not
            SchemaLimits.check(s, limits);
        } catch (VmstateException e) {
            throw e.atOffset(base + mapAt);
        }
        if (!cached) {
            ProtobufFormat.SCHEMAS.remember(b, mapFrom, mapTo, s);
        }
        schemas.add(s);
        references.add(null);
    }

    /**
     * The schema of schema record {@code id} for a device record of {@code idstr}/{@code instanceId}
     * at {@code version}: the record's own, or, for a by-reference record, the one
     * {@link ReadOptions#schemas()} knows, which must have the record's fingerprint.
     */
    private Schema schema(int id, String idstr, int instanceId, int version) {
        Schema s = schemas.get(id);
        if (s != null) {
            return s;
        }
        byte[] expected = references.get(id);
        Schema found = options.schemas().find(idstr, instanceId, version);
        if (found == null) {
            throw ProtobufErrors.noSchemaForReference(idstr, version, expected);
        }
        // loading by position needs unique member names; a registry schema is checked once, here
        byte[] actual = ProtobufFormat.SCHEMAS.resolved(found, r -> checkNames(r, "$", -1));
        if (!java.util.Arrays.equals(actual, expected)) {
            throw ProtobufErrors.referenceMismatch(idstr, version, expected, actual);
        }
        return found;
    }

    private Schema parseSchema(byte[] b, int from, int to, long at) {
        SchemaSpec spec;
        CodedInputStream in = CodedInputStream.newInstance(b, from, to - from);
        in.setRecursionLimit(recursionLimit);
        try {
            spec = SchemaSpec.parseFrom(in);
        } catch (IOException e) {
            throw ProtobufErrors.fromProtobuf(e, recursionLimit).atOffset(at);
        }
        Schema s;
        try {
            s = SchemaJson.fromMap(SchemaSpecs.map(spec));
        } catch (VmstateException e) {
            throw ProtobufErrors.badSchema(e.getOriginalMessage()).atOffset(at);
        } catch (RuntimeException e) {
            throw ProtobufErrors.badSchema(String.valueOf(e.getMessage())).atOffset(at);
        }
        checkNames(s, "$", at);
        return s;
    }

    /** Member names unique within each struct, which {@code SchemaJson} does not check: a target's visit is matched by name. */
    private static void checkNames(Schema s, String path, long at) {
        Set<String> names = new HashSet<>();
        for (Field f : s.members()) {
            if (!names.add(f.name())) {
                throw ProtobufErrors.badSchema(path + ": field name \"" + f.name() + "\" used twice in one struct")
                        .atOffset(at);
            }
            if (f.struct() != null) {
                checkNames(f.struct(), path + "." + f.name(), at);
            }
        }
    }

    // ---------------------------------------------------------------- device records

    private static final String[] DEVICE_FIELDS = {null, "section_id", "idstr", "instance_id", "version", "footer",
        "crc32c", "schema", "state"};
    private static final int[] DEVICE_WIRE = {0, VARINT, LEN, VARINT, VARINT, VARINT, VARINT, VARINT, LEN};

    /** A device record: its fields in any order (protobuf's rules), then its state loaded into the target. */
    private DeviceSection device(CodedInputStream in, long at, long base) {
        byte[] b = framer.buffer();
        int sectionId = 0;
        String idstr = "";
        int instanceId = 0;
        int version = 0;
        boolean footer = false;
        long crc = -1;
        long schemaId = 0;
        int stateFrom = -1;
        int stateLength = 0;
        String label = null;
        try {
            while (true) {
                int fieldAt = in.getTotalBytesRead();
                int t = readTag(in, base);
                if (t == 0) {
                    break;
                }
                switch (t) {
                    case 1 << 3 | VARINT -> sectionId = int32(in, base, "the section id");
                    case 2 << 3 | LEN -> idstr = string(in, b, base, "the id string");
                    case 3 << 3 | VARINT -> instanceId = int32(in, base, "the instance id");
                    case 4 << 3 | VARINT -> version = int32(in, base, "the version");
                    case 5 << 3 | VARINT -> {
                        long v = varint(in, base);
                        if (v != 0 && v != 1) {
                            throw ProtobufErrors.outOfRange(Long.toUnsignedString(v), "the footer flag", "0", "1")
                                    .atOffset(base + fieldAt);
                        }
                        footer = v == 1;
                    }
                    case 6 << 3 | VARINT -> crc = uint32(in, base, "the CRC32C");
                    case 7 << 3 | VARINT -> schemaId = uint32(in, base, "the schema id");
                    case 8 << 3 | LEN -> {
                        stateLength = length(in, base, "the state");
                        stateFrom = in.getTotalBytesRead();
                        skip(in, stateLength, base);
                    }
                    default -> throw badField(t, DEVICE_FIELDS, DEVICE_WIRE, "a device record")
                            .atOffset(base + fieldAt);
                }
            }
            label = idstr + "/" + instanceId;
            if (crc < 0 && crc32c) {
                throw ProtobufErrors.missingField(ProtobufConstants.DEVICE_CRC32C, "crc32c",
                        "a device record of a stream with feature crc32c").atOffset(at);
            }
            if (schemaId >= schemas.size()) {
                throw ProtobufErrors.badSchemaId(schemaId, "no schema record before it has this id").atOffset(at);
            }
            if (stateFrom < 0) {
                throw ProtobufErrors.missingField(ProtobufConstants.DEVICE_STATE, "state", "a device record")
                        .atOffset(at);
            }
            Schema schema = schema((int) schemaId, idstr, instanceId, version);
            checkSectionCount(at);
            Visitable target = options.targets().target(idstr, instanceId, version, schema);
            Visitable state = target != null ? target : new GenericState(schema);
            ProtobufLoadVisitor v = load.reset(b, stateFrom, stateLength, base);
            v.load(schema, state);
            int[] versions = v.sectionVersions();
            if (target == null && versions != null) {
                // a visitor loads sections at the schema's version; a generic state keeps the one written
                state = new GenericState(schema,
                        SectionVersions.apply(schema, ((GenericState) state).tree(), versions));
            }
            if (crc >= 0) {
                SectionCrc.check(label, at, state, crc);
            }
            return new DeviceSection(sectionId, idstr, instanceId, version, footer, schema, state);
        } catch (VmstateException e) {
            if (label != null) {
                e.inSection(label);
            }
            throw e.atOffset(at);
        }
    }

    /** Counts a device section or an iterative start chunk against {@code ReadLimits.maxSectionCount()}. */
    private void checkSectionCount(long at) {
        try {
            limits.checkSectionCount(++sections);
        } catch (VmstateException e) {
            throw e.atOffset(at);
        }
    }
}
