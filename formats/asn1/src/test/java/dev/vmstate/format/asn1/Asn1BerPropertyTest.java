package dev.vmstate.format.asn1;

import dev.vmstate.spi.WireFormat;
import dev.vmstate.testkit.RecordPropertySuite;

/** The property tests of testkit's {@link RecordPropertySuite} for {@code asn1-ber}. */
class Asn1BerPropertyTest extends RecordPropertySuite {
    @Override
    protected WireFormat format() {
        return Fixtures.BER;
    }
}
