package dev.vmstate.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs {@code vmstate} in-process with a chosen environment and binary standard streams. */
final class Cli {
    private Cli() {
    }

    /** Exit status, text out, text err, and the bytes written to standard output as a stream ({@code -}). */
    record Result(int code, String out, String err, byte[] stdout) {
        /** The non-empty lines of stderr. */
        java.util.List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** With an empty environment (no {@code VMSTATE_PLUGINS}) and empty standard input. */
    static Result run(String... args) {
        return run(Map.of(), new byte[0], args);
    }

    static Result run(Map<String, String> env, byte[] stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err),
                new Main.Console(env, new ByteArrayInputStream(stdin), stdout), args);
        return new Result(code, out.toString(), err.toString(), stdout.toByteArray());
    }
}
