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
 * The {@code asn1-ber} wire format (#5): the binary envelope, then the stream as a series of
 * top-level BER values of the ASN.1 module {@code docs/formats/vmstate.asn}, one {@code Record} per
 * record with no outer SEQUENCE. The writer gives every constructed value the indefinite length, so
 * it never measures what it writes; the reader takes what X.690 allows: long and non-minimal
 * lengths, indefinite lengths, any non-zero BOOLEAN octet for TRUE, strings in segments.
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
public final class Asn1BerFormat implements WireFormat {
    private static final FormatCapabilities CAPABILITIES = new FormatCapabilities(true, false, true, true);
    /**
     * #5: schema values as BER encodes them, encoded and decoded once in the JVM for all asn1-ber
     * writers and readers; {@code asn1-der} has its own, since a BER schema value is not always DER.
     */
    static final SchemaCache SCHEMAS = new SchemaCache(s -> Asn1Out.schema(s, false));

    /** The service loader's constructor. */
    public Asn1BerFormat() {
    }

    @Override
    public String name() {
        return Asn1Constants.BER;
    }

    @Override
    public FormatCapabilities capabilities() {
        return CAPABILITIES;
    }

    /** True when {@code head} starts with the envelope magic and the envelope names {@code asn1-ber}. Never throws. */
    @Override
    public boolean sniff(byte[] head, int length) {
        if (head == null || length <= 0) {
            return false;
        }
        return Asn1Constants.BER.equals(Envelope.peekFormat(head, Math.min(length, head.length)));
    }

    @Override
    public StreamWriter openWriter(OutputStream out, WriteOptions options) {
        return new Asn1StreamWriter(out, options, false);
    }

    @Override
    public StreamReader openReader(ByteSource in, ReadOptions options) {
        return new Asn1StreamReader(in, options, false);
    }

    @Override
    public String toString() {
        return "Asn1BerFormat[" + CAPABILITIES.summary() + "]";
    }
}
