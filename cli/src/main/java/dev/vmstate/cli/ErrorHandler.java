package dev.vmstate.cli;

import dev.vmstate.error.LossyDowngradeException;
import dev.vmstate.error.VmstateException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception escaping a subcommand into one line on stderr and the documented exit
 * status: a downgrade that would lose a value ({@link LossyDowngradeException}) is 1, a negative
 * answer; bad input (a {@link VmstateException}, a missing or unreadable file, a directory given
 * as a file) is 3 and names what, where (the file, section, field path) and the offset; anything
 * else is a bug, 70. Stack traces only with {@code --debug}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
    private final boolean[] debug;

    ErrorHandler(boolean[] debug) {
        this.debug = debug;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        int code;
        if (ex instanceof BadStreamException b) {
            err.println("vmstate: " + b.file() + ": " + describe(b.failure()));
            code = ExitCodes.BAD_INPUT;
        } else if (ex instanceof LossyDowngradeException l) {
            // the input is fine; the answer to "can this go to that version" is no
            err.println("vmstate: " + describe(l) + "; --allow-loss drops such values and reports each");
            code = ExitCodes.NEGATIVE;
        } else if (ex instanceof VmstateException v) {
            err.println("vmstate: " + describe(v));
            code = ExitCodes.BAD_INPUT;
        } else if (ex instanceof NoSuchFileException f) {
            err.println("vmstate: no such file: " + f.getFile());
            code = ExitCodes.BAD_INPUT;
        } else if (ex instanceof AccessDeniedException f) {
            err.println("vmstate: permission denied: " + f.getFile());
            code = ExitCodes.BAD_INPUT;
        } else if (ex instanceof IOException || ex instanceof UncheckedIOException) {
            err.println("vmstate: cannot read or write " + VmstateCommand.oneLine(ex.getMessage()));
            code = ExitCodes.BAD_INPUT;
        } else {
            err.println("vmstate: internal error: " + VmstateCommand.oneLine(ex.toString())
                    + (debug[0] ? "" : " (run with --debug for the stack trace)"));
            code = ExitCodes.INTERNAL;
        }
        if (debug[0]) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The core message and, in parentheses, the section, path and byte offset: one line whatever the message. */
    private static String describe(VmstateException v) {
        String where = v.location();
        return VmstateCommand.oneLine(v.getOriginalMessage())
                + (where.isEmpty() ? "" : " (at " + VmstateCommand.oneLine(where) + ")");
    }
}
