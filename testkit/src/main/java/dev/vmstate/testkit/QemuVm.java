package dev.vmstate.testkit;

import dev.vmstate.internal.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code qemu-system-x86_64} for interop tests, driven over QMP on a unix socket: started
 * with the caller's arguments plus {@code -qmp}, it answers commands, takes an incoming migration
 * from a file and migrates out to one, the way {@code ../shared/qemu-streams/make-streams.sh}
 * does. Without QEMU the test is skipped, or fails under CI ({@link ExternalTool}).
 *
 * <p>Not thread-safe. Close it to quit QEMU (it is killed if it does not quit).
 *
 * @since 0.1
 */
public final class QemuVm implements AutoCloseable {
    /** The binary Debian's {@code qemu-system-x86} package installs. */
    public static final String BINARY = "qemu-system-x86_64";
    private static final Duration START = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;
    private final SocketChannel channel;
    private final BufferedReader in;
    private final Writer out;

    private QemuVm(Process process, Path log, SocketChannel channel) {
        this.process = process;
        this.log = log;
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newWriter(channel, StandardCharsets.UTF_8);
    }

    /**
     * Starts QEMU with {@code args} and a QMP socket in {@code dir}, and negotiates QMP.
     *
     * @throws IllegalStateException when QEMU exits or opens no socket within 30 s; the message
     *                               holds QEMU's output
     */
    public static QemuVm start(Path dir, List<String> args) throws IOException, InterruptedException {
        Path qemu = ExternalTool.require(BINARY, "the QEMU interop tests run a real QEMU: Debian's qemu-system-x86");
        Path sock = Files.createTempFile(dir, "qmp", ".sock");
        Files.delete(sock);
        Path log = Files.createTempFile(dir, "qemu", ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(qemu.toString());
        cmd.addAll(args);
        cmd.addAll(List.of("-qmp", "unix:" + sock + ",server=on,wait=off"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        long deadline = System.nanoTime() + START.toNanos();
        while (!Files.exists(sock)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("QEMU " + (p.isAlive() ? "opened no QMP socket in " + START : "exited")
                        + ": " + String.join(" ", cmd) + "\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(sock));
        QemuVm vm = new QemuVm(p, log, ch);
        vm.in.readLine(); // the greeting
        vm.execute("qmp_capabilities", Map.of());
        return vm;
    }

    /**
     * Runs a QMP command and returns its {@code return} value; events on the way are skipped.
     *
     * @throws IllegalStateException with QEMU's error class and description when it fails
     */
    public Object execute(String command, Map<String, Object> arguments) throws IOException {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("execute", command);
        if (!arguments.isEmpty()) {
            req.put("arguments", arguments);
        }
        out.write(Json.compact(req) + "\n");
        out.flush();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> reply = (Map<String, Object>) Json.parse(line);
            if (reply.containsKey("return")) {
                return reply.get("return");
            }
            if (reply.containsKey("error")) {
                throw new IllegalStateException("QMP " + command + " failed: " + reply.get("error") + "\n" + output());
            }
        }
        throw new IllegalStateException("QEMU closed QMP during " + command + "\n" + output());
    }

    /**
     * Polls {@code query-migrate} until the migration completes and returns the last reply.
     *
     * @throws IllegalStateException when it fails, QEMU exits (a destination exits when a stream
     *                               does not load) or {@code timeout} passes; with QEMU's output
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> awaitMigration(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("QEMU exited with status " + process.exitValue()
                        + " during the migration:\n" + output());
            }
            Map<String, Object> r;
            try {
                r = (Map<String, Object>) execute("query-migrate", Map.of());
            } catch (IllegalStateException e) {
                process.waitFor(2, TimeUnit.SECONDS);
                throw new IllegalStateException("QEMU stopped answering during the migration:\n" + output(), e);
            }
            Object status = r.get("status");
            if ("completed".equals(status)) {
                return r;
            }
            if ("failed".equals(status) || "cancelled".equals(status)) {
                throw new IllegalStateException("migration " + status + ": " + r + "\n" + output());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("migration did not complete in " + timeout + "\n" + output());
    }

    /** Loads the migration stream {@code file} into a QEMU started with {@code -incoming defer}. */
    public void loadFrom(Path file, Duration timeout) throws IOException, InterruptedException {
        execute("migrate-incoming", Map.of("uri", "exec:cat " + quote(file)));
        awaitMigration(timeout);
    }

    /** Migrates this QEMU out to {@code file} and waits until the stream is complete. */
    public void saveTo(Path file, Duration timeout) throws IOException, InterruptedException {
        execute("migrate", Map.of("uri", "exec:cat > " + quote(file)));
        awaitMigration(timeout);
    }

    private static String quote(Path p) {
        String s = p.toAbsolutePath().toString();
        if (!s.matches("[A-Za-z0-9_./+-]+")) {
            throw new IllegalArgumentException("path " + s + " needs shell quoting; use a plain temporary directory");
        }
        return s;
    }

    /** Everything QEMU printed so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(QEMU's output is unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (process.isAlive()) {
                try {
                    execute("quit", Map.of());
                } catch (IOException | RuntimeException e) {
                    // already going away: the kill below makes sure
                }
            }
            channel.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
