package dev.vmstate.testkit;

import dev.vmstate.spi.WireFormat;

/** The conformance suite over the testkit's own {@link TestFormat}: the suite passes an honest format. */
// example:conformance
class TestFormatConformanceTest extends FormatConformanceSuite {
    @Override
    protected WireFormat format() {
        return new TestFormat();
    }
}
// end:conformance
