package dev.vmstate.format.protobuf;

import dev.vmstate.spi.WireFormat;
import dev.vmstate.testkit.StreamWriterSuite;

/** The writer contract of testkit's {@link StreamWriterSuite}, for protobuf. */
class ProtobufStreamWriterTest extends StreamWriterSuite {
    @Override
    protected WireFormat format() {
        return Fixtures.FORMAT;
    }

    /** The end record is the last: 2 bytes, Record field 10 (end), an empty End message. */
    @Override
    protected String endOfStreamHex() {
        return "02" + "5200";
    }
}
