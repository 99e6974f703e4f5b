package dev.vmstate.format.asn1;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.FormatCapabilities;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.SchemaCache;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import java.io.OutputStream;

/**
 * The {@code asn1-der} wire format (#5): the binary envelope, then the stream as a series of
 * top-level DER values of the ASN.1 module {@code docs/formats/vmstate.asn}, one {@code Record} per
 * record with no outer SEQUENCE, so a writer holds one record to learn its length and a reader one
 * record at a time. DER is canonical: the same records always give the same bytes, whichever path
 * they came by, and the reader refuses any input that is not DER (X.690 §10, §11) naming the rule
 * and the offset.
 *
 * <p>Each distinct schema travels once per stream, in a schema value that device values name by
 * id; a state is a SEQUENCE OF Value in schema order, written from and read into the device by a
 * visitor. The encoder and decoder are the module's own (asn1bean serves only as the independent
 * decoder of the tests). Specified in {@code docs/formats/asn1.md}.
 *
 * <p>Registered in {@code META-INF/services/dev.vmstate.spi.WireFormat}. Stateless and
 * thread-safe; the readers and writers it opens are not.
 *
 * @since 0.1
 */
public final class Asn1DerFormat implements WireFormat {
    private static final FormatCapabilities CAPABILITIES = new FormatCapabilities(true, false, true, true);
    /**
     * #5: schema values as DER encodes them, encoded and decoded once in the JVM for all asn1-der
     * writers and readers; {@code asn1-ber} has its own, since a BER schema value is not always DER.
     */
    static final SchemaCache SCHEMAS = new SchemaCache(s -> Asn1Out.schema(s, true));

    /** The service loader's constructor. */
    public Asn1DerFormat() {
    }

    @Override
    public String name() {
        return Asn1Constants.DER;
    }

    @Override
    public FormatCapabilities capabilities() {
        return CAPABILITIES;
    }

    /** True when {@code head} starts with the envelope magic and the envelope names {@code asn1-der}. Never throws. */
    @Override
    public boolean sniff(byte[] head, int length) {
        if (head == null || length <= 0) {
            return false;
        }
        return Asn1Constants.DER.equals(Envelope.peekFormat(head, Math.min(length, head.length)));
    }

    @Override
    public StreamWriter openWriter(OutputStream out, WriteOptions options) {
        return new Asn1StreamWriter(out, options, true);
    }

    @Override
    public StreamReader openReader(ByteSource in, ReadOptions options) {
        return new Asn1StreamReader(in, options, true);
    }

    @Override
    public String toString() {
        return "Asn1DerFormat[" + CAPABILITIES.summary() + "]";
    }
}
