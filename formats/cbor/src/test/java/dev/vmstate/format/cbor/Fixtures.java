package dev.vmstate.format.cbor;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.SampleStreams;
import java.util.HexFormat;
import java.util.List;

/**
 * Helpers to write, read and compare streams of this format; the streams themselves come from
 * {@link dev.vmstate.testkit.EveryRecord}.
 */
final class Fixtures {
    static final CborFormat FORMAT = new CborFormat();

    private Fixtures() {
    }

    static byte[] write(List<StreamRecord> records) {
        return write(records, WriteOptions.defaults());
    }

    static byte[] write(List<StreamRecord> records, WriteOptions options) {
        return SampleStreams.write(FORMAT, records, options);
    }

    static List<StreamRecord> read(byte[] bytes) {
        return read(ByteSource.of(bytes), ReadOptions.defaults());
    }

    static List<StreamRecord> read(ByteSource src, ReadOptions options) {
        return SampleStreams.read(FORMAT, src, options);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Records equal, device sections compared by their fields, schemas and states as trees. */
    static void assertSameRecords(List<StreamRecord> actual, List<StreamRecord> expected) {
        SampleStreams.assertSameRecords(expected, actual);
    }
}
