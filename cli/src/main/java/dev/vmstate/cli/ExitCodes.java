package dev.vmstate.cli;

/**
 * The exit status of every {@code vmstate} subcommand, the same everywhere and listed in each
 * command's {@code --help}.
 *
 * @since 0.1
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** A negative answer: a check found an incompatibility, a diff found a difference. */
    public static final int NEGATIVE = 1;
    /** A usage error (picocli's default for bad options or arguments). */
    public static final int USAGE = 2;
    /** Bad input: a malformed or hostile stream, a missing file, a limit exceeded. */
    public static final int BAD_INPUT = 3;
    /** An internal error: a bug in vmstate. */
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }
}
