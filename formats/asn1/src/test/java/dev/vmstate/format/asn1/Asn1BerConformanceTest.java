package dev.vmstate.format.asn1;

import dev.vmstate.spi.WireFormat;
import dev.vmstate.testkit.FormatConformanceSuite;

/** The contract every wire format inherits from testkit, applied to {@code asn1-ber}. */
class Asn1BerConformanceTest extends FormatConformanceSuite {
    @Override
    protected WireFormat format() {
        return new Asn1BerFormat();
    }
}
