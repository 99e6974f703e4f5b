package dev.vmstate.binary;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.visitor.Visitable;

/**
 * Saves and loads one object as a vmstate body ({@link BinarySaveVisitor},
 * {@link BinaryLoadVisitor}) in one call. Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class BinaryBody {
    private BinaryBody() {
    }

    /** The body of {@code object}. */
    public static byte[] save(Visitable object) {
        ByteSink sink = new ByteSink();
        object.visit(new BinarySaveVisitor(sink));
        return sink.toByteArray();
    }

    /** Loads {@code body} into {@code target}; the body must be consumed exactly. */
    public static <T extends Visitable> T load(byte[] body, T target, ReadLimits limits) {
        ByteSource in = ByteSource.of(body);
        target.visit(new BinaryLoadVisitor(in, limits));
        if (!in.atEnd()) {
            throw (MalformedStreamException) new MalformedStreamException(
                    (body.length - in.position()) + " byte(s) left after the body").atOffset(in.position());
        }
        return target;
    }

    public static <T extends Visitable> T load(byte[] body, T target) {
        return load(body, target, ReadLimits.defaults());
    }
}
