package dev.vmstate.error;

/**
 * A state holds a member the reader does not know and the writer marked as one a reader must
 * not skip (#6, docs/compat.md §5): a must-understand field, or a present must-understand
 * section. The message names the member by its path from the device's root
 * ({@code vs-virtio-dev.vs-virtio-dev/inflight}), {@link #section()} the section. A legacy (QEMU)
 * stream applies QEMU's own rule instead: every unknown subsection is fatal, and is a
 * {@link MalformedStreamException}.
 *
 * @since 0.1
 */
public class MustUnderstandException extends SchemaMismatchException {
    private static final long serialVersionUID = 1L;

    public MustUnderstandException(String message) {
        super(message);
    }
}
