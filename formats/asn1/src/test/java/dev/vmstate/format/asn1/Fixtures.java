package dev.vmstate.format.asn1;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.SampleStreams;
import java.util.HexFormat;
import java.util.List;

/**
 * Helpers to write, read and compare streams in either format; the streams themselves come from
 * {@link dev.vmstate.testkit.EveryRecord}.
 */
final class Fixtures {
    static final Asn1DerFormat DER = new Asn1DerFormat();
    static final Asn1BerFormat BER = new Asn1BerFormat();

    private Fixtures() {
    }

    static byte[] write(WireFormat f, List<StreamRecord> records) {
        return write(f, records, WriteOptions.defaults());
    }

    static byte[] write(WireFormat f, List<StreamRecord> records, WriteOptions options) {
        return SampleStreams.write(f, records, options);
    }

    static List<StreamRecord> read(WireFormat f, byte[] bytes) {
        return read(f, ByteSource.of(bytes), ReadOptions.defaults());
    }

    static List<StreamRecord> read(WireFormat f, ByteSource src, ReadOptions options) {
        return SampleStreams.read(f, src, options);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static byte[] unhex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** Records equal, device sections compared by their fields, schemas and states as trees. */
    static void assertSameRecords(List<StreamRecord> actual, List<StreamRecord> expected) {
        SampleStreams.assertSameRecords(expected, actual);
    }

    /** The envelope of a default stream of format {@code f}, then {@code body}. */
    static byte[] withEnvelope(WireFormat f, byte[] body) {
        return SampleStreams.withEnvelope(f.name(), body);
    }
}
