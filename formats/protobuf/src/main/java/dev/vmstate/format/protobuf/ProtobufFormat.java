package dev.vmstate.format.protobuf;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.FormatCapabilities;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.SchemaCache;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import java.io.OutputStream;

/**
 * The {@code protobuf} wire format (#5): the binary envelope, then one length-delimited
 * {@code Record} message of {@code vmstate.proto} per record, as protobuf-java's
 * {@code writeDelimitedTo} frames them, so a reader streams record by record. Each distinct
 * schema travels once per stream, in a schema record that device records name by id; a device
 * state is a {@code State} message whose field numbers are the schema's member positions, written
 * from and read into the device by a visitor. Every message is in protobuf's deterministic
 * serialization, so the format is deterministic. Specified in {@code docs/formats/protobuf.md}.
 *
 * <p>Shipped as a plugin: {@code vmstate-format-protobuf-<version>-plugin.jar} carries
 * protobuf-java relocated inside it and goes into the CLI's plugin directory
 * ({@code --plugins DIR} or {@code VMSTATE_PLUGINS}). Registered in
 * {@code META-INF/services/dev.vmstate.spi.WireFormat}. Stateless and thread-safe; the readers and
 * writers it opens are not.
 *
 * @since 0.1
 */
public final class ProtobufFormat implements WireFormat {
    private static final FormatCapabilities CAPABILITIES = new FormatCapabilities(true, false, true, true);
    /** #5: schema records' {@code SchemaSpec} bytes, encoded and decoded once in the JVM for all protobuf writers and readers. */
    static final SchemaCache SCHEMAS = new SchemaCache(s -> SchemaSpecs.spec(SchemaJson.toMap(s)).toByteArray());

    /** The service loader's constructor. */
    public ProtobufFormat() {
    }

    @Override
    public String name() {
        return ProtobufConstants.FORMAT;
    }

    @Override
    public FormatCapabilities capabilities() {
        return CAPABILITIES;
    }

    /** True when {@code head} starts with the envelope magic and the envelope names {@code protobuf}. Never throws. */
    @Override
    public boolean sniff(byte[] head, int length) {
        if (head == null || length <= 0) {
            return false;
        }
        return ProtobufConstants.FORMAT.equals(Envelope.peekFormat(head, Math.min(length, head.length)));
    }

    @Override
    public StreamWriter openWriter(OutputStream out, WriteOptions options) {
        return new ProtobufStreamWriter(out, options);
    }

    @Override
    public StreamReader openReader(ByteSource in, ReadOptions options) {
        return new ProtobufStreamReader(in, options);
    }

    @Override
    public String toString() {
        return "ProtobufFormat[" + CAPABILITIES.summary() + "]";
    }
}
