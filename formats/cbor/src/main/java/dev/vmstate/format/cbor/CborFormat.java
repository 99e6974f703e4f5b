package dev.vmstate.format.cbor;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.FormatCapabilities;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.SchemaCache;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The {@code cbor} wire format (#4): the binary envelope, then the stream as a CBOR sequence
 * (RFC 8742), one data item per record, so a reader streams item by item. Each distinct schema
 * travels once per stream, in a schema item that device items name by id; a state is a compact
 * array in schema order, written from and read into the device by a visitor. Every item uses
 * definite lengths and preferred serialization, so the format is deterministic. Written with the
 * module's own encoder; read with its own framer, jackson-dataformat-cbor's streaming parser for
 * record keys and its own decoder for states. Specified in {@code docs/formats/cbor.md}.
 *
 * <p>Registered in {@code META-INF/services/dev.vmstate.spi.WireFormat}. Stateless and
 * thread-safe; the readers and writers it opens are not.
 *
 * @since 0.1
 */
public final class CborFormat implements WireFormat {
    private static final FormatCapabilities CAPABILITIES = new FormatCapabilities(true, false, true, true);
    /** #4: schema items, encoded and decoded once in the JVM for all cbor writers and readers. */
    static final SchemaCache SCHEMAS = new SchemaCache(s -> {
        CborOut o = new CborOut();
        o.plain(SchemaJson.toMap(s));
        return Arrays.copyOf(o.buffer(), o.length());
    });

    /** The service loader's constructor. */
    public CborFormat() {
    }

    @Override
    public String name() {
        return CborConstants.FORMAT;
    }

    @Override
    public FormatCapabilities capabilities() {
        return CAPABILITIES;
    }

    /** True when {@code head} starts with the envelope magic and the envelope names {@code cbor}. Never throws. */
    @Override
    public boolean sniff(byte[] head, int length) {
        if (head == null || length <= 0) {
            return false;
        }
        return CborConstants.FORMAT.equals(Envelope.peekFormat(head, Math.min(length, head.length)));
    }

    @Override
    public StreamWriter openWriter(OutputStream out, WriteOptions options) {
        return new CborStreamWriter(out, options);
    }

    @Override
    public StreamReader openReader(ByteSource in, ReadOptions options) {
        return new CborStreamReader(in, options);
    }

    @Override
    public String toString() {
        return "CborFormat[" + CAPABILITIES.summary() + "]";
    }
}
