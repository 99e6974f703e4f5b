package dev.vmstate.spi;

import dev.vmstate.binary.BinarySaveVisitor;
import dev.vmstate.binary.ByteSink;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.visitor.Visitable;
import java.util.zip.CRC32C;

/**
 * The CRC32C a section carries when its stream's envelope lists {@link Envelope#FEATURE_CRC32C}:
 * computed over the section state's vmstate body encoding ({@code docs/data-model.md}), so it is
 * the same number whatever the format, and a conversion keeps it checkable.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class SectionCrc {
    private SectionCrc() {
    }

    /** The CRC32C of {@code state}'s body encoding, as an unsigned 32-bit value. */
    public static long of(Visitable state) {
        ByteSink sink = new ByteSink(1024);
        state.visit(new BinarySaveVisitor(sink));
        CRC32C crc = new CRC32C();
        crc.update(sink.view());
        return crc.getValue();
    }

    /** Fails naming {@code section} unless {@code state} has the CRC {@code expected}. */
    public static void check(String section, long offset, Visitable state, long expected) {
        long actual = of(state);
        if (actual != expected) {
            throw (MalformedStreamException) new MalformedStreamException(String.format(
                    "section %s fails its CRC32C check: stream says 0x%08X, state gives 0x%08X", section, expected, actual))
                    .inSection(section).atOffset(offset);
        }
    }
}
