package dev.vmstate.format.legacy;

import dev.vmstate.spi.WireFormat;
import dev.vmstate.testkit.FormatConformanceSuite;

/** #3: the legacy format passes the same contract as every other format. */
class LegacyConformanceTest extends FormatConformanceSuite {
    @Override
    protected WireFormat format() {
        return new LegacyFormat();
    }
}
