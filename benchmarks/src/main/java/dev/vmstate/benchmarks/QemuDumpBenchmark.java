package dev.vmstate.benchmarks;

import dev.vmstate.cli.Main;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue #7: {@code vmstate dump} of a real QEMU stream, in-process, so without JVM start: the
 * figure compared with QEMU's {@code analyze-migration.py} (whole process, which has no start-up
 * worth the name) and the {@code --ram=digest} throughput. The stream is given with
 * {@code -p file=PATH}; {@code benchmarks/qemu/dump-vs-analyzer.sh} makes one with 1 GiB of
 * random RAM and runs this with {@code -Xmx256m}. Each operation reads the whole file, so time per
 * operation and the file size give the throughput.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = "-Xmx256m")
public class QemuDumpBenchmark {
    /** The QEMU stream to dump. */
    @Param("")
    public String file;

    /**
     * What the dump computes: {@code json} (device states as the analyzer prints them, page
     * contents skipped), {@code summary} (the text dump) or {@code digest} (sha256 of every RAM block).
     */
    @Param({"json", "summary", "digest"})
    public String mode;

    private String[] args;
    private final PrintWriter sink = new PrintWriter(Writer.nullWriter());

    @Setup
    public void setUp() {
        if (file.isEmpty() || !Files.isRegularFile(Path.of(file))) {
            throw new IllegalArgumentException("give the stream with -p file=PATH (benchmarks/qemu/dump-vs-analyzer.sh"
                    + " makes one): \"" + file + "\" is not a file");
        }
        args = switch (mode) {
            case "json" -> new String[] {"dump", file, "--json"};
            case "summary" -> new String[] {"dump", file};
            case "digest" -> new String[] {"dump", file, "--ram=digest"};
            default -> throw new IllegalArgumentException("mode " + mode);
        };
    }

    @Benchmark
    public int dump() {
        int code = Main.run(sink, sink, args);
        if (code != 0) {
            throw new IllegalStateException("vmstate dump exited with " + code);
        }
        return code;
    }
}
