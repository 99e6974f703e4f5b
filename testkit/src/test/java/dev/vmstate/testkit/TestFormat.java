package dev.vmstate.testkit;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.FormatCapabilities;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import java.io.OutputStream;

/**
 * A small, honest wire format for testing the testkit itself (the conformance suite has no real
 * format in this module) and the worked example of {@code docs/guides/format-author.md}: the
 * vmstate envelope, then one length-prefixed record after another.
 *
 * <pre>
 * envelope             "VMST" 01 be16 len, format id "test-tlv", fingerprint, features
 * record, repeated     u8 tag, be32 n, n bytes of payload
 *   'H' header         be32 stream version, opt-str machine, blob configuration, opt-str device tree JSON
 *   'S' device section be32 section id, str idstr, be32 instance, be32 version, u8 footer,
 *                      str schema JSON, vmstate body, [be32 CRC32C when the envelope lists crc32c]
 *   'I' iterative      u8 START/PART/END, be32 section id, opt-str idstr, be32 instance, be32 version
 *   'B' RAM blocks     be64 total, be32 count, count x (str name, be64 used length)
 *   'P' RAM page       str block, be64 offset, u8 continued, u8 encoding, blob data
 *   'Z' RAM EOS        (empty)
 *   'F' section end    be32 section id, u8 footer
 *   'C' command        be32 command, blob data
 *   'E' end of state   (empty)
 *   'D' description    u8 1 (generate) | u8 0, blob JSON
 * str = be32 n, n bytes UTF-8;  opt-str = u8 0 | u8 1, str;  blob = be32 n, n bytes
 * </pre>
 *
 * <p>Stateless and thread-safe.
 */
// example:format
public final class TestFormat implements WireFormat {
    /** The format's name, also its envelope's format id. */
    public static final String NAME = "test-tlv";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FormatCapabilities capabilities() {
        // Each section carries its schema as JSON: self-describing, with field names; no maps, so deterministic.
        return new FormatCapabilities(true, true, true, true);
    }

    @Override
    public boolean sniff(byte[] head, int length) {
        // The envelope names the format: another envelope format's stream is not ours.
        return NAME.equals(Envelope.peekFormat(head, length));
    }

    @Override
    public StreamWriter openWriter(OutputStream out, WriteOptions options) {
        return new TestFormatWriter(out, options);
    }

    @Override
    public StreamReader openReader(ByteSource in, ReadOptions options) {
        return new TestFormatReader(in, options);
    }
}
// end:format
