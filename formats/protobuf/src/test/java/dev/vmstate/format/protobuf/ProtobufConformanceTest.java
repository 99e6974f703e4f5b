package dev.vmstate.format.protobuf;

import dev.vmstate.spi.WireFormat;
import dev.vmstate.testkit.FormatConformanceSuite;

/** The contract every wire format inherits from testkit, applied to {@code protobuf}. */
class ProtobufConformanceTest extends FormatConformanceSuite {
    @Override
    protected WireFormat format() {
        return new ProtobufFormat();
    }
}
