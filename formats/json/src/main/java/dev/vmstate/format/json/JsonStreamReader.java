package dev.vmstate.format.json;

import dev.vmstate.spi.RecordOrder;
import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.schema.SchemaLimits;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads one {@code json} stream ({@code docs/formats/json.md}) record by record: each
 * {@link #next()} parses exactly one element of the {@code "records"} array with a streaming
 * jackson-core {@link JsonParser} that pulls bytes from the {@link ByteSource} as it needs them,
 * so a stream of any size is read in the memory of its largest record.
 *
 * <p>A device section's schema comes first in its record; the state is read against it into a
 * tree, then loaded into the object {@link ReadOptions#targets()} chooses, or kept as a
 * {@link GenericState}. Every failure is a {@link VmstateException} with the byte offset of the
 * offending token, the section label inside a device record and the field path inside a state;
 * after one, the reader refuses to go on.
 *
 * <p>Not thread-safe.
 *
 * @since 0.1
 */
public final class JsonStreamReader implements StreamReader {
    /** Longest number the reader accepts; a u64 has 20 digits, a float64 at most 24 characters. */
    static final int MAX_NUMBER_CHARS = 100;
    private static final JsonFactory DEFAULT_FACTORY = factory(ReadLimits.defaults());

    private final ReadOptions options;
    private final ReadLimits limits;
    private final JsonParser parser;
    private final JsonInput in;
    private final PlainRecords plain;
    private final RecordOrder order = new RecordOrder();
    /** A schema or device tree may nest this deep in JSON: each struct level takes up to 4 JSON levels. */
    private final int genericDepth;
    private final long base;
    private Envelope envelope;
    private boolean done;
    private VmstateException broken;
    private long sections;

    /** A reader of the stream at {@code src}'s position; offsets count from the start of {@code src}. */
    public JsonStreamReader(ByteSource src, ReadOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.limits = options.limits();
        this.genericDepth = (int) Math.min(Integer.MAX_VALUE, 4L * limits.maxDepth() + 8);
        this.base = src.position();
        JsonFactory f = limits == ReadLimits.defaults() ? DEFAULT_FACTORY : factory(limits);
        try {
            this.parser = f.createParser(ObjectReadContext.empty(), new ByteSourceInput(src));
        } catch (JacksonException e) {
            throw JsonErrors.fromJackson(e, base, maxStringChars(limits)).inFormat(JsonConstants.FORMAT);
        }
        this.in = new JsonInput(parser, base, limits, maxStringChars(limits));
        this.plain = new PlainRecords(in, genericDepth);
    }

    /** jackson-core with its stream constraints derived from {@code l}, as a backstop behind our own checks. */
    private static JsonFactory factory(ReadLimits l) {
        StreamReadConstraints.Builder c = StreamReadConstraints.builder()
                .maxStringLength((int) maxStringChars(l))
                .maxNameLength(Math.max(64, l.maxStringLength()))
                .maxNestingDepth((int) Math.min(Integer.MAX_VALUE, 4L * l.maxDepth() + 16))
                .maxNumberLength(MAX_NUMBER_CHARS);
        if (l.maxStreamSize() != ReadLimits.UNLIMITED) {
            c.maxDocumentLength(l.maxStreamSize());
        }
        return JsonFactory.builder().streamReadConstraints(c.build()).build();
    }

    /** The longest JSON string: hex of the longest byte field, or the longest text. */
    private static long maxStringChars(ReadLimits l) {
        return Math.min(Integer.MAX_VALUE, Math.max(8192, Math.max(l.maxStringLength(), 2L * l.maxBytesLength())));
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

    private <T> T run(java.util.function.Supplier<T> step) {
        if (broken != null) {
            throw JsonErrors.readerBroken(broken.getOriginalMessage()).atOffset(broken.offset())
                    .inFormat(JsonConstants.FORMAT);
        }
        try {
            return step.get();
        } catch (VmstateException e) {
            broken = e;
            throw e.inFormat(JsonConstants.FORMAT);
        } catch (RuntimeException e) {
            // A safety net: a record constructor or schema import refusing a value we did not foresee.
            MalformedStreamException x = new MalformedStreamException("invalid record: " + e, e);
            x.atOffset(in.tokenOffset()).inFormat(JsonConstants.FORMAT);
            broken = x;
            throw x;
        }
    }

    @Override
    public long position() {
        return in.offset();
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (JacksonException e) {
            // nothing to release that matters: the source is the caller's
        }
    }

    // ---------------------------------------------------------------- document structure

    private void start() {
        if (envelope != null) {
            return;
        }
        JsonToken t = in.next();
        if (t == null) {
            throw JsonErrors.notVmstate("an empty stream").atOffset(base);
        }
        if (!in.byteBased()) {
            throw JsonErrors.notUtf8().atOffset(base);
        }
        if (t != JsonToken.START_OBJECT) {
            throw in.here(JsonErrors.notVmstate(JsonErrors.describe(t)));
        }
        String name = in.nextName();
        if (!JsonConstants.VMSTATE.equals(name)) {
            throw in.here(JsonErrors.notVmstate(name == null ? "an empty object" : "first member \"" + name + "\""));
        }
        in.expect(JsonToken.START_OBJECT, "the envelope (an object)");
        Envelope env = readEnvelope();
        name = in.nextName();
        if (name == null) {
            throw in.here(JsonErrors.missingMember(JsonConstants.RECORDS, "the top-level object"));
        }
        if (!JsonConstants.RECORDS.equals(name)) {
            throw in.here(JsonErrors.unknownMember(name, "the top-level object"));
        }
        in.expect(JsonToken.START_ARRAY, "the records (an array)");
        envelope = env;
    }

    private StreamRecord readNext() {
        if (done) {
            return null;
        }
        start();
        JsonToken t = in.next();
        if (t == JsonToken.END_ARRAY) {
            if (!order.complete()) {
                throw in.here(JsonErrors.noEndRecord());
            }
            String name = in.nextName();
            if (name != null) {
                throw in.here(JsonErrors.unknownMember(name, "the top-level object"));
            }
            if (in.next() != null) {
                throw in.here(JsonErrors.trailingData());
            }
            done = true;
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            throw in.here(JsonErrors.unexpected(t, "a record (an object) or the end of the records"));
        }
        long start = in.tokenOffset();
        StreamRecord r = record(start);
        try {
            // jackson checks the document length only when it loads a buffer; this finds the record.
            limits.checkStreamSize(in.offset());
        } catch (VmstateException e) {
            throw e.atOffset(start);
        }
        if (r instanceof IterativeSection it && it.type() == IterativeSection.SectionType.START) {
            checkSectionCount(start);
        }
        String violation = order.accept(r);
        if (violation != null) {
            VmstateException e = JsonErrors.readOrder(violation).atOffset(start);
            throw r instanceof DeviceSection d ? e.inSection(d.label()) : e;
        }
        return r;
    }

    private Envelope readEnvelope() {
        long start = in.tokenOffset();
        Members m = new Members(in, "the envelope");
        byte[] fingerprint = null;
        List<String> features = null;
        String name;
        while ((name = m.next()) != null) {
            switch (name) {
                case JsonConstants.ENV_MAGIC -> {
                    String magic = in.string("the magic");
                    if (!JsonConstants.MAGIC.equals(magic)) {
                        throw in.here(JsonErrors.wrongMagic(magic));
                    }
                }
                case JsonConstants.ENV_VERSION -> {
                    long v = in.int64("the envelope version");
                    if (v != Envelope.VERSION) {
                        throw in.here(JsonErrors.envelopeVersion(v, Envelope.VERSION));
                    }
                }
                case JsonConstants.ENV_FORMAT -> {
                    String f = in.string("the format");
                    if (!JsonConstants.FORMAT.equals(f)) {
                        throw in.here(JsonErrors.wrongFormat(f));
                    }
                }
                case JsonConstants.ENV_FINGERPRINT -> {
                    fingerprint = in.fixedHex("the schema fingerprint", Envelope.FINGERPRINT_LENGTH,
                            JsonErrors::fingerprintLength);
                }
                case JsonConstants.ENV_FEATURES -> features = readFeatures();
                default -> throw in.here(JsonErrors.unknownMember(name, "the envelope"));
            }
        }
        m.require(start, JsonConstants.ENV_MAGIC, JsonConstants.ENV_VERSION, JsonConstants.ENV_FORMAT,
                JsonConstants.ENV_FINGERPRINT, JsonConstants.ENV_FEATURES);
        return new Envelope(JsonConstants.FORMAT, fingerprint, features);
    }

    private List<String> readFeatures() {
        in.expect(JsonToken.START_ARRAY, "the features (an array of strings)");
        List<String> features = new ArrayList<>();
        JsonToken t;
        while ((t = in.next()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_STRING) {
                throw in.here(JsonErrors.unexpected(t, "a feature name (a string)"));
            }
            String f = in.text();
            if (!Envelope.FEATURE_CRC32C.equals(f)) {
                throw in.here(JsonErrors.unknownFeature(f));
            }
            if (!features.contains(f)) {
                features.add(f);
            }
        }
        return features;
    }

    // ---------------------------------------------------------------- records

    /** The record whose {@code START_OBJECT} is the current token. */
    private StreamRecord record(long start) {
        String first = in.nextName();
        if (!JsonConstants.RECORD.equals(first)) {
            throw in.here(JsonErrors.recordFirst(first == null ? "the end of the object" : "member \"" + first + "\""));
        }
        String kind = in.string("a record kind");
        return switch (kind) {
            case JsonConstants.HEADER -> plain.header(start);
            case JsonConstants.DEVICE -> device(start);
            case JsonConstants.ITERATIVE -> plain.iterative(start);
            case JsonConstants.RAM_BLOCKS -> plain.blocks(start);
            case JsonConstants.PAGE -> plain.page(start);
            case JsonConstants.EOS -> kindOnly(new RamRecord.Eos());
            case JsonConstants.SECTION_END -> plain.sectionEnd(start);
            case JsonConstants.COMMAND -> plain.command(start);
            case JsonConstants.END -> kindOnly(new EndOfState());
            case JsonConstants.DESCRIPTION -> plain.description(start);
            default -> throw in.here(JsonErrors.unknownValue("record kind", kind, List.of(JsonConstants.HEADER,
                    JsonConstants.DEVICE, JsonConstants.ITERATIVE, JsonConstants.RAM_BLOCKS, JsonConstants.PAGE,
                    JsonConstants.EOS, JsonConstants.SECTION_END, JsonConstants.COMMAND, JsonConstants.END,
                    JsonConstants.DESCRIPTION)));
        };
    }

    private StreamRecord kindOnly(StreamRecord r) {
        String name = in.nextName();
        if (name != null) {
            String kind = RecordOrder.kindOf(r);
            throw in.here(JsonErrors.unknownMember(name, (kind.startsWith("e") ? "an " : "a ") + kind + " record"));
        }
        return r;
    }

    private DeviceSection device(long start) {
        Members m = new Members(in, "a device record");
        int sectionId = 0;
        String idstr = null;
        Integer instanceId = null;
        int version = 0;
        boolean footer = false;
        Long crc = null;
        Schema schema = null;
        StructValue tree = null;
        long stateOffset = -1;
        String name;
        try {
            while ((name = m.next()) != null) {
                switch (name) {
                    case JsonConstants.SECTION_ID -> sectionId = in.int32("the section id");
                    case JsonConstants.IDSTR -> idstr = in.string("the id string");
                    case JsonConstants.INSTANCE_ID -> instanceId = in.int32("the instance id");
                    case JsonConstants.VERSION -> version = in.int32("the version");
                    case JsonConstants.FOOTER -> footer = in.bool("the footer flag");
                    case JsonConstants.CRC32C -> crc = crc32c();
                    case JsonConstants.SCHEMA -> schema = schema();
                    case JsonConstants.STATE -> {
                        if (schema == null) {
                            throw in.here(JsonErrors.stateBeforeSchema());
                        }
                        in.expect(JsonToken.START_OBJECT, "the state (an object)");
                        stateOffset = in.tokenOffset();
                        tree = new StateReader(in, start).readState(schema);
                    }
                    default -> throw m.unknown(name);
                }
            }
            m.require(start, JsonConstants.SECTION_ID, JsonConstants.IDSTR, JsonConstants.INSTANCE_ID,
                    JsonConstants.VERSION, JsonConstants.FOOTER, JsonConstants.SCHEMA, JsonConstants.STATE);
            if (crc == null && envelope.has(Envelope.FEATURE_CRC32C)) {
                throw JsonErrors.missingMember(JsonConstants.CRC32C,
                        "a device record of a stream with feature crc32c").atOffset(start);
            }
            checkSectionCount(start);
            String label = idstr + "/" + instanceId;
            Visitable target = options.targets().target(idstr, instanceId, version, schema);
            Visitable state;
            if (target == null) {
                // The tree already fits the schema (StateReader is schema-driven); keeping it as read
                // also keeps each section's version, which a load through a visitor would reset.
                state = new GenericState(schema, tree);
            } else {
                try {
                    state = TreeInVisitor.load(tree, target, limits);
                } catch (VmstateException e) {
                    throw e.atOffset(stateOffset);
                }
            }
            if (crc != null) {
                SectionCrc.check(label, start, state, crc);
            }
            return new DeviceSection(sectionId, idstr, instanceId, version, footer, schema, state);
        } catch (VmstateException e) {
            if (idstr != null && instanceId != null) {
                e.inSection(idstr + "/" + instanceId);
            }
            throw e.atOffset(start);
        }
    }

    /** Counts a device section or an iterative start chunk against {@code ReadLimits.maxSectionCount()}. */
    private void checkSectionCount(long start) {
        try {
            limits.checkSectionCount(++sections);
        } catch (VmstateException e) {
            throw e.atOffset(start);
        }
    }

    private long crc32c() {
        String s = in.string("the CRC32C");
        if (s.length() != 10 || !s.startsWith("0x")) {
            throw in.here(JsonErrors.badMember(JsonConstants.CRC32C, "\"" + s
                    + "\" is not \"0x\" and 8 hex digits"));
        }
        try {
            return Long.parseLong(s.substring(2), 16);
        } catch (NumberFormatException e) {
            throw in.here(JsonErrors.badMember(JsonConstants.CRC32C, "\"" + s + "\" is not \"0x\" and 8 hex digits"));
        }
    }

    private Schema schema() {
        JsonToken t = in.next();
        if (t != JsonToken.START_OBJECT) {
            throw in.here(JsonErrors.unexpected(t, "a schema (an object)"));
        }
        long at = in.tokenOffset();
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) in.generic(genericDepth);
        Schema s;
        try {
            s = SchemaJson.fromMap(map);
            StateReader.checkSchema(s, "$");
        } catch (VmstateException e) {
            throw JsonErrors.badSchema(e.getOriginalMessage()).atOffset(at);
        } catch (RuntimeException e) {
            throw JsonErrors.badSchema(String.valueOf(e.getMessage())).atOffset(at);
        }
        try {
            // #3: the schema fixes buffer sizes and array lengths; bound them before any state is read
            SchemaLimits.check(s, limits);
        } catch (VmstateException e) {
            throw e.atOffset(at);
        }
        return s;
    }
}
