package dev.vmstate.error;

/**
 * Writing was misused or given a value its kind cannot carry, such as 256 saved as a u8.
 *
 * @since 0.1
 */
public class StreamWriteException extends VmstateException {
    private static final long serialVersionUID = 1L;

    public StreamWriteException(String message) {
        super(message);
    }

    public StreamWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
