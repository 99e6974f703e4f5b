package dev.vmstate.format.json;

import dev.vmstate.spi.RecordOrder;
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
import dev.vmstate.visitor.TreeOutVisitor;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes one {@code json} stream ({@code docs/formats/json.md}): the top-level object with the
 * envelope first, then each record as it comes, one per line, through a streaming jackson-core
 * {@link JsonGenerator}; nothing beyond the current record is held in memory.
 *
 * <p>A record is checked completely (order, state against schema, values the format cannot carry)
 * before any of its bytes are written, so a refused record, a {@link StreamWriteException}, leaves
 * the output as it was and the writer usable. {@link #close()} ends the JSON document only after
 * an {@link EndOfState}; a writer closed earlier leaves the document unterminated, so no reader
 * mistakes a partial stream for a whole one. The output is deterministic: the same records give
 * the same bytes.
 *
 * <p>Not thread-safe.
 *
 * @since 0.1
 */
public final class JsonStreamWriter implements StreamWriter {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            // #3: an unfinished stream must stay unfinished on disk, not be closed into valid JSON.
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
            .build();
    private static final ObjectWriteContext CONTEXT = new ObjectWriteContext.Base() {
        @Override
        public PrettyPrinter getPrettyPrinter() {
            return RecordLines.INSTANCE;
        }

        @Override
        public boolean hasPrettyPrinter() {
            return true;
        }
    };
    private static final HexFormat HEX = HexFormat.of();

    private final JsonGenerator g;
    private final boolean crc32c;
    private final RecordOrder order = new RecordOrder();
    private boolean closed;
    private String broken;

    /** A writer onto {@code out}, which it flushes but never closes. */
    public JsonStreamWriter(OutputStream out, WriteOptions options) {
        Objects.requireNonNull(out, "out");
        Envelope envelope = Envelope.of(JsonConstants.FORMAT, options);
        this.crc32c = envelope.has(Envelope.FEATURE_CRC32C);
        try {
            this.g = FACTORY.createGenerator(CONTEXT, out);
            g.writeStartObject();
            g.writeName(JsonConstants.VMSTATE);
            StateWriter.writePlain(g, envelope.toMap());
            g.writeName(JsonConstants.RECORDS);
            g.writeStartArray();
        } catch (JacksonException e) {
            throw JsonErrors.writeFailed(e).inFormat(JsonConstants.FORMAT);
        }
    }

    @Override
    public void write(StreamRecord record) {
        Objects.requireNonNull(record, "record");
        if (closed) {
            throw JsonErrors.writeOrder("write after close");
        }
        if (broken != null) {
            throw JsonErrors.writerBroken(broken);
        }
        try {
            Runnable emit = prepare(record);
            String violation = order.accept(record);
            if (violation != null) {
                throw JsonErrors.writeOrder(violation);
            }
            emit.run();
        } catch (JacksonException e) {
            VmstateException x = JsonErrors.writeFailed(e);
            broken = x.getOriginalMessage();
            throw x.inFormat(JsonConstants.FORMAT);
        } catch (VmstateException e) {
            if (record instanceof DeviceSection d) {
                e.inSection(d.label());
            }
            throw e.inFormat(JsonConstants.FORMAT);
        }
    }

    /** Checks {@code r} and returns what writes it; the check throws, the writing only fails on I/O. */
    private Runnable prepare(StreamRecord r) {
        if (r instanceof StreamHeader h) {
            text(h.machineType());
            return () -> header(h);
        } else if (r instanceof DeviceSection d) {
            return device(d);
        } else if (r instanceof IterativeSection it) {
            if (it.type() != IterativeSection.SectionType.START && (it.instanceId() != 0 || it.version() != 0)) {
                throw JsonErrors.badRecord("iterative " + lower(it.type()) + " chunk with instance id "
                        + it.instanceId() + " and version " + it.version() + "; only a start chunk carries them");
            }
            text(it.idstr());
            return () -> iterative(it);
        } else if (r instanceof RamRecord.Blocks b) {
            b.blocks().forEach(x -> text(x.name()));
            return () -> blocks(b);
        } else if (r instanceof RamRecord.Page p) {
            if (p.encoding() == RamRecord.Encoding.ZERO && p.dataLength() != 1) {
                throw JsonErrors.badRecord("zero page with " + p.dataLength() + " fill bytes, expected 1");
            }
            text(p.block());
            return () -> page(p);
        } else if (r instanceof RamRecord.Eos) {
            return () -> kindOnly(JsonConstants.EOS);
        } else if (r instanceof SectionEnd se) {
            return () -> sectionEnd(se);
        } else if (r instanceof Command c) {
            return () -> command(c);
        } else if (r instanceof EndOfState) {
            return () -> kindOnly(JsonConstants.END);
        } else {
            return description((Description) r);
        }
    }

    private static void text(String s) {
        int bad = s == null ? -1 : JsonInput.unpairedSurrogate(s);
        if (bad >= 0) {
            throw JsonErrors.writeSurrogate(s.charAt(bad));
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private void start(String kind) {
        g.writeStartObject();
        g.writeName(JsonConstants.RECORD);
        g.writeString(kind);
    }

    private void kindOnly(String kind) {
        start(kind);
        g.writeEndObject();
    }

    private void header(StreamHeader h) {
        start(JsonConstants.HEADER);
        g.writeName(JsonConstants.STREAM_VERSION);
        g.writeNumber(h.streamVersion());
        g.writeName(JsonConstants.MACHINE_TYPE);
        if (h.machineType() == null) {
            g.writeNull();
        } else {
            g.writeString(h.machineType());
        }
        g.writeName(JsonConstants.CONFIGURATION_EXTRA);
        g.writeString(HEX.formatHex(h.configurationExtra()));
        g.writeName(JsonConstants.DEVICE_TREE);
        DeviceTree t = h.deviceTree();
        StateWriter.writePlain(g, t == null ? null : t.toMap());
        g.writeEndObject();
    }

    private Runnable device(DeviceSection d) {
        text(d.idstr());
        StructValue tree = TreeOutVisitor.toTree(d.schema().name(), d.state());
        StateWriter.check(d.schema(), tree);
        long crc = crc32c ? SectionCrc.of(d.state()) : -1;
        return () -> {
            start(JsonConstants.DEVICE);
            g.writeName(JsonConstants.SECTION_ID);
            g.writeNumber(d.sectionId());
            g.writeName(JsonConstants.IDSTR);
            g.writeString(d.idstr());
            g.writeName(JsonConstants.INSTANCE_ID);
            g.writeNumber(d.instanceId());
            g.writeName(JsonConstants.VERSION);
            g.writeNumber(d.version());
            g.writeName(JsonConstants.FOOTER);
            g.writeBoolean(d.footer());
            if (crc >= 0) {
                g.writeName(JsonConstants.CRC32C);
                g.writeString(String.format("0x%08X", crc));
            }
            g.writeName(JsonConstants.SCHEMA);
            StateWriter.writePlain(g, SchemaJson.toMap(d.schema()));
            g.writeName(JsonConstants.STATE);
            StateWriter.writeStruct(g, d.schema(), tree);
            g.writeEndObject();
        };
    }

    private void iterative(IterativeSection it) {
        start(JsonConstants.ITERATIVE);
        g.writeName(JsonConstants.TYPE);
        g.writeString(lower(it.type()));
        g.writeName(JsonConstants.SECTION_ID);
        g.writeNumber(it.sectionId());
        if (it.type() == IterativeSection.SectionType.START) {
            g.writeName(JsonConstants.IDSTR);
            g.writeString(it.idstr());
            g.writeName(JsonConstants.INSTANCE_ID);
            g.writeNumber(it.instanceId());
            g.writeName(JsonConstants.VERSION);
            g.writeNumber(it.version());
        }
        g.writeEndObject();
    }

    private void blocks(RamRecord.Blocks b) {
        start(JsonConstants.RAM_BLOCKS);
        g.writeName(JsonConstants.TOTAL_BYTES);
        g.writeNumber(b.totalBytes());
        g.writeName(JsonConstants.BLOCKS);
        g.writeStartArray();
        for (RamRecord.Block block : b.blocks()) {
            g.writeStartObject();
            g.writeName(JsonConstants.NAME);
            g.writeString(block.name());
            g.writeName(JsonConstants.USED_LENGTH);
            g.writeNumber(block.usedLength());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void page(RamRecord.Page p) {
        start(JsonConstants.PAGE);
        g.writeName(JsonConstants.BLOCK);
        g.writeString(p.block());
        g.writeName(JsonConstants.OFFSET);
        g.writeNumber(p.offset());
        g.writeName(JsonConstants.CONTINUED);
        g.writeBoolean(p.continued());
        g.writeName(JsonConstants.ENCODING);
        g.writeString(lower(p.encoding()));
        if (p.encoding() == RamRecord.Encoding.ZERO) {
            g.writeName(JsonConstants.FILL);
            g.writeNumber(p.data()[0] & 0xFF);
        } else {
            g.writeName(JsonConstants.DATA);
            g.writeString(Base64.getEncoder().encodeToString(p.data()));
        }
        g.writeEndObject();
    }

    private void sectionEnd(SectionEnd se) {
        start(JsonConstants.SECTION_END);
        g.writeName(JsonConstants.SECTION_ID);
        g.writeNumber(se.sectionId());
        g.writeName(JsonConstants.FOOTER);
        g.writeBoolean(se.footer());
        g.writeEndObject();
    }

    private void command(Command c) {
        start(JsonConstants.COMMAND);
        g.writeName(JsonConstants.COMMAND_NUMBER);
        g.writeNumber(c.command());
        g.writeName(JsonConstants.DATA);
        g.writeString(HEX.formatHex(c.data()));
        g.writeEndObject();
    }

    private Runnable description(Description d) {
        if (d.isGenerate()) {
            return () -> {
                start(JsonConstants.DESCRIPTION);
                g.writeName(JsonConstants.GENERATE);
                g.writeBoolean(true);
                g.writeEndObject();
            };
        }
        byte[] bytes = d.json();
        String text = strictUtf8(bytes);
        return () -> {
            start(JsonConstants.DESCRIPTION);
            if (text != null) {
                g.writeName(JsonConstants.JSON);
                g.writeString(text);
            } else {
                // #3: the vmdesc is carried exactly as read, even when it is not valid UTF-8.
                g.writeName(JsonConstants.HEX);
                g.writeString(HEX.formatHex(bytes));
            }
            g.writeEndObject();
        };
    }

    /** {@code b} as text when it is valid UTF-8 (and so survives a round trip through a JSON string), else null. */
    private static String strictUtf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Ends the document when the stream is complete (after {@link EndOfState}), then flushes;
     * never closes the underlying output.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (broken == null && order.complete()) {
                g.writeEndArray();
                g.writeEndObject();
            }
            g.close();
        } catch (JacksonException e) {
            throw JsonErrors.writeFailed(e).inFormat(JsonConstants.FORMAT);
        }
    }

    /**
     * The layout of {@code docs/formats/json.md} §2: no whitespace at all, except a newline
     * before each record and before the {@code ]} that closes the records, so a stream diffs line
     * by line, one record per line.
     */
    static final class RecordLines implements PrettyPrinter {
        static final RecordLines INSTANCE = new RecordLines();

        private static boolean inRecords(JsonGenerator g) {
            TokenStreamContext c = g.streamWriteContext();
            TokenStreamContext parent = c.getParent();
            return c.inArray() && parent != null && parent.inObject() && parent.getParent() != null
                    && parent.getParent().inRoot();
        }

        @Override
        public void writeRootValueSeparator(JsonGenerator g) {
            // one root value per stream
        }

        @Override
        public void writeStartObject(JsonGenerator g) {
            g.writeRaw('{');
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) {
        }

        @Override
        public void writeObjectNameValueSeparator(JsonGenerator g) {
            g.writeRaw(':');
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) {
            g.writeRaw(',');
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) {
            g.writeRaw('}');
        }

        @Override
        public void writeStartArray(JsonGenerator g) {
            g.writeRaw('[');
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) {
            if (inRecords(g)) {
                g.writeRaw('\n');
            }
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) {
            g.writeRaw(',');
            if (inRecords(g)) {
                g.writeRaw('\n');
            }
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) {
            if (values > 0 && inRecords(g)) {
                g.writeRaw('\n');
            }
            g.writeRaw(']');
        }
    }
}
