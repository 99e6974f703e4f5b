package dev.vmstate.format.protobuf;

import static dev.vmstate.format.protobuf.ProtobufConstants.LEN;
import static dev.vmstate.format.protobuf.ProtobufConstants.VARINT;

import com.google.protobuf.ByteString;
import dev.vmstate.error.StreamWriteException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.format.protobuf.internal.Block;
import dev.vmstate.format.protobuf.internal.ChunkType;
import dev.vmstate.format.protobuf.internal.Eos;
import dev.vmstate.format.protobuf.internal.End;
import dev.vmstate.format.protobuf.internal.Header;
import dev.vmstate.format.protobuf.internal.Iterative;
import dev.vmstate.format.protobuf.internal.Page;
import dev.vmstate.format.protobuf.internal.PageEncoding;
import dev.vmstate.format.protobuf.internal.RamBlocks;
import dev.vmstate.format.protobuf.internal.Record;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.RecordOrder;
import dev.vmstate.spi.SchemaCache;
import dev.vmstate.spi.SchemaIds;
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
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes one {@code protobuf} stream ({@code docs/formats/protobuf.md}): the binary envelope,
 * then each record as one length-delimited {@code Record} message of {@code vmstate.proto}, and
 * each distinct schema once, as a {@code SchemaRecord} just before the first device record that
 * names it.
 *
 * <p>Records other than device sections are built as protobuf-java's generated messages and
 * serialized by protobuf-java. A device record, the hot path, is encoded by hand into the same
 * bytes protobuf-java would write for its fields, with its {@code state} written straight from
 * the device by a {@link ProtobufSaveVisitor}: no message objects per field. Every message is
 * in protobuf's deterministic serialization (fields in number order, proto3 defaults omitted,
 * shortest varints), so the same records always give the same bytes.
 *
 * <p>A record is encoded completely into the writer's buffer and checked on the way (order,
 * state against schema, text UTF-8 can carry); a refused one, a {@link StreamWriteException}, is
 * cut off again, which leaves the output as it was and the writer usable. The buffer goes to the
 * output when it holds {@value #FLUSH_AT} bytes and on {@link #close()}. A failing output breaks
 * the writer for good.
 *
 * <p>Not thread-safe.
 *
 * @since 0.1
 */
public final class ProtobufStreamWriter implements StreamWriter {
    /** Bytes gathered before they go to the output: a few records per write, in a buffer that rarely grows. */
    private static final int FLUSH_AT = 8 * 1024;
    /**
     * The buffer of the thread's last closed writer: a process writing stream after stream reuses
     * one array instead of allocating, and growing, one per stream. Only buffers up to
     * {@value #KEEP_AT_MOST} bytes are kept.
     */
    private static final ThreadLocal<byte[]> SPARE = new ThreadLocal<>();
    private static final int KEEP_AT_MOST = 256 * 1024;
    /** The envelope last written, by its options: a process writes stream after stream with the same ones. */
    private static volatile EnvelopeBytes lastEnvelope;

    private record EnvelopeBytes(boolean crc32c, byte[] fingerprint, byte[] bytes) {
    }

    private final OutputStream out;
    private final boolean crc32c;
    /** Schema records carry a fingerprint instead of the schema ({@link WriteOptions#schemasByReference()}). */
    private final boolean byReference;
    private final RecordOrder order = new RecordOrder();
    private final ProtoOut rec;
    private final ProtobufSaveVisitor save;
    /** Schema ids of this stream: by instance first, the cheap look-up, then by encoding (equal schemas encode equally). */
    private final SchemaIds schemaIds = new SchemaIds();
    private boolean closed;
    private String broken;

    /** A writer onto {@code out}, which it flushes but never closes; the envelope comes first. */
    public ProtobufStreamWriter(OutputStream out, WriteOptions options) {
        this.out = Objects.requireNonNull(out, "out");
        this.crc32c = options.crc32c();
        this.byReference = options.schemasByReference();
        byte[] spare = SPARE.get();
        // a second writer open on this thread gets its own array; set(null) is cheaper than remove()
        SPARE.set(null);
        this.rec = new ProtoOut(spare != null ? spare : new byte[FLUSH_AT + 4096]);
        this.save = new ProtobufSaveVisitor(rec);
        // The envelope is not protobuf; it goes out with the first record.
        byte[] e = envelope(options);
        rec.raw(e, 0, e.length);
    }

    private static byte[] envelope(WriteOptions options) {
        byte[] fingerprint = options.schemaFingerprint();
        EnvelopeBytes last = lastEnvelope;
        if (last == null || last.crc32c() != options.crc32c() || !Arrays.equals(last.fingerprint(), fingerprint)) {
            last = new EnvelopeBytes(options.crc32c(), fingerprint,
                    Envelope.of(ProtobufConstants.FORMAT, options).toBytes());
            lastEnvelope = last;
        }
        return last.bytes();
    }

    @Override
    public void write(StreamRecord record) {
        Objects.requireNonNull(record, "record");
        if (closed) {
            throw ProtobufErrors.writeOrder("write after close").inFormat(ProtobufConstants.FORMAT);
        }
        if (broken != null) {
            throw ProtobufErrors.writerBroken(broken).inFormat(ProtobufConstants.FORMAT);
        }
        int mark = rec.length();
        try {
            Runnable commit = encode(record);
            String violation = order.accept(record);
            if (violation != null) {
                throw ProtobufErrors.writeOrder(violation);
            }
            if (commit != null) {
                commit.run();
            }
        } catch (VmstateException e) {
            rec.truncate(mark);
            if (record instanceof DeviceSection d) {
                e.inSection(d.label());
            }
            throw e.inFormat(ProtobufConstants.FORMAT);
        }
        if (rec.length() >= FLUSH_AT) {
            flush();
        }
    }

    private void flush() {
        try {
            out.write(rec.buffer(), 0, rec.length());
            rec.reset();
        } catch (IOException e) {
            VmstateException x = ProtobufErrors.writeFailed(e);
            broken = x.getOriginalMessage();
            throw x.inFormat(ProtobufConstants.FORMAT);
        }
    }

    /** Encodes {@code r} after what is buffered; returns what to do once it is accepted, or null. */
    private Runnable encode(StreamRecord r) {
        Record.Builder b = Record.newBuilder();
        if (r instanceof DeviceSection d) {
            return device(d);
        } else if (r instanceof StreamHeader h) {
            b.setHeader(header(h));
        } else if (r instanceof IterativeSection it) {
            b.setIterative(iterative(it));
        } else if (r instanceof RamRecord.Blocks blocks) {
            RamBlocks.Builder m = RamBlocks.newBuilder().setTotalBytes(blocks.totalBytes());
            for (RamRecord.Block block : blocks.blocks()) {
                m.addBlocks(Block.newBuilder().setName(text(block.name())).setUsedLength(block.usedLength()));
            }
            b.setRamBlocks(m);
        } else if (r instanceof RamRecord.Page p) {
            b.setPage(page(p));
        } else if (r instanceof RamRecord.Eos) {
            b.setEos(Eos.getDefaultInstance());
        } else if (r instanceof SectionEnd se) {
            b.setSectionEnd(dev.vmstate.format.protobuf.internal.SectionEnd.newBuilder()
                    .setSectionId(se.sectionId()).setFooter(se.footer()));
        } else if (r instanceof Command c) {
            b.setCommand(dev.vmstate.format.protobuf.internal.Command.newBuilder()
                    .setCommand(c.command()).setData(ByteString.copyFrom(c.data())));
        } else if (r instanceof EndOfState) {
            b.setEnd(End.getDefaultInstance());
        } else {
            Description d = (Description) r;
            // #5: the vmdesc bytes exactly as read, valid UTF-8 or not
            b.setDescription(d.isGenerate()
                    ? dev.vmstate.format.protobuf.internal.Description.newBuilder().setGenerate(true)
                    : dev.vmstate.format.protobuf.internal.Description.newBuilder().setJson(ByteString.copyFrom(d.json())));
        }
        rec.delimited(b.build());
        return null;
    }

    /** {@code s}, checked for text UTF-8 can carry: protobuf-java would write an unpaired surrogate as '?'. */
    private static String text(String s) {
        ProtoOut.checkText(s);
        return s;
    }

    private static Header header(StreamHeader h) {
        Header.Builder m = Header.newBuilder().setStreamVersion(h.streamVersion())
                .setConfigurationExtra(ByteString.copyFrom(h.configurationExtra()));
        if (h.machineType() != null) {
            m.setMachineType(text(h.machineType()));
        }
        if (h.deviceTree() != null) {
            m.setDeviceTree(PlainValues.map(h.deviceTree().toMap()));
        }
        return m.build();
    }

    private static Iterative iterative(IterativeSection it) {
        Iterative.Builder m = Iterative.newBuilder().setSectionId(it.sectionId());
        switch (it.type()) {
            case START -> m.setType(ChunkType.CHUNK_TYPE_START).setIdstr(text(it.idstr()))
                    .setInstanceId(it.instanceId()).setVersion(it.version());
            case PART -> m.setType(ChunkType.CHUNK_TYPE_PART);
            default -> m.setType(ChunkType.CHUNK_TYPE_END);
        }
        if (it.type() != IterativeSection.SectionType.START && (it.instanceId() != 0 || it.version() != 0)) {
            throw ProtobufErrors.badRecord("iterative " + it.type().name().toLowerCase(Locale.ROOT) + " chunk with instance id "
                    + it.instanceId() + " and version " + it.version() + "; only a start chunk carries them");
        }
        return m.build();
    }

    private static Page page(RamRecord.Page p) {
        Page.Builder m = Page.newBuilder().setBlock(text(p.block())).setOffset(p.offset()).setContinued(p.continued());
        switch (p.encoding()) {
            case ZERO -> {
                if (p.dataLength() != 1) {
                    throw ProtobufErrors.badRecord("zero page with " + p.dataLength() + " fill bytes, expected 1");
                }
                m.setEncoding(PageEncoding.PAGE_ENCODING_ZERO).setFill(p.data()[0] & 0xFF);
            }
            case RAW -> m.setEncoding(PageEncoding.PAGE_ENCODING_RAW).setData(ByteString.copyFrom(p.data()));
            default -> m.setEncoding(PageEncoding.PAGE_ENCODING_XBZRLE).setData(ByteString.copyFrom(p.data()));
        }
        return m.build();
    }

    /** Encodes the device record (after its schema record, the first time the schema is used); returns what commits the ids. */
    private Runnable device(DeviceSection d) {
        Schema schema = d.schema();
        int known = schemaIds.ofInstance(schema);
        SchemaCache.Encoded enc = null;
        if (known < 0) {
            // another instance of a schema already in the stream has its id too: equal schemas encode equally
            enc = ProtobufFormat.SCHEMAS.encode(schema);
            known = schemaIds.ofEncoding(enc);
        }
        boolean fresh = known < 0;
        int id = fresh ? schemaIds.next() : known;
        SchemaCache.Encoded added = fresh ? enc : null;
        if (fresh) {
            // #5: the schema travels once per stream, in its own record just before its first device record
            int record = rec.begin();
            rec.tag(ProtobufConstants.RECORD_SCHEMA, LEN);
            int m = rec.begin();
            if (id != 0) {
                rec.tag(ProtobufConstants.SCHEMA_ID, VARINT);
                rec.uvarint(id);
            }
            if (byReference) {
                // only what identifies the schema; the reader brings the schema itself
                rec.tag(ProtobufConstants.SCHEMA_FINGERPRINT, LEN);
                rec.bytes(enc.fingerprint());
            } else {
                rec.tag(ProtobufConstants.SCHEMA_MAP, LEN);
                rec.bytes(enc.bytes());
            }
            rec.end(m);
            rec.end(record);
        }
        String idstr = text(d.idstr());
        long crc = crc32c ? SectionCrc.of(d.state()) : -1;
        // The fields of Device in number order, proto3 defaults left out, as protobuf-java writes them.
        int record = rec.begin();
        rec.tag(ProtobufConstants.RECORD_DEVICE, LEN);
        int m = rec.begin();
        int32(ProtobufConstants.DEVICE_SECTION_ID, d.sectionId());
        if (!idstr.isEmpty()) {
            rec.tag(ProtobufConstants.DEVICE_IDSTR, LEN);
            rec.string(idstr);
        }
        int32(ProtobufConstants.DEVICE_INSTANCE_ID, d.instanceId());
        int32(ProtobufConstants.DEVICE_VERSION, d.version());
        if (d.footer()) {
            rec.tag(ProtobufConstants.DEVICE_FOOTER, VARINT);
            rec.uvarint(1);
        }
        if (crc >= 0) {
            // optional uint32: explicit presence, so written even when 0
            rec.tag(ProtobufConstants.DEVICE_CRC32C, VARINT);
            rec.uvarint(crc);
        }
        int32(ProtobufConstants.DEVICE_SCHEMA, id);
        // a message field: present, so written even when the state is empty
        rec.tag(ProtobufConstants.DEVICE_STATE, LEN);
        int state = rec.begin();
        save.write(schema, d.state());
        rec.end(state);
        rec.end(m);
        rec.end(record);
        return () -> schemaIds.put(schema, id, added);
    }

    /** An implicit-presence int32 (or uint32 below 2^31) field: left out when 0. */
    private void int32(int field, int v) {
        if (v != 0) {
            rec.tag(field, VARINT);
            rec.int32(v);
        }
    }

    /** Flushes what was written; never closes the underlying output. The stream needs no terminator. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (broken == null) {
                flush();
                try {
                    out.flush();
                } catch (IOException e) {
                    throw ProtobufErrors.writeFailed(e).inFormat(ProtobufConstants.FORMAT);
                }
            }
        } finally {
            if (rec.buffer().length <= KEEP_AT_MOST) {
                rec.reset();
                SPARE.set(rec.buffer());
            }
        }
    }
}
