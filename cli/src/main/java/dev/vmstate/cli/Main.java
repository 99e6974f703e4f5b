package dev.vmstate.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * Entry point of the {@code vmstate} command ({@code java -jar cli/target/vmstate.jar}).
 *
 * @since 0.1
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs {@code vmstate args} with the given streams and this process's environment; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, new Console(System.getenv(), System.in, System.out), args);
    }

    /**
     * Runs {@code vmstate args} with {@code console} standing for the environment and the binary
     * standard streams ({@code -} as IN or OUT), so tests can run every path in-process.
     */
    static int run(PrintWriter out, PrintWriter err, Console console, String... args) {
        boolean[] debug = {false};
        for (String a : args) {
            if (a.equals("--debug")) {
                debug[0] = true;
            }
        }
        CommandLine cl = new CommandLine(new VmstateCommand(console, err));
        SchemaCommand.takeVersionOption(cl.getSubcommands().get("schema"));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new ErrorHandler(debug));
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // picocli passes Errors through; a hostile input must still end in one line, not a trace.
            err.println("vmstate: internal error: " + e + (debug[0] ? "" : " (run with --debug for the stack trace)"));
            if (debug[0]) {
                e.printStackTrace(err);
            }
            code = ExitCodes.INTERNAL;
        }
        out.flush();
        err.flush();
        return code;
    }

    /**
     * What a run sees of its process: the environment ({@code VMSTATE_PLUGINS}) and the binary
     * standard input and output that {@code -} stands for.
     */
    record Console(Map<String, String> env, InputStream stdin, OutputStream stdout) {
        Console {
            env = Map.copyOf(env);
        }
    }
}
