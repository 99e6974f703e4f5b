package dev.vmstate.format.json;

import dev.vmstate.binary.ByteSource;
import java.io.InputStream;

/**
 * A {@link ByteSource} as the {@link InputStream} jackson-core pulls from: the parser asks for
 * bytes as it needs them, so only its own buffer and the source's window are in memory. Errors of
 * the source ({@code StreamIoException}) pass through jackson unchanged, as it only catches
 * {@code IOException}.
 *
 * <p>Not thread-safe.
 */
final class ByteSourceInput extends InputStream {
    private final ByteSource src;

    ByteSourceInput(ByteSource src) {
        this.src = src;
    }

    @Override
    public int read() {
        return src.atEnd() ? -1 : src.readU8();
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        // What the window holds, without waiting for more: the parser asks again when it needs it.
        return src.readAvailable(b, off, len);
    }
}
