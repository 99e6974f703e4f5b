package dev.vmstate.format.cbor;

import dev.vmstate.spi.RecordOrder;
import dev.vmstate.error.StreamWriteException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.Envelope;
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
import java.util.Locale;
import java.util.Objects;

/**
 * Writes one {@code cbor} stream ({@code docs/formats/cbor.md}): the binary envelope, then each
 * record as one top-level CBOR data item (a CBOR sequence, RFC 8742), and each distinct schema
 * once, as a {@code schema} item before the first device item that names it. A device's state is
 * written straight from the device by a {@link CborSaveVisitor}, in the compact layout of §3.
 *
 * <p>Every map and array is written with its size (no indefinite lengths), every integer and
 * length in its shortest form (preferred serialization, RFC 8949 §4.1), every float64 as 0xFB and
 * its 8 raw bytes, keys in the order of the spec and states in schema order, so the same records
 * always give the same bytes. The module's own encoder ({@link CborOut}) is used rather than
 * jackson's generator: it is all the format needs, and it can take back a half-encoded record.
 *
 * <p>A record is encoded completely into the writer's buffer, and checked on the way (order, state
 * against schema, text UTF-8 can carry); a refused one, a {@link StreamWriteException}, is cut off
 * again, which leaves the output as it was and the writer usable. The buffer goes to the output
 * when it holds {@value #FLUSH_AT} bytes and on {@link #close()}. A failing output breaks the
 * writer for good.
 *
 * <p>Not thread-safe.
 *
 * @since 0.1
 */
public final class CborStreamWriter implements StreamWriter {
    /** Bytes gathered before they go to the output: a few records per write, in a buffer that rarely grows. */
    private static final int FLUSH_AT = 8 * 1024;
    /**
     * The buffer of the thread's last closed writer: a process writing stream after stream reuses
     * one array instead of allocating, and growing, one per stream. Only buffers up to
     * {@value #KEEP_AT_MOST} bytes are kept.
     */
    private static final ThreadLocal<byte[]> SPARE = new ThreadLocal<>();
    private static final int KEEP_AT_MOST = 256 * 1024;

    private final OutputStream out;
    private final boolean crc32c;
    /** Schema items carry a fingerprint instead of the schema ({@link WriteOptions#schemasByReference()}). */
    private final boolean byReference;
    private final RecordOrder order = new RecordOrder();
    private final CborOut rec;
    private final CborSaveVisitor save;
    /** Schema ids of this stream. */
    private final SchemaIds schemaIds = new SchemaIds();
    private boolean closed;
    private String broken;

    /** A writer onto {@code out}, which it flushes but never closes; the envelope comes first. */
    public CborStreamWriter(OutputStream out, WriteOptions options) {
        this.out = Objects.requireNonNull(out, "out");
        LastEnvelope last = lastEnvelope;
        if (last == null || last.options != options) {
            // a process writes its streams with a few WriteOptions: encode the envelope once for each
            Envelope e = Envelope.of(CborConstants.FORMAT, options);
            last = new LastEnvelope(options, e.toBytes(), e.has(Envelope.FEATURE_CRC32C));
            lastEnvelope = last;
        }
        this.crc32c = last.crc32c;
        this.byReference = options.schemasByReference();
        byte[] spare = SPARE.get();
        // a second writer open on this thread gets its own array; set(null) is cheaper than remove()
        SPARE.set(null);
        this.rec = new CborOut(spare != null ? spare : new byte[FLUSH_AT + 4096]);
        this.save = new CborSaveVisitor(rec);
        // The envelope is not CBOR; it goes out with the first record.
        rec.raw(last.bytes);
    }

    /** The envelope last written, for the options instance it was made from; immutable. */
    private record LastEnvelope(WriteOptions options, byte[] bytes, boolean crc32c) {
    }

    private static volatile LastEnvelope lastEnvelope;

    @Override
    public void write(StreamRecord record) {
        Objects.requireNonNull(record, "record");
        if (closed) {
            throw CborErrors.writeOrder("write after close").inFormat(CborConstants.FORMAT);
        }
        if (broken != null) {
            throw CborErrors.writerBroken(broken).inFormat(CborConstants.FORMAT);
        }
        int mark = rec.length();
        try {
            Runnable commit = encode(record);
            String violation = order.accept(record);
            if (violation != null) {
                throw CborErrors.writeOrder(violation);
            }
            if (commit != null) {
                commit.run();
            }
        } catch (VmstateException e) {
            rec.truncate(mark);
            if (record instanceof DeviceSection d) {
                e.inSection(d.label());
            }
            throw e.inFormat(CborConstants.FORMAT);
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
            VmstateException x = CborErrors.writeFailed(e);
            broken = x.getOriginalMessage();
            throw x.inFormat(CborConstants.FORMAT);
        }
    }

    /** Encodes {@code r} after what is buffered; returns what to do once it is accepted, or null. */
    private Runnable encode(StreamRecord r) {
        if (r instanceof StreamHeader h) {
            header(h);
        } else if (r instanceof DeviceSection d) {
            return device(d);
        } else if (r instanceof IterativeSection it) {
            if (it.type() != IterativeSection.SectionType.START && (it.instanceId() != 0 || it.version() != 0)) {
                throw CborErrors.badRecord("iterative " + lower(it.type()) + " chunk with instance id "
                        + it.instanceId() + " and version " + it.version() + "; only a start chunk carries them");
            }
            iterative(it);
        } else if (r instanceof RamRecord.Blocks b) {
            blocks(b);
        } else if (r instanceof RamRecord.Page p) {
            if (p.encoding() == RamRecord.Encoding.ZERO && p.dataLength() != 1) {
                throw CborErrors.badRecord("zero page with " + p.dataLength() + " fill bytes, expected 1");
            }
            page(p);
        } else if (r instanceof RamRecord.Eos) {
            start(CborConstants.EOS, 1);
        } else if (r instanceof SectionEnd se) {
            start(CborConstants.SECTION_END, 3);
            rec.raw(EncodedKeys.SECTION_ID);
            rec.integer(se.sectionId());
            rec.raw(EncodedKeys.FOOTER);
            rec.bool(se.footer());
        } else if (r instanceof Command c) {
            start(CborConstants.COMMAND, 3);
            key(CborConstants.COMMAND_NUMBER);
            rec.integer(c.command());
            key(CborConstants.DATA);
            rec.bytes(c.data());
        } else if (r instanceof EndOfState) {
            start(CborConstants.END, 1);
        } else {
            description((Description) r);
        }
        return null;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private void key(String k) {
        rec.text(k);
    }

    /** Opens a record map of {@code size} pairs, its first the record kind. */
    private void start(String kind, int size) {
        rec.head(5, size);
        rec.raw(EncodedKeys.RECORD);
        rec.text(kind);
    }

    private void header(StreamHeader h) {
        start(CborConstants.HEADER, 5);
        rec.raw(EncodedKeys.STREAM_VERSION);
        rec.integer(h.streamVersion());
        rec.raw(EncodedKeys.MACHINE_TYPE);
        if (h.machineType() == null) {
            rec.nul();
        } else {
            rec.text(h.machineType());
        }
        rec.raw(EncodedKeys.CONFIGURATION_EXTRA);
        rec.bytes(h.configurationExtra());
        rec.raw(EncodedKeys.DEVICE_TREE);
        rec.plain(h.deviceTree() == null ? null : h.deviceTree().toMap());
    }

    /** Encodes the device item (after its schema item, the first time the schema is used); returns what commits the ids. */
    private Runnable device(DeviceSection d) {
        Schema schema = d.schema();
        int known = schemaIds.ofInstance(schema);
        SchemaCache.Encoded enc = null;
        if (known < 0) {
            // another instance of a schema already in the stream has its id too: equal schemas encode equally
            enc = CborFormat.SCHEMAS.encode(schema);
            known = schemaIds.ofEncoding(enc);
        }
        boolean fresh = known < 0;
        int id = fresh ? schemaIds.next() : known;
        SchemaCache.Encoded added = fresh ? enc : null;
        if (fresh) {
            // #4: the schema travels once per stream, in its own item just before its first device item.
            rec.head(5, 3);
            rec.raw(EncodedKeys.RECORD);
            rec.raw(EncodedKeys.SCHEMA_RECORD);
            rec.raw(EncodedKeys.SCHEMA_ID);
            rec.integer(id);
            if (byReference) {
                // #4: only what identifies the schema; the reader brings the schema itself
                rec.raw(EncodedKeys.FINGERPRINT);
                rec.bytes(enc.fingerprint());
            } else {
                rec.raw(EncodedKeys.SCHEMA);
                rec.raw(enc.bytes());
            }
        }
        long crc = crc32c ? SectionCrc.of(d.state()) : -1;
        rec.head(5, crc >= 0 ? 9 : 8);
        rec.raw(EncodedKeys.RECORD);
        rec.raw(EncodedKeys.DEVICE);
        rec.raw(EncodedKeys.SECTION_ID);
        rec.integer(d.sectionId());
        rec.raw(EncodedKeys.IDSTR);
        rec.text(d.idstr());
        rec.raw(EncodedKeys.INSTANCE_ID);
        rec.integer(d.instanceId());
        rec.raw(EncodedKeys.VERSION);
        rec.integer(d.version());
        rec.raw(EncodedKeys.FOOTER);
        rec.bool(d.footer());
        if (crc >= 0) {
            rec.raw(EncodedKeys.CRC32C);
            rec.integer(crc);
        }
        rec.raw(EncodedKeys.SCHEMA);
        rec.integer(id);
        rec.raw(EncodedKeys.STATE);
        save.write(schema, d.state());
        return () -> schemaIds.put(schema, id, added);
    }

    private void iterative(IterativeSection it) {
        boolean start = it.type() == IterativeSection.SectionType.START;
        start(CborConstants.ITERATIVE, start ? 6 : 3);
        key(CborConstants.TYPE);
        rec.text(lower(it.type()));
        rec.raw(EncodedKeys.SECTION_ID);
        rec.integer(it.sectionId());
        if (start) {
            rec.raw(EncodedKeys.IDSTR);
            rec.text(it.idstr());
            rec.raw(EncodedKeys.INSTANCE_ID);
            rec.integer(it.instanceId());
            rec.raw(EncodedKeys.VERSION);
            rec.integer(it.version());
        }
    }

    private void blocks(RamRecord.Blocks b) {
        start(CborConstants.RAM_BLOCKS, 3);
        key(CborConstants.TOTAL_BYTES);
        rec.integer(b.totalBytes());
        key(CborConstants.BLOCKS);
        rec.head(4, b.blocks().size());
        for (RamRecord.Block block : b.blocks()) {
            rec.head(5, 2);
            key(CborConstants.NAME);
            rec.text(block.name());
            key(CborConstants.USED_LENGTH);
            rec.integer(block.usedLength());
        }
    }

    private void page(RamRecord.Page p) {
        start(CborConstants.PAGE, 6);
        key(CborConstants.BLOCK);
        rec.text(p.block());
        key(CborConstants.OFFSET);
        rec.integer(p.offset());
        key(CborConstants.CONTINUED);
        rec.bool(p.continued());
        key(CborConstants.ENCODING);
        rec.text(lower(p.encoding()));
        if (p.encoding() == RamRecord.Encoding.ZERO) {
            key(CborConstants.FILL);
            rec.integer(p.data()[0] & 0xFF);
        } else {
            key(CborConstants.DATA);
            rec.bytes(p.data());
        }
    }

    private void description(Description d) {
        start(CborConstants.DESCRIPTION, 2);
        if (d.isGenerate()) {
            key(CborConstants.GENERATE);
            rec.bool(true);
        } else {
            // #4: the vmdesc bytes exactly as read, valid UTF-8 or not.
            key(CborConstants.JSON);
            rec.bytes(d.json());
        }
    }

    /** Flushes what was written; never closes the underlying output. A CBOR sequence needs no terminator. */
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
                    throw CborErrors.writeFailed(e).inFormat(CborConstants.FORMAT);
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
