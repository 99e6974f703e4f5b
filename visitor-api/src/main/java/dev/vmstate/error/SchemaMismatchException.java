package dev.vmstate.error;

/**
 * A state does not fit the schema it is read with: a missing or extra field, a field of another kind, a list of the wrong length, or a device whose field set depends on a value.
 *
 * @since 0.1
 */
public class SchemaMismatchException extends VmstateException {
    private static final long serialVersionUID = 1L;

    public SchemaMismatchException(String message) {
        super(message);
    }

    public SchemaMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
