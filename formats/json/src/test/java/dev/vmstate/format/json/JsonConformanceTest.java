package dev.vmstate.format.json;

import dev.vmstate.spi.WireFormat;
import dev.vmstate.testkit.FormatConformanceSuite;

/** The contract every wire format inherits from testkit, applied to {@code json}. */
class JsonConformanceTest extends FormatConformanceSuite {
    @Override
    protected WireFormat format() {
        return new JsonFormat();
    }
}
