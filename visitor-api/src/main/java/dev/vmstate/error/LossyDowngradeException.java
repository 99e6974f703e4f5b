package dev.vmstate.error;

/**
 * A downgrade to an older version would drop a value that is not the default.
 *
 * @since 0.1
 */
public class LossyDowngradeException extends VmstateException {
    private static final long serialVersionUID = 1L;
    private final transient Object value;
    private final int targetVersion;

    public LossyDowngradeException(String message, Object value, int targetVersion) {
        super(message);
        this.value = value;
        this.targetVersion = targetVersion;
    }

    /** The value that would be lost. */
    public Object value() {
        return value;
    }

    /** The version the state was being downgraded to. */
    public int targetVersion() {
        return targetVersion;
    }
}
