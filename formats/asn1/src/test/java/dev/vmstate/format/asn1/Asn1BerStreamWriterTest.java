package dev.vmstate.format.asn1;

import dev.vmstate.spi.WireFormat;
import dev.vmstate.testkit.StreamWriterSuite;

/** The writer contract of testkit's {@link StreamWriterSuite} for {@code asn1-ber}, whose writer uses indefinite lengths. */
class Asn1BerStreamWriterTest extends StreamWriterSuite {
    @Override
    protected WireFormat format() {
        return Fixtures.BER;
    }

    /** end [9] NULL: primitive, so definite even in BER. */
    @Override
    protected String endOfStreamHex() {
        return "8900";
    }
}
