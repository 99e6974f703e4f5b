package dev.vmstate.format.json;

import dev.vmstate.spi.WireFormat;
import dev.vmstate.testkit.RecordPropertySuite;

/** The property tests of testkit's {@link RecordPropertySuite}, for json. */
class JsonPropertyTest extends RecordPropertySuite {
    @Override
    protected WireFormat format() {
        return Fixtures.FORMAT;
    }
}
