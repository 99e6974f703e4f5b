package dev.vmstate.format.asn1;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.schema.SchemaLimits;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.RecordOrder;
import dev.vmstate.spi.SectionCrc;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.stream.Command;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.SectionVersions;
import dev.vmstate.visitor.Visitable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads one {@code asn1-der} or {@code asn1-ber} stream ({@code docs/formats/asn1.md}) record by
 * record: the binary envelope, then one top-level {@code Record} value of {@code vmstate.asn} per
 * {@link #next()}. Each value is first cut out of the {@link ByteSource} by a {@link RecordFramer},
 * which checks its length against {@link ReadLimits} before a byte of it is read, and then decoded
 * from memory by the module's own decoder ({@link Asn1In}), which enforces the encoding's rules:
 * DER's canonical form for {@code asn1-der}, what X.690 allows for {@code asn1-ber}. Only the
 * current record is in memory, so a stream of any size is read in the memory of its largest record.
 *
 * <p>A schema value adds its schema to the stream's table (checked against {@link SchemaLimits}
 * once, there); a device value names one by id, and its state is decoded straight into the object
 * {@link ReadOptions#targets()} chooses, or into a {@link GenericState}, by an
 * {@link Asn1LoadVisitor}. Every failure is a {@link VmstateException} with the absolute byte offset
 * of the offending value, the section label inside a device record and the field path inside a
 * state; after one, the reader refuses to go on.
 *
 * <p>Not thread-safe.
 *
 * @since 0.1
 */
public final class Asn1StreamReader implements StreamReader {
    private final ByteSource src;
    private final ReadOptions options;
    private final ReadLimits limits;
    private final String format;
    private final RecordFramer framer;
    private final Asn1In in;
    private final Asn1LoadVisitor load;
    private final TreeCodec trees = new TreeCodec();
    private final RecordOrder order = new RecordOrder();
    /** The stream's schema values so far, by id. */
    private final List<Schema> schemas = new ArrayList<>();
    private Envelope envelope;
    private boolean crc32c;
    private boolean done;
    private VmstateException broken;
    private long sections;

    /**
     * A reader of the stream at {@code src}'s position; offsets count from the start of {@code src}.
     *
     * @param der {@code true} for {@code asn1-der} (canonical input only), {@code false} for {@code asn1-ber}
     */
    public Asn1StreamReader(ByteSource src, ReadOptions options, boolean der) {
        this.src = Objects.requireNonNull(src, "src");
        this.options = Objects.requireNonNull(options, "options");
        this.limits = options.limits();
        this.format = der ? Asn1Constants.DER : Asn1Constants.BER;
        this.framer = new RecordFramer(src, limits, der);
        this.in = new Asn1In(der, limits);
        this.load = new Asn1LoadVisitor(in);
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
            throw Asn1Errors.readerBroken(broken.getOriginalMessage()).atOffset(broken.offset()).inFormat(format);
        }
        try {
            return step.get();
        } catch (VmstateException e) {
            broken = e;
            throw e.inFormat(format);
        } catch (RuntimeException e) {
            // A safety net: a record constructor or schema import refusing a value we did not foresee.
            MalformedStreamException x = new MalformedStreamException("invalid record: " + e, e);
            x.atOffset(framer.start() >= 0 ? framer.start() : src.position()).inFormat(format);
            broken = x;
            throw x;
        }
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
            throw Asn1Errors.unexpected("an empty stream", "the vmstate envelope (\"VMST\")").atOffset(at);
        }
        Envelope e = Envelope.read(src);
        if (!format.equals(e.formatId())) {
            throw Asn1Errors.wrongFormat(e.formatId(), format).atOffset(at + 7);
        }
        for (String f : e.features()) {
            if (!Envelope.FEATURE_CRC32C.equals(f)) {
                throw Asn1Errors.unknownFeature(f).atOffset(at);
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
                    throw Asn1Errors.noEndRecord().atOffset(src.position());
                }
                done = true;
                return null;
            }
            long at = framer.start();
            StreamRecord r = record(at);
            if (r == null) {
                continue; // a schema value
            }
            if (r instanceof IterativeSection it && it.type() == IterativeSection.SectionType.START) {
                checkSectionCount(at);
            }
            String violation = order.accept(r);
            if (violation != null) {
                VmstateException e = Asn1Errors.readOrder(violation).atOffset(at);
                throw r instanceof DeviceSection d ? e.inSection(d.label()) : e;
            }
            return r;
        }
    }

    /** The record framed at {@code at}; null for a schema value. */
    private StreamRecord record(long at) {
        int length = framer.length();
        in.reset(framer.buffer(), 0, at);
        trees.reset();
        in.header(length, "a record");
        int id = in.id;
        int e = in.enter(length);
        StreamRecord r;
        switch (id) {
            case Asn1Constants.HEADER -> r = header(e);
            case Asn1Constants.SCHEMA -> {
                schema(e);
                r = null;
            }
            case Asn1Constants.DEVICE -> r = device(e, at);
            case Asn1Constants.ITERATIVE -> r = iterative(e);
            case Asn1Constants.RAM_BLOCKS -> r = blocks(e);
            case Asn1Constants.PAGE -> r = page(e);
            case Asn1Constants.EOS, Asn1Constants.END -> {
                if (in.len != 0) {
                    throw in.at(Asn1Errors.nullLength(in.len), 0);
                }
                r = id == Asn1Constants.EOS ? new RamRecord.Eos() : new EndOfState();
            }
            case Asn1Constants.SECTION_END -> {
                int sectionId = in.int32(e, "the section id");
                boolean footer = in.bool(e, "the footer flag");
                in.leave(e, "a sectionEnd record");
                r = new SectionEnd(sectionId, footer);
            }
            case Asn1Constants.COMMAND -> {
                int command = in.int32(e, "the command number");
                byte[] data = in.bytes(e, Asn1Constants.OCTET_STRING, "the command's data", null);
                in.leave(e, "a command record");
                r = new Command(command, data);
            }
            case Asn1Constants.DESCRIPTION -> {
                byte[] json = in.more(e) ? in.bytes(e, Asn1Constants.OCTET_STRING, "the description's JSON", null)
                        : null;
                in.leave(e, "a description record");
                r = new Description(json);
            }
            default -> throw in.at(Asn1Errors.unknownRecord(Asn1Errors.describe(id)), 0);
        }
        if (in.pos != length) {
            throw in.at(Asn1Errors.unexpected("more bytes", "the end of the record"), in.pos);
        }
        return r;
    }

    // ---------------------------------------------------------------- records

    private StreamHeader header(int e) {
        int version = in.int32(e, "the stream version");
        String machine = null;
        if (in.more(e) && (in.peek() & ~Asn1Constants.CONSTRUCTED) == Asn1Constants.UTF8_STRING) {
            machine = in.text(e, Asn1Constants.UTF8_STRING, "the machine type");
        }
        byte[] extra = in.bytes(e, Asn1Constants.OCTET_STRING, "the configuration's subsections (OCTET STRING)",
                null);
        DeviceTree tree = in.more(e) ? trees.readTree(in, e) : null;
        in.leave(e, "a header record");
        return new StreamHeader(version, machine, extra, tree);
    }

    /** A schema value: the next entry of the stream's schema table, checked once here. */
    private void schema(int e) {
        int idAt = in.pos;
        long id = in.integer(e, Asn1Constants.INTEGER, "the schema id", 0, Integer.MAX_VALUE);
        if (id != schemas.size()) {
            throw in.at(Asn1Errors.badSchemaId(id, "expected " + schemas.size()
                    + "; a stream numbers its schema values 0, 1, 2, ... in order"), idAt);
        }
        try {
            // each schema serves at least one section, so the section limit bounds the table too
            limits.checkSectionCount(schemas.size() + 1L);
        } catch (VmstateException x) {
            throw in.at(x, 0);
        }
        int from = in.pos;
        if (!in.more(e)) {
            throw in.at(Asn1Errors.unexpected("the end of the schema record", "the schema (a Plain mapValue)"), from);
        }
        in.skip(e, 0);
        int to = in.pos;
        Schema s = cachedSchema(in.b, from, to, in.der);
        boolean cached = s != null;
        if (!cached) {
            in.pos = from;
            Object plain = trees.readPlain(in, e, 0);
            if (!(plain instanceof Map<?, ?>)) {
                throw in.at(Asn1Errors.badSchema("the schema is not a Plain mapValue"), from);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) plain;
            try {
                s = SchemaJson.fromMap(map);
            } catch (VmstateException x) {
                throw in.at(Asn1Errors.badSchema(x.getOriginalMessage()), from);
            } catch (RuntimeException x) {
                throw in.at(Asn1Errors.badSchema(String.valueOf(x.getMessage())), from);
            }
        }
        in.pos = to;
        in.leave(e, "a schema record");
        try {
            if (!cached) {
                checkNames(s, "$");
            }
            // the limits are this reader's, so they are checked on every arrival, cached or not
            SchemaLimits.check(s, limits);
        } catch (VmstateException x) {
            throw in.at(x, from);
        }
        if (!cached) {
            (in.der ? Asn1DerFormat.SCHEMAS : Asn1BerFormat.SCHEMAS).remember(in.b, from, to, s);
        }
        schemas.add(s);
    }

    /**
     * The schema a reader of this encoding made from {@code b[from, to)} before, or null. A DER
     * reader looks only at what DER readers remembered: bytes a BER reader took may hold what DER
     * refuses (a BOOLEAN 0x01, a constructed string) that the DER reader's walk over them would
     * not notice. A BER reader takes what either remembered.
     */
    private static Schema cachedSchema(byte[] b, int from, int to, boolean der) {
        Schema s = Asn1DerFormat.SCHEMAS.decoded(b, from, to);
        return s != null || der ? s : Asn1BerFormat.SCHEMAS.decoded(b, from, to);
    }

    /**
     * Checks what {@code SchemaJson} does not: member names unique within each struct, so that a
     * target's visit can be matched to the schema by name.
     */
    private static void checkNames(Schema s, String at) {
        Set<String> names = new HashSet<>();
        for (Field f : s.members()) {
            if (!names.add(f.name())) {
                throw Asn1Errors.badSchema(at + ": field name \"" + Asn1Errors.shorten(f.name())
                        + "\" used twice in one struct");
            }
            if (f.struct() != null) {
                checkNames(f.struct(), at + "." + f.name());
            }
        }
    }

    private DeviceSection device(int e, long at) {
        String label = null;
        try {
            int sectionId = in.int32(e, "the section id");
            String idstr = in.text(e, Asn1Constants.UTF8_STRING, "the id string");
            int instanceId = in.int32(e, "the instance id");
            label = idstr + "/" + instanceId;
            int version = in.int32(e, "the version");
            boolean footer = in.bool(e, "the footer flag");
            Long crc = null;
            if (in.more(e) && in.peek() == Asn1Constants.CRC32C) {
                crc = in.integer(e, Asn1Constants.CRC32C, "the CRC32C", 0, 0xFFFF_FFFFL);
            } else if (crc32c) {
                throw Asn1Errors.badRecord("missing crc32c ([0] UInt32) in a device record of a stream with "
                        + "feature crc32c").atOffset(at);
            }
            int idAt = in.pos;
            long id = in.integer(e, Asn1Constants.INTEGER, "the schema id", 0, Integer.MAX_VALUE);
            if (id >= schemas.size()) {
                throw in.at(Asn1Errors.badSchemaId(id, "no schema value before it has this id"), idAt);
            }
            Schema schema = schemas.get((int) id);
            checkSectionCount(at);
            Visitable target = options.targets().target(idstr, instanceId, version, schema);
            Visitable state = target != null ? target : new GenericState(schema);
            load.load(schema, state, e);
            in.leave(e, "a device record");
            int[] versions = load.sectionVersions();
            if (target == null && versions != null) {
                // a visitor loads sections at the schema's version; a generic state keeps the one written
                state = new GenericState(schema, SectionVersions.apply(schema, ((GenericState) state).tree(),
                        versions));
            }
            if (crc != null) {
                SectionCrc.check(label, at, state, crc);
            }
            return new DeviceSection(sectionId, idstr, instanceId, version, footer, schema, state);
        } catch (VmstateException x) {
            if (label != null) {
                x.inSection(label);
            }
            throw x.atOffset(at);
        }
    }

    private IterativeSection iterative(int e) {
        in.expect(e, Asn1Constants.ENUMERATED, "the chunk type (a ChunkType ENUMERATED)");
        long t = in.intContent("ENUMERATED");
        if (t < Asn1Constants.CHUNK_START || t > Asn1Constants.CHUNK_END) {
            throw in.at(Asn1Errors.outOfRange(Long.toString(t), "a ChunkType", "0", "2"), in.at);
        }
        IterativeSection.SectionType type = IterativeSection.SectionType.values()[(int) t];
        int sectionId = in.int32(e, "the section id");
        IterativeSection r;
        if (type == IterativeSection.SectionType.START) {
            int ce = in.open(e, Asn1Constants.SEQUENCE, "the start chunk's ChunkStart");
            String idstr = in.text(ce, Asn1Constants.UTF8_STRING, "the id string");
            int instanceId = in.int32(ce, "the instance id");
            int version = in.int32(ce, "the version");
            in.leave(ce, "a ChunkStart");
            r = new IterativeSection(type, sectionId, idstr, instanceId, version);
        } else {
            r = new IterativeSection(type, sectionId, null, 0, 0);
        }
        in.leave(e, "an iterative record");
        return r;
    }

    private RamRecord.Blocks blocks(int e) {
        long total = in.int64(e, "the total bytes");
        int be = in.open(e, Asn1Constants.SEQUENCE, "the RAM blocks (a SEQUENCE OF RamBlock)");
        List<RamRecord.Block> list = new ArrayList<>();
        while (in.more(be)) {
            if (list.size() >= limits.maxListLength()) {
                throw in.at(Asn1Errors.badRecord("more RAM blocks than maxListLength ("
                        + limits.maxListLength() + ")"), in.pos);
            }
            int re = in.open(be, Asn1Constants.SEQUENCE, "a RAM block (a RamBlock SEQUENCE)");
            String name = in.text(re, Asn1Constants.UTF8_STRING, "the block name");
            long used = in.int64(re, "the used length");
            in.leave(re, "a RamBlock");
            list.add(new RamRecord.Block(name, used));
        }
        in.leave(be, "the RAM blocks");
        in.leave(e, "a ramBlocks record");
        return new RamRecord.Blocks(total, list);
    }

    private RamRecord.Page page(int e) {
        String block = in.text(e, Asn1Constants.UTF8_STRING, "the block name");
        long offset = in.int64(e, "the page offset");
        boolean continued = in.bool(e, "the continued flag");
        if (!in.more(e)) {
            throw in.at(Asn1Errors.unexpected("the end of the page record", "the page content (a PageContent)"),
                    in.pos);
        }
        int id = in.peek();
        RamRecord.Page p;
        switch (id & ~Asn1Constants.CONSTRUCTED) {
            case Asn1Constants.PAGE_ZERO -> {
                long fill = in.integer(e, Asn1Constants.PAGE_ZERO, "the zero page's fill byte", 0, 255);
                p = new RamRecord.Page(block, offset, continued, RamRecord.Encoding.ZERO, new byte[] {(byte) fill});
            }
            case Asn1Constants.PAGE_RAW -> p = new RamRecord.Page(block, offset, continued, RamRecord.Encoding.RAW,
                    in.bytes(e, Asn1Constants.PAGE_RAW, "the raw page", null));
            case Asn1Constants.PAGE_XBZRLE -> p = new RamRecord.Page(block, offset, continued,
                    RamRecord.Encoding.XBZRLE, in.bytes(e, Asn1Constants.PAGE_XBZRLE, "the XBZRLE delta", null));
            default -> throw in.at(Asn1Errors.unexpected(Asn1Errors.describe(id),
                    "the page content (zero [0], raw [1] or xbzrle [2])"), in.pos);
        }
        in.leave(e, "a page record");
        return p;
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
