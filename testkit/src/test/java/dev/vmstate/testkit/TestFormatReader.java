package dev.vmstate.testkit;

import dev.vmstate.binary.BinaryLoadVisitor;
import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.ReadOptions;
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
import dev.vmstate.visitor.Visitable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Reads {@link TestFormat} streams record by record, straight from the {@link ByteSource}. Every
 * declared length is checked against {@link ReadLimits} and against the end of its record before
 * anything is read for it, and every record must end exactly where its length says. Errors are
 * {@link VmstateException}s with the offset of the first byte of the offending item. Not
 * thread-safe.
 */
final class TestFormatReader implements StreamReader {
    private static final int HEADER = 0;
    private static final int BODY = 1;
    private static final int AFTER_END = 2;
    private static final int AFTER_DESCRIPTION = 3;

    private final ByteSource in;
    private final ReadOptions options;
    private final ReadLimits limits;
    private Envelope envelope;
    private int stage = HEADER;
    private boolean done;
    private long sections;
    /** Offset just past the payload of the record being read. */
    private long end;

    TestFormatReader(ByteSource in, ReadOptions options) {
        this.in = in;
        this.options = options;
        this.limits = options.limits();
    }

    @Override
    public long position() {
        return in.position();
    }

    @Override
    public StreamRecord next() {
        if (done) {
            return null;
        }
        try {
            if (envelope == null) {
                envelope = Envelope.read(in);
                if (!TestFormat.NAME.equals(envelope.formatId())) {
                    throw malformed("the envelope names format \"" + envelope.formatId() + "\", expected \""
                            + TestFormat.NAME + "\"", 0);
                }
            }
            StreamRecord r = record();
            done = r == null;
            return r;
        } catch (VmstateException e) {
            // A reader that failed stays failed: the caller cannot resynchronise inside a record.
            done = true;
            throw e.inFormat(TestFormat.NAME);
        }
    }

    // example:frame
    private StreamRecord record() {
        long start = in.position();
        if (in.atEnd()) {
            if (stage < AFTER_END) {
                throw malformed("the stream ends before its end-of-state record", start);
            }
            return null;
        }
        if (stage == AFTER_DESCRIPTION) {
            throw malformed("data after the description, which ends the stream", start);
        }
        int tag = in.readU8();
        long length = in.readBe32() & 0xFFFF_FFFFL;
        try {
            limits.checkSectionSize(length);
        } catch (VmstateException e) {
            throw e.atOffset(start + 1);
        }
        end = in.position() + length;
        checkOrder(tag, start);
        StreamRecord r;
        try {
            r = switch (tag) {
                case 'H' -> header();
                case 'S' -> section(start);
                case 'E' -> new EndOfState();
                case 'D' -> description();
                default -> other(tag, start);
            };
        } catch (VmstateException e) {
            // Errors that know no better place are reported at the record's first byte.
            throw e.atOffset(start);
        }
        if (in.position() != end) {
            throw malformed("record '" + (char) tag + "' declares " + length + " bytes, its fields end "
                    + (in.position() - end) + " byte(s) past that", start);
        }
        stage = tag == 'H' ? BODY : tag == 'E' ? AFTER_END : tag == 'D' ? AFTER_DESCRIPTION : stage;
        return r;
    }
    // end:frame

    private void checkOrder(int tag, long at) {
        if (stage == HEADER && tag != 'H') {
            throw malformed(String.format("record tag 0x%02X where the stream's header ('H') belongs", tag), at);
        }
        if (stage != HEADER && tag == 'H') {
            throw malformed("a second header", at);
        }
        if (stage == AFTER_END && tag != 'D') {
            throw malformed(String.format("record tag 0x%02X after the end of state, expected 'D' or the end", tag), at);
        }
    }

    private StreamHeader header() {
        int version = in.readBe32();
        String machine = optionalText("machine type", limits::checkStringLength);
        byte[] configuration = blob("configuration");
        long treeAt = in.position();
        String tree = optionalText("device tree", null);
        try {
            return new StreamHeader(version, machine, configuration, tree == null ? null : DeviceTree.fromJson(tree));
        } catch (VmstateException | IllegalArgumentException e) {
            throw (MalformedStreamException) new MalformedStreamException("invalid device tree: " + message(e), e)
                    .atOffset(treeAt);
        }
    }

    // example:section
    private DeviceSection section(long start) {
        limits.checkSectionCount(++sections);
        int sectionId = in.readBe32();
        String idstr = text("id string", limits::checkStringLength);
        int instanceId = in.readBe32();
        int version = in.readBe32();
        boolean footer = bool("footer");
        long schemaAt = in.position();
        Schema schema;
        try {
            schema = SchemaJson.fromJson(text("schema", null));
        } catch (VmstateException | IllegalArgumentException e) {
            throw (MalformedStreamException) new MalformedStreamException("invalid schema: " + message(e), e)
                    .atOffset(schemaAt);
        }
        // A generic state allocates buffers and arrays from the schema: check them against what is left.
        long needed = minimumBodySize(schema, 1, schemaAt);
        if (needed > end - in.position()) {
            throw malformed("the schema needs at least " + needed + " bytes of body, the record has "
                    + (end - in.position()) + " left", schemaAt);
        }
        Visitable target = options.targets().target(idstr, instanceId, version, schema);
        Visitable state = target != null ? target : new GenericState(schema);
        String label = idstr + "/" + instanceId;
        try {
            state.visit(new BinaryLoadVisitor(in, limits));
            if (envelope.has(Envelope.FEATURE_CRC32C)) {
                SectionCrc.check(label, start, state, in.readBe32() & 0xFFFF_FFFFL);
            }
        } catch (VmstateException e) {
            throw e.inSection(label).atOffset(start);
        }
        return new DeviceSection(sectionId, idstr, instanceId, version, footer, schema, state);
    }
    // end:section

    /** The fewest body bytes a state of {@code s} takes; fails on nesting beyond the limit. */
    private long minimumBodySize(Schema s, int depth, long at) {
        try {
            limits.checkDepth(depth);
        } catch (VmstateException e) {
            throw e.atOffset(at);
        }
        long n = 0;
        for (Field f : s.members()) {
            long one = switch (f.kind()) {
                case BUFFER -> f.size();
                case ARRAY -> (long) f.length() * f.element().width();
                case STR, BYTES, VARRAY, LIST -> 4;
                case STRUCT -> {
                    try {
                        limits.checkListLength(f.length());
                    } catch (VmstateException e) {
                        throw e.atOffset(at);
                    }
                    yield Math.max(1, f.length()) * minimumBodySize(f.struct(), depth + 1, at);
                }
                case SECTION -> {
                    minimumBodySize(f.struct(), depth + 1, at);
                    yield 0;
                }
                default -> f.kind().width();
            };
            // Saturate: a sum past any record size is as good as infinite.
            n = Math.min(Long.MAX_VALUE / 2, n + Math.min(Long.MAX_VALUE / 4, one));
        }
        return n;
    }

    private Description description() {
        long at = in.position();
        int generate = in.readU8();
        return switch (generate) {
            case 1 -> Description.generate();
            case 0 -> new Description(blob("description"));
            default -> throw malformed(String.format("invalid description flag 0x%02X, expected 0x00 or 0x01",
                    generate), at);
        };
    }

    private StreamRecord other(int tag, long start) {
        switch (tag) {
            case 'I': {
                long at = in.position();
                int type = in.readU8();
                if (type >= IterativeSection.SectionType.values().length) {
                    throw malformed(String.format("invalid iterative section type 0x%02X", type), at);
                }
                int sectionId = in.readBe32();
                String idstr = optionalText("id string", limits::checkStringLength);
                IterativeSection.SectionType t = IterativeSection.SectionType.values()[type];
                if ((t == IterativeSection.SectionType.START) != (idstr != null)) {
                    throw malformed("a " + t + " chunk " + (idstr == null ? "without" : "with") + " an id string", at);
                }
                return new IterativeSection(t, sectionId, idstr, in.readBe32(), in.readBe32());
            }
            case 'B': {
                long total = in.readBe64();
                long count = in.readBe32() & 0xFFFF_FFFFL;
                try {
                    limits.checkListLength(count);
                } catch (VmstateException e) {
                    throw e.atOffset(in.position() - 4);
                }
                List<RamRecord.Block> blocks = new ArrayList<>();
                for (long i = 0; i < count; i++) {
                    blocks.add(new RamRecord.Block(text("block name", limits::checkStringLength), in.readBe64()));
                }
                return new RamRecord.Blocks(total, blocks);
            }
            case 'P': {
                String block = text("block name", limits::checkStringLength);
                long offset = in.readBe64();
                boolean continued = bool("continued");
                long at = in.position();
                int encoding = in.readU8();
                if (encoding >= RamRecord.Encoding.values().length) {
                    throw malformed(String.format("invalid page encoding 0x%02X", encoding), at);
                }
                return new RamRecord.Page(block, offset, continued, RamRecord.Encoding.values()[encoding], blob("page"));
            }
            case 'Z':
                return new RamRecord.Eos();
            case 'F':
                return new SectionEnd(in.readBe32(), bool("footer"));
            case 'C':
                return new Command(in.readBe32(), blob("command data"));
            default:
                throw malformed(String.format("unknown record tag 0x%02X", tag), start);
        }
    }

    // ---- fields ----------------------------------------------------------------------------

    private boolean bool(String what) {
        long at = in.position();
        int b = in.readU8();
        if (b > 1) {
            throw malformed(String.format("invalid %s 0x%02X, expected 0x00 or 0x01", what, b), at);
        }
        return b == 1;
    }

    /** A be32 length, checked against its limit (if any) and the record's end, before anything is read for it. */
    private int length(String what, LongConsumer limit, long at) {
        long n = in.readBe32() & 0xFFFF_FFFFL;
        try {
            if (limit != null) {
                limit.accept(n);
            }
        } catch (VmstateException e) {
            throw e.atOffset(at);
        }
        if (n > end - in.position()) {
            throw malformed(what + " of " + n + " bytes runs past its record's end", at);
        }
        return (int) n;
    }

    private byte[] blob(String what) {
        long at = in.position();
        return in.readBytes(length(what, limits::checkBytesLength, at));
    }

    /** UTF-8 text; {@code limit} is {@code null} for text that only its record bounds (JSON documents). */
    private String text(String what, LongConsumer limit) {
        long at = in.position();
        byte[] b = in.readBytes(length(what, limit, at));
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw malformed(what + " is not valid UTF-8", at);
        }
    }

    private String optionalText(String what, LongConsumer limit) {
        return bool(what + " flag") ? text(what, limit) : null;
    }

    private static String message(Exception e) {
        return e instanceof VmstateException v ? v.getOriginalMessage() : e.getMessage();
    }

    private static MalformedStreamException malformed(String message, long offset) {
        return (MalformedStreamException) new MalformedStreamException(message).atOffset(offset);
    }
}
