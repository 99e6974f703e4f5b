package dev.vmstate.error;

/**
 * An {@link java.io.IOException} from the underlying channel or file, kept as the cause.
 *
 * @since 0.1
 */
public class StreamIoException extends VmstateException {
    private static final long serialVersionUID = 1L;

    public StreamIoException(String message) {
        super(message);
    }

    public StreamIoException(String message, Throwable cause) {
        super(message, cause);
    }
}
