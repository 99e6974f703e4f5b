package dev.vmstate.format.asn1;

import dev.vmstate.spi.WireFormat;
import dev.vmstate.testkit.FormatConformanceSuite;

/** The contract every wire format inherits from testkit, applied to {@code asn1-der}. */
class Asn1DerConformanceTest extends FormatConformanceSuite {
    @Override
    protected WireFormat format() {
        return new Asn1DerFormat();
    }
}
