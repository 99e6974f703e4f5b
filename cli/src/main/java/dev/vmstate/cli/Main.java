package dev.vmstate.cli;

import java.io.PrintWriter;
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

    /** Runs {@code vmstate args} with the given streams; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        boolean[] debug = {false};
        for (String a : args) {
            if (a.equals("--debug")) {
                debug[0] = true;
            }
        }
        CommandLine cl = new CommandLine(new VmstateCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new ErrorHandler(debug));
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
