package dev.vmstate.format.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.cli.Main;
import dev.vmstate.spi.Formats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #5's chains, through {@code vmstate convert} run in-process: legacy → cbor → asn1-der →
 * protobuf → json → legacy, and legacy → asn1-ber → legacy, give back the legacy stream byte for
 * byte, on sample-pc and on every golden legacy stream. This is the one module whose tests see
 * every format: the CLI's built-ins through its dependency, and protobuf itself on the class path.
 */
class FormatChainTest {
    private static final Path GOLDEN = Path.of("../legacy/src/test/resources/golden");
    private static final List<String> LONG_CHAIN = List.of("cbor", "asn1-der", "protobuf", "json", "legacy");
    private static final List<String> BER_CHAIN = List.of("asn1-ber", "legacy");
    /** #6: a golden stream of an older version, {@code <type>-v<N>.legacy}. */
    private static final Pattern VERSIONED = Pattern.compile("(.+)-v(\\d+)\\.legacy");

    @TempDir
    Path dir;

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as("vmstate %s\nstdout: %s\nstderr: %s", String.join(" ", args), out, err).isZero();
        return out.toString();
    }

    /** The legacy streams to start from: sample-pc as `vmstate save` writes it, and every golden stream. */
    private List<Path> legacyStreams() throws Exception {
        List<Path> streams = new ArrayList<>();
        Path samplePc = dir.resolve("sample-pc.legacy");
        run("save", "--format", "legacy", samplePc.toString());
        streams.add(samplePc);
        try (Stream<Path> s = Files.list(GOLDEN)) {
            s.filter(p -> p.getFileName().toString().endsWith(".legacy")).sorted().forEach(streams::add);
        }
        assertThat(streams).as("sample-pc and the golden streams in " + GOLDEN).hasSizeGreaterThanOrEqualTo(8);
        return streams;
    }

    /**
     * Converts {@code start} through each format of {@code chain} in turn; returns the last file. A
     * golden stream of one device type keeps its version (#6: a plain convert upgrades an older one).
     */
    private Path convert(Path start, List<String> chain, String label) {
        Path in = start;
        Matcher versioned = VERSIONED.matcher(start.getFileName().toString());
        for (int i = 0; i < chain.size(); i++) {
            Path out = dir.resolve(start.getFileName() + "." + label + "." + i + "." + chain.get(i));
            List<String> args = new ArrayList<>(
                    List.of("convert", in.toString(), out.toString(), "--to", chain.get(i)));
            if (versioned.matches()) {
                args.addAll(List.of("--target-version", versioned.group(1) + "=" + versioned.group(2)));
            }
            String report = run(args.toArray(String[]::new));
            assertThat(report).contains("to " + out + " (" + chain.get(i) + ")");
            in = out;
        }
        return in;
    }

    @Test
    void everyFormatOfTheChainIsOnTheClassPath() {
        for (String f : LONG_CHAIN) {
            assertThat(Formats.builtIn().find(f)).as(f).isPresent();
        }
        assertThat(Formats.builtIn().find("asn1-ber")).isPresent();
    }

    @Test
    void legacyThroughCborDerProtobufAndJsonIsByteIdentical() throws Exception {
        for (Path legacy : legacyStreams()) {
            Path back = convert(legacy, LONG_CHAIN, "long");
            assertThat(Files.readAllBytes(back)).as(legacy + " -> " + String.join(" -> ", LONG_CHAIN))
                    .isEqualTo(Files.readAllBytes(legacy));
        }
    }

    @Test
    void legacyThroughBerIsByteIdentical() throws Exception {
        for (Path legacy : legacyStreams()) {
            Path back = convert(legacy, BER_CHAIN, "ber");
            assertThat(Files.readAllBytes(back)).as(legacy + " -> asn1-ber -> legacy")
                    .isEqualTo(Files.readAllBytes(legacy));
        }
    }
}
