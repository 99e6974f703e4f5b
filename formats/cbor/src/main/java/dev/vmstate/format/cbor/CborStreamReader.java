package dev.vmstate.format.cbor;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.SectionCrc;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.TreeInVisitor;
import dev.vmstate.visitor.Visitable;
import java.util.List;
import java.util.Map;
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
 * <p>A device section's schema comes before its state in the item; the state is read against it
 * into a tree, then loaded into the object {@link ReadOptions#targets()} chooses, or kept as a
 * {@link GenericState}. Every failure is a {@link VmstateException} with the absolute byte offset
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
    private final CborInput in;
    private final PlainRecords plain;
    private final RecordOrder order = new RecordOrder();
    private Envelope envelope;
    private boolean crc32c;
    private boolean done;
    private VmstateException broken;
    private long sections;

    /** A reader of the stream at {@code src}'s position; offsets count from the start of {@code src}. */
    public CborStreamReader(ByteSource src, ReadOptions options) {
        this.src = Objects.requireNonNull(src, "src");
        this.options = Objects.requireNonNull(options, "options");
        this.limits = options.limits();
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
        return src.position();
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
        if (!framer.next()) {
            if (!order.complete()) {
                throw CborErrors.noEndRecord().atOffset(src.position());
            }
            done = true;
            return null;
        }
        long at = framer.start();
        in.open();
        if (in.next() != JsonToken.START_OBJECT) {
            throw in.here(CborErrors.unexpected(in.found(), "a record (a map whose first key is \"record\")"));
        }
        String first = in.nextName();
        if (!CborConstants.RECORD.equals(first)) {
            throw in.here(CborErrors.recordFirst(first == null ? "the end of the map"
                    : "key \"" + CborErrors.shorten(first) + "\""));
        }
        StreamRecord r = record(in.string("a record kind"), at);
        if (in.next() != null) {
            throw in.here(CborErrors.unexpected(in.found(), "the end of the item"));
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
            Schema schema = schema();
            k.take(CborConstants.STATE);
            in.expect(JsonToken.START_OBJECT, "the state (a map)");
            long stateAt = in.tokenOffset();
            StructValue tree = new StateDecoder(in, limits).readState(schema);
            k.end();
            checkSectionCount(at);
            Visitable target = options.targets().target(idstr, instanceId, version, schema);
            Visitable state;
            if (target == null) {
                // The tree already fits the schema (StateDecoder is schema-driven); keeping it as read
                // also keeps each section's version, which a load through a visitor would reset.
                state = new GenericState(schema, tree);
            } else {
                try {
                    state = TreeInVisitor.load(tree, target, limits);
                } catch (VmstateException e) {
                    throw e.atOffset(stateAt);
                }
            }
            if (crc != null) {
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

    @SuppressWarnings("unchecked")
    private Schema schema() {
        in.expect(JsonToken.START_OBJECT, "a schema (a map)");
        long at = in.tokenOffset();
        Map<String, Object> map = (Map<String, Object>) in.plain();
        Schema s;
        try {
            s = SchemaJson.fromMap(map);
        } catch (VmstateException e) {
            throw CborErrors.badSchema(e.getOriginalMessage()).atOffset(at);
        } catch (RuntimeException e) {
            throw CborErrors.badSchema(String.valueOf(e.getMessage())).atOffset(at);
        }
        try {
            StateDecoder.checkSchema(s, "$");
        } catch (VmstateException e) {
            throw e.atOffset(at);
        }
        return s;
    }
}
