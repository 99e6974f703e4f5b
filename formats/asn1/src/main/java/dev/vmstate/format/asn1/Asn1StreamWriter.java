package dev.vmstate.format.asn1;

import dev.vmstate.error.VmstateException;
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
import java.util.Locale;
import java.util.Objects;

/**
 * Writes one {@code asn1-der} or {@code asn1-ber} stream ({@code docs/formats/asn1.md}): the binary
 * envelope, then each record as one top-level {@code Record} value of {@code vmstate.asn}, and
 * each distinct schema once, as a schema value before the first device value that names it. A
 * device's state is written straight from the device by an {@link Asn1SaveVisitor}.
 *
 * <p>{@code asn1-der} is canonical (X.690 §10, §11): every length definite and in the fewest
 * octets, every INTEGER minimal, BOOLEAN TRUE as 0xFF, strings primitive, the device tree's SET OF
 * sorted; the same records always give the same bytes. {@code asn1-ber} writes the same values,
 * but every constructed value with the indefinite length (0x80 ... 0x00 0x00), so it never
 * measures nor moves what it wrote, and a device's properties in their declaration order.
 *
 * <p>A record is encoded completely into the writer's buffer and checked on the way (order, state
 * against schema, text UTF-8 can carry); a refused one, a
 * {@link dev.vmstate.error.StreamWriteException}, is cut off again, which leaves the output as it
 * was and the writer usable. The buffer goes to the output when it holds {@value #FLUSH_AT} bytes
 * and on {@link #close()}. A failing output breaks the writer for good.
 *
 * <p>Not thread-safe.
 *
 * @since 0.1
 */
public final class Asn1StreamWriter implements StreamWriter {
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
    private final String format;
    private final boolean der;
    private final boolean crc32c;
    private final RecordOrder order = new RecordOrder();
    private final Asn1Out rec;
    private final Asn1SaveVisitor save;
    private final SchemaIds schemaIds = new SchemaIds();
    /** The state's size the last time each schema id was written: DER's guess for its length octets. */
    private int[] lastSize = new int[8];
    private boolean closed;
    private String broken;

    /**
     * A writer onto {@code out}, which it flushes but never closes; the envelope comes first.
     *
     * @param der {@code true} for {@code asn1-der}, {@code false} for {@code asn1-ber}
     */
    public Asn1StreamWriter(OutputStream out, WriteOptions options, boolean der) {
        this.out = Objects.requireNonNull(out, "out");
        this.der = der;
        this.format = der ? Asn1Constants.DER : Asn1Constants.BER;
        Envelope envelope = Envelope.of(format, options);
        this.crc32c = envelope.has(Envelope.FEATURE_CRC32C);
        byte[] spare = SPARE.get();
        SPARE.remove(); // a second writer open on this thread gets its own array
        this.rec = new Asn1Out(spare != null ? spare : new byte[FLUSH_AT + 4096], der);
        this.save = new Asn1SaveVisitor(rec);
        // The envelope is not ASN.1; it goes out with the first record.
        rec.raw(envelope.toBytes());
    }

    @Override
    public void write(StreamRecord record) {
        Objects.requireNonNull(record, "record");
        if (closed) {
            throw Asn1Errors.writeOrder("write after close").inFormat(format);
        }
        if (broken != null) {
            throw Asn1Errors.writerBroken(broken).inFormat(format);
        }
        int mark = rec.length();
        try {
            Runnable commit = encode(record);
            String violation = order.accept(record);
            if (violation != null) {
                throw Asn1Errors.writeOrder(violation);
            }
            if (commit != null) {
                commit.run();
            }
        } catch (VmstateException e) {
            rec.truncate(mark);
            if (record instanceof DeviceSection d) {
                e.inSection(d.label());
            }
            throw e.inFormat(format);
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
            VmstateException x = Asn1Errors.writeFailed(e);
            broken = x.getOriginalMessage();
            throw x.inFormat(format);
        }
    }

    /** Encodes {@code r} after what is buffered; returns what to do once it is accepted, or null. */
    private Runnable encode(StreamRecord r) {
        if (r instanceof StreamHeader h) {
            header(h);
        } else if (r instanceof DeviceSection d) {
            return device(d);
        } else if (r instanceof IterativeSection it) {
            iterative(it);
        } else if (r instanceof RamRecord.Blocks b) {
            blocks(b);
        } else if (r instanceof RamRecord.Page p) {
            page(p);
        } else if (r instanceof RamRecord.Eos) {
            rec.nul(Asn1Constants.EOS);
        } else if (r instanceof SectionEnd se) {
            rec.open(Asn1Constants.SECTION_END);
            rec.integer(Asn1Constants.INTEGER, se.sectionId());
            rec.bool(se.footer());
            rec.close();
        } else if (r instanceof Command c) {
            byte[] data = c.data();
            rec.open(Asn1Constants.COMMAND, data.length + 12L);
            rec.integer(Asn1Constants.INTEGER, c.command());
            rec.octets(Asn1Constants.OCTET_STRING, data);
            rec.close();
        } else if (r instanceof EndOfState) {
            rec.nul(Asn1Constants.END);
        } else {
            Description d = (Description) r;
            byte[] json = d.json();
            rec.open(Asn1Constants.DESCRIPTION, json == null ? 0 : json.length + 6L);
            if (json != null) {
                // #5: the vmdesc bytes exactly as read, valid UTF-8 or not; absent asks for generation.
                rec.octets(Asn1Constants.OCTET_STRING, json);
            }
            rec.close();
        }
        return null;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private void header(StreamHeader h) {
        rec.open(Asn1Constants.HEADER, 256);
        rec.integer(Asn1Constants.INTEGER, h.streamVersion());
        if (h.machineType() != null) {
            rec.utf8(Asn1Constants.UTF8_STRING, h.machineType());
        }
        rec.octets(Asn1Constants.OCTET_STRING, h.configurationExtra());
        if (h.deviceTree() != null) {
            TreeCodec.write(rec, h.deviceTree());
        }
        rec.close();
    }

    /** Encodes the device value (after its schema value, the first time the schema is used); returns what commits the ids. */
    private Runnable device(DeviceSection d) {
        Schema schema = d.schema();
        int known = schemaIds.ofInstance(schema);
        SchemaCache.Encoded enc = null;
        if (known < 0) {
            // another instance of a schema already in the stream has its id too: equal schemas encode equally
            enc = (der ? Asn1DerFormat.SCHEMAS : Asn1BerFormat.SCHEMAS).encode(schema);
            known = schemaIds.ofEncoding(enc);
        }
        boolean fresh = known < 0;
        int id = fresh ? schemaIds.next() : known;
        SchemaCache.Encoded added = fresh ? enc : null;
        if (fresh) {
            // #5: the schema travels once per stream, in its own value just before its first device value.
            rec.open(Asn1Constants.SCHEMA, enc.bytes().length + 6L);
            rec.integer(Asn1Constants.INTEGER, id);
            rec.raw(enc.bytes());
            rec.close();
        }
        long crc = crc32c ? SectionCrc.of(d.state()) : -1;
        int guess = id < lastSize.length ? lastSize[id] : 0;
        rec.open(Asn1Constants.DEVICE, guess + 32L + d.idstr().length());
        rec.integer(Asn1Constants.INTEGER, d.sectionId());
        rec.utf8(Asn1Constants.UTF8_STRING, d.idstr());
        rec.integer(Asn1Constants.INTEGER, d.instanceId());
        rec.integer(Asn1Constants.INTEGER, d.version());
        rec.bool(d.footer());
        if (crc >= 0) {
            rec.integer(Asn1Constants.CRC32C, crc);
        }
        rec.integer(Asn1Constants.INTEGER, id);
        int before = rec.length();
        save.write(schema, d.state(), guess);
        int size = rec.length() - before;
        rec.close();
        return () -> {
            schemaIds.put(schema, id, added);
            if (id >= lastSize.length) {
                lastSize = java.util.Arrays.copyOf(lastSize, Math.max(id + 1, lastSize.length * 2));
            }
            lastSize[id] = size;
        };
    }

    private void iterative(IterativeSection it) {
        boolean start = it.type() == IterativeSection.SectionType.START;
        if (!start && (it.instanceId() != 0 || it.version() != 0)) {
            throw Asn1Errors.writeRecord("iterative " + lower(it.type()) + " chunk with instance id "
                    + it.instanceId() + " and version " + it.version() + "; only a start chunk carries them");
        }
        rec.open(Asn1Constants.ITERATIVE);
        rec.integer(Asn1Constants.ENUMERATED, it.type().ordinal());
        rec.integer(Asn1Constants.INTEGER, it.sectionId());
        if (start) {
            rec.open(Asn1Constants.SEQUENCE);
            rec.utf8(Asn1Constants.UTF8_STRING, it.idstr());
            rec.integer(Asn1Constants.INTEGER, it.instanceId());
            rec.integer(Asn1Constants.INTEGER, it.version());
            rec.close();
        }
        rec.close();
    }

    private void blocks(RamRecord.Blocks b) {
        rec.open(Asn1Constants.RAM_BLOCKS);
        rec.integer(Asn1Constants.INTEGER, b.totalBytes());
        rec.open(Asn1Constants.SEQUENCE);
        for (RamRecord.Block block : b.blocks()) {
            rec.open(Asn1Constants.SEQUENCE);
            rec.utf8(Asn1Constants.UTF8_STRING, block.name());
            rec.integer(Asn1Constants.INTEGER, block.usedLength());
            rec.close();
        }
        rec.close();
        rec.close();
    }

    private void page(RamRecord.Page p) {
        if (p.encoding() == RamRecord.Encoding.ZERO && p.dataLength() != 1) {
            throw Asn1Errors.writeRecord("zero page with " + p.dataLength() + " fill bytes, expected 1");
        }
        rec.open(Asn1Constants.PAGE, p.dataLength() + 24L + p.block().length());
        rec.utf8(Asn1Constants.UTF8_STRING, p.block());
        rec.integer(Asn1Constants.INTEGER, p.offset());
        rec.bool(p.continued());
        switch (p.encoding()) {
            case ZERO -> rec.integer(Asn1Constants.PAGE_ZERO, p.data()[0] & 0xFF);
            case RAW -> rec.octets(Asn1Constants.PAGE_RAW, p.data());
            default -> rec.octets(Asn1Constants.PAGE_XBZRLE, p.data());
        }
        rec.close();
    }

    /** Flushes what was written; never closes the underlying output. The body needs no terminator. */
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
                    throw Asn1Errors.writeFailed(e).inFormat(format);
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
