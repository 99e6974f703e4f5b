package dev.vmstate.cli;

import dev.vmstate.error.VmstateException;

/**
 * A {@link VmstateException} from reading or writing a stream, with the file it came from, so the
 * one line on stderr names the file as well as the section, path and byte offset.
 */
final class BadStreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;

    BadStreamException(String file, VmstateException cause) {
        super(cause.getMessage(), cause);
        this.file = file;
    }

    String file() {
        return file;
    }

    VmstateException failure() {
        return (VmstateException) getCause();
    }
}
