package dev.vmstate.format.cbor;

import dev.vmstate.error.StreamWriteException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.SectionCrc;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Command;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.TreeOutVisitor;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.dataformat.cbor.CBORFactory;
import tools.jackson.dataformat.cbor.CBORGenerator;
import tools.jackson.dataformat.cbor.CBORWriteFeature;

/**
 * Writes one {@code cbor} stream ({@code docs/formats/cbor.md}): the binary envelope, then each
 * record as one top-level CBOR data item (a CBOR sequence, RFC 8742) through
 * jackson-dataformat-cbor's streaming {@link CBORGenerator}; nothing beyond the current record is
 * held in memory.
 *
 * <p>Every map and array is written with its size (no indefinite lengths), every integer and
 * length in its shortest form (preferred serialization, RFC 8949 §4.1), every float64 as 0xFB and
 * its 8 raw bytes, keys in the order of the spec and states in schema order, so the same records
 * always give the same bytes.
 *
 * <p>A record is checked completely (order, state against schema, text UTF-8 can carry) before any
 * of its bytes are written, so a refused record, a {@link StreamWriteException}, leaves the output
 * as it was and the writer usable. A failing output breaks the writer for good.
 *
 * <p>Not thread-safe.
 *
 * @since 0.1
 */
public final class CborStreamWriter implements StreamWriter {
    private static final CBORFactory FACTORY = CBORFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            // #4: a broken record must not be "completed" by jackson on close.
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
            .enable(CBORWriteFeature.WRITE_MINIMAL_INTS)
            // #4: float64 always in 8 bytes, so its bits (NaN payloads too) survive exactly.
            .disable(CBORWriteFeature.WRITE_MINIMAL_DOUBLES)
            .disable(CBORWriteFeature.WRITE_TYPE_HEADER)
            // #4: string references do not survive the cut of a stream into independent items.
            .disable(CBORWriteFeature.STRINGREF)
            .build();

    private final CBORGenerator g;
    private final boolean crc32c;
    private final RecordOrder order = new RecordOrder();
    private boolean closed;
    private String broken;

    /** A writer onto {@code out}, which it flushes but never closes; the envelope comes first. */
    public CborStreamWriter(OutputStream out, WriteOptions options) {
        Objects.requireNonNull(out, "out");
        Envelope envelope = Envelope.of(CborConstants.FORMAT, options);
        this.crc32c = envelope.has(Envelope.FEATURE_CRC32C);
        try {
            this.g = (CBORGenerator) FACTORY.createGenerator(ObjectWriteContext.empty(), out);
            // Raw, through the generator's buffer: the envelope is not CBOR, and it goes out with the first record.
            byte[] env = envelope.toBytes();
            g.writeBytes(env, 0, env.length);
        } catch (JacksonException e) {
            throw CborErrors.writeFailed(e).inFormat(CborConstants.FORMAT);
        }
    }

    @Override
    public void write(StreamRecord record) {
        Objects.requireNonNull(record, "record");
        if (closed) {
            throw CborErrors.writeOrder("write after close").inFormat(CborConstants.FORMAT);
        }
        if (broken != null) {
            throw CborErrors.writerBroken(broken).inFormat(CborConstants.FORMAT);
        }
        try {
            Runnable emit = prepare(record);
            String violation = order.accept(record);
            if (violation != null) {
                throw CborErrors.writeOrder(violation);
            }
            try {
                emit.run();
            } catch (JacksonException e) {
                VmstateException x = CborErrors.writeFailed(e);
                broken = x.getOriginalMessage();
                throw x;
            } catch (VmstateException e) {
                broken = e.getOriginalMessage();
                throw e;
            }
        } catch (VmstateException e) {
            if (record instanceof DeviceSection d) {
                e.inSection(d.label());
            }
            throw e.inFormat(CborConstants.FORMAT);
        }
    }

    /** Checks {@code r} and returns what writes it; the check throws, the writing only fails on I/O. */
    private Runnable prepare(StreamRecord r) {
        if (r instanceof StreamHeader h) {
            StateEncoder.checkText(h.machineType());
            Map<String, Object> tree = h.deviceTree() == null ? null : h.deviceTree().toMap();
            StateEncoder.checkPlain(tree);
            return () -> header(h, tree);
        } else if (r instanceof DeviceSection d) {
            return device(d);
        } else if (r instanceof IterativeSection it) {
            if (it.type() != IterativeSection.SectionType.START && (it.instanceId() != 0 || it.version() != 0)) {
                throw CborErrors.badRecord("iterative " + lower(it.type()) + " chunk with instance id "
                        + it.instanceId() + " and version " + it.version() + "; only a start chunk carries them");
            }
            StateEncoder.checkText(it.idstr());
            return () -> iterative(it);
        } else if (r instanceof RamRecord.Blocks b) {
            b.blocks().forEach(x -> StateEncoder.checkText(x.name()));
            return () -> blocks(b);
        } else if (r instanceof RamRecord.Page p) {
            if (p.encoding() == RamRecord.Encoding.ZERO && p.dataLength() != 1) {
                throw CborErrors.badRecord("zero page with " + p.dataLength() + " fill bytes, expected 1");
            }
            StateEncoder.checkText(p.block());
            return () -> page(p);
        } else if (r instanceof RamRecord.Eos) {
            return () -> kindOnly(CborConstants.EOS);
        } else if (r instanceof SectionEnd se) {
            return () -> sectionEnd(se);
        } else if (r instanceof Command c) {
            return () -> command(c);
        } else if (r instanceof EndOfState) {
            return () -> kindOnly(CborConstants.END);
        } else {
            return description((Description) r);
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** Opens a record map of {@code size} pairs, its first the record kind. */
    private void start(String kind, int size) {
        g.writeStartObject(null, size);
        g.writeName(CborConstants.RECORD);
        g.writeString(kind);
    }

    private void kindOnly(String kind) {
        start(kind, 1);
        g.writeEndObject();
    }

    private void header(StreamHeader h, Map<String, Object> tree) {
        start(CborConstants.HEADER, 5);
        g.writeName(CborConstants.STREAM_VERSION);
        g.writeNumber(h.streamVersion());
        g.writeName(CborConstants.MACHINE_TYPE);
        if (h.machineType() == null) {
            g.writeNull();
        } else {
            StateEncoder.string(g, h.machineType());
        }
        g.writeName(CborConstants.CONFIGURATION_EXTRA);
        g.writeBinary(h.configurationExtra());
        g.writeName(CborConstants.DEVICE_TREE);
        StateEncoder.writePlain(g, tree);
        g.writeEndObject();
    }

    private Runnable device(DeviceSection d) {
        StateEncoder.checkText(d.idstr());
        StructValue tree = TreeOutVisitor.toTree(d.schema().name(), d.state());
        StateEncoder.check(d.schema(), tree);
        Map<String, Object> schema = SchemaJson.toMap(d.schema());
        StateEncoder.checkPlain(schema);
        long crc = crc32c ? SectionCrc.of(d.state()) : -1;
        return () -> {
            start(CborConstants.DEVICE, crc >= 0 ? 9 : 8);
            g.writeName(CborConstants.SECTION_ID);
            g.writeNumber(d.sectionId());
            g.writeName(CborConstants.IDSTR);
            StateEncoder.string(g, d.idstr());
            g.writeName(CborConstants.INSTANCE_ID);
            g.writeNumber(d.instanceId());
            g.writeName(CborConstants.VERSION);
            g.writeNumber(d.version());
            g.writeName(CborConstants.FOOTER);
            g.writeBoolean(d.footer());
            if (crc >= 0) {
                g.writeName(CborConstants.CRC32C);
                StateEncoder.integer(g, Kind.U32, crc);
            }
            g.writeName(CborConstants.SCHEMA);
            StateEncoder.writePlain(g, schema);
            g.writeName(CborConstants.STATE);
            StateEncoder.writeStruct(g, d.schema(), tree);
            g.writeEndObject();
        };
    }

    private void iterative(IterativeSection it) {
        boolean start = it.type() == IterativeSection.SectionType.START;
        start(CborConstants.ITERATIVE, start ? 6 : 3);
        g.writeName(CborConstants.TYPE);
        g.writeString(lower(it.type()));
        g.writeName(CborConstants.SECTION_ID);
        g.writeNumber(it.sectionId());
        if (start) {
            g.writeName(CborConstants.IDSTR);
            StateEncoder.string(g, it.idstr());
            g.writeName(CborConstants.INSTANCE_ID);
            g.writeNumber(it.instanceId());
            g.writeName(CborConstants.VERSION);
            g.writeNumber(it.version());
        }
        g.writeEndObject();
    }

    private void blocks(RamRecord.Blocks b) {
        start(CborConstants.RAM_BLOCKS, 3);
        g.writeName(CborConstants.TOTAL_BYTES);
        g.writeNumber(b.totalBytes());
        g.writeName(CborConstants.BLOCKS);
        g.writeStartArray(null, b.blocks().size());
        for (RamRecord.Block block : b.blocks()) {
            g.writeStartObject(null, 2);
            g.writeName(CborConstants.NAME);
            StateEncoder.string(g, block.name());
            g.writeName(CborConstants.USED_LENGTH);
            g.writeNumber(block.usedLength());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void page(RamRecord.Page p) {
        start(CborConstants.PAGE, 6);
        g.writeName(CborConstants.BLOCK);
        StateEncoder.string(g, p.block());
        g.writeName(CborConstants.OFFSET);
        g.writeNumber(p.offset());
        g.writeName(CborConstants.CONTINUED);
        g.writeBoolean(p.continued());
        g.writeName(CborConstants.ENCODING);
        g.writeString(lower(p.encoding()));
        if (p.encoding() == RamRecord.Encoding.ZERO) {
            g.writeName(CborConstants.FILL);
            g.writeNumber(p.data()[0] & 0xFF);
        } else {
            g.writeName(CborConstants.DATA);
            g.writeBinary(p.data());
        }
        g.writeEndObject();
    }

    private void sectionEnd(SectionEnd se) {
        start(CborConstants.SECTION_END, 3);
        g.writeName(CborConstants.SECTION_ID);
        g.writeNumber(se.sectionId());
        g.writeName(CborConstants.FOOTER);
        g.writeBoolean(se.footer());
        g.writeEndObject();
    }

    private void command(Command c) {
        start(CborConstants.COMMAND, 3);
        g.writeName(CborConstants.COMMAND_NUMBER);
        g.writeNumber(c.command());
        g.writeName(CborConstants.DATA);
        g.writeBinary(c.data());
        g.writeEndObject();
    }

    private Runnable description(Description d) {
        return () -> {
            start(CborConstants.DESCRIPTION, 2);
            if (d.isGenerate()) {
                g.writeName(CborConstants.GENERATE);
                g.writeBoolean(true);
            } else {
                // #4: the vmdesc bytes exactly as read, valid UTF-8 or not.
                g.writeName(CborConstants.JSON);
                g.writeBinary(d.json());
            }
            g.writeEndObject();
        };
    }

    /** Flushes what was written; never closes the underlying output. A CBOR sequence needs no terminator. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            g.close();
        } catch (JacksonException e) {
            throw CborErrors.writeFailed(e).inFormat(CborConstants.FORMAT);
        }
    }
}
