package dev.vmstate.error;

/**
 * The bytes break the format: truncated input, a bad marker, a value the format cannot hold.
 *
 * @since 0.1
 */
public class MalformedStreamException extends VmstateException {
    private static final long serialVersionUID = 1L;

    public MalformedStreamException(String message) {
        super(message);
    }

    public MalformedStreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
