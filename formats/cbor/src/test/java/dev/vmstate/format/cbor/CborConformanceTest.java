package dev.vmstate.format.cbor;

import dev.vmstate.spi.WireFormat;
import dev.vmstate.testkit.FormatConformanceSuite;

/** The contract every wire format inherits from testkit, applied to {@code cbor}. */
class CborConformanceTest extends FormatConformanceSuite {
    @Override
    protected WireFormat format() {
        return new CborFormat();
    }
}
