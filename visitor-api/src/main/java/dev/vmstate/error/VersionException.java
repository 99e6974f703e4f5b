package dev.vmstate.error;

/**
 * A stream's version is outside what the reader supports: newer than the device's version, or
 * older than its minimum version.
 *
 * @since 0.1
 */
public class VersionException extends VmstateException {
    private static final long serialVersionUID = 1L;

    public VersionException(String message) {
        super(message);
    }
}
