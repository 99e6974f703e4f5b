package dev.vmstate.error;

/**
 * A declared length, count, depth or size is above a {@link dev.vmstate.limits.ReadLimits} setting; thrown before anything is allocated for it.
 *
 * @since 0.1
 */
public class LimitExceededException extends VmstateException {
    private static final long serialVersionUID = 1L;

    public LimitExceededException(String message) {
        super(message);
    }

    public LimitExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
