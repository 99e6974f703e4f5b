package dev.vmstate.format.legacy;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.StreamIoException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.spi.FormatCapabilities;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Description;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * QEMU's own migration stream, savevm version 3, byte-compatible with QEMU 7.2
 * (docs/formats/legacy.md). Schema-less: a reader takes each section's layout from the stream's
 * vmdesc trailer or from the registered device types.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class LegacyFormat implements WireFormat {
    /** The largest vmdesc trailer {@link #prepare} looks for at the end of a file. */
    static final int MAX_TRAILER_SEARCH = 4 * 1024 * 1024;

    @Override
    public String name() {
        return "legacy";
    }

    @Override
    public FormatCapabilities capabilities() {
        return new FormatCapabilities(false, false, true, false);
    }

    @Override
    public boolean sniff(byte[] head, int length) {
        return length >= 4 && head[0] == 'Q' && head[1] == 'E' && head[2] == 'V' && head[3] == 'M';
    }

    @Override
    public StreamWriter openWriter(OutputStream out, WriteOptions options) {
        return new LegacyStreamWriter(out);
    }

    @Override
    public StreamReader openReader(ByteSource in, ReadOptions options) {
        return new LegacyStreamReader(in, options);
    }

    /**
     * Finds the vmdesc trailer at the end of {@code file}, as QEMU's analyzer does: the last
     * {@code 06 <be32 n>} followed by exactly n bytes of JSON up to the end of the file. A stream
     * without one (QEMU machine types 2.2 and older) is read with registered schemas alone. A
     * description the caller already gives (lent from another stream, {@code dump --vmdesc-from})
     * is kept.
     */
    @Override
    public ReadOptions prepare(SeekableByteChannel file, ReadOptions options) {
        if (options.description() != null) {
            return options;
        }
        try {
            long size = file.size();
            int tail = (int) Math.min(size, MAX_TRAILER_SEARCH);
            ByteBuffer b = ByteBuffer.allocate(tail);
            file.position(size - tail);
            while (b.hasRemaining() && file.read(b) >= 0) {
                // read the whole tail
            }
            byte[] t = b.array();
            for (int p = t.length - 6; p >= 0; p--) {
                if (t[p] != LegacyConstants.QEMU_VM_VMDESCRIPTION || t[p + 5] != '{') {
                    continue;
                }
                long len = ByteBuffer.wrap(t, p + 1, 4).getInt() & 0xFFFF_FFFFL;
                if (len == t.length - p - 5L) {
                    byte[] json = java.util.Arrays.copyOfRange(t, p + 5, t.length);
                    try {
                        LegacyDescription.parse(json);
                    } catch (VmstateException e) {
                        continue; // JSON-looking bytes that are not a vmdesc: keep looking
                    }
                    return options.withDescription(new Description(json));
                }
            }
            return options;
        } catch (IOException e) {
            throw (StreamIoException) new StreamIoException("cannot read the stream's end: " + e.getMessage(), e)
                    .inFormat(LegacyErrors.FORMAT);
        } finally {
            try {
                file.position(0);
            } catch (IOException ignored) {
                // the caller reopens or fails on its own read
            }
        }
    }
}
