package dev.vmstate.format.protobuf;

import com.google.protobuf.MessageLite;
import dev.vmstate.format.protobuf.internal.End;
import dev.vmstate.format.protobuf.internal.Header;
import dev.vmstate.format.protobuf.internal.Record;
import dev.vmstate.testkit.SampleStreams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Hand-made test input, independent of the writer under test: records built with the classes
 * generated from {@code vmstate.proto} and framed with protobuf-java's {@code writeDelimitedTo},
 * or raw bytes where the input must be what no encoder makes.
 */
final class TestProto {
    private TestProto() {
    }

    /** The envelope of a default stream, then {@code body}. */
    static byte[] withEnvelope(byte[] body) {
        return SampleStreams.withEnvelope("protobuf", body);
    }

    /** A stream: the default envelope, then each item: a message written with writeDelimitedTo, or raw bytes. */
    static byte[] stream(Object... items) {
        return withEnvelope(seq(items));
    }

    /** The items without an envelope. */
    static byte[] seq(Object... items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (Object o : items) {
                if (o instanceof byte[] b) {
                    out.write(b);
                } else if (o instanceof MessageLite.Builder b) {
                    b.build().writeDelimitedTo(out);
                } else {
                    ((MessageLite) o).writeDelimitedTo(out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Bytes from ints, for raw input. */
    static byte[] raw(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return b;
    }

    /** A valid header record with machine type "pc", no configuration and no device tree. */
    static Record header() {
        return Record.newBuilder().setHeader(Header.newBuilder().setStreamVersion(3).setMachineType("pc")).build();
    }

    static Record end() {
        return Record.newBuilder().setEnd(End.getDefaultInstance()).build();
    }
}
