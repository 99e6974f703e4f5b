package dev.vmstate.format.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.cli.Main;
import dev.vmstate.testkit.QemuStreamFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #7, lossless conversion of real streams: every QEMU 7.2 stream of
 * {@code ../shared/qemu-streams}, RAM and vmdesc included, through every format on the class
 * path (this module's tests see them all) and back to legacy is the original file byte for byte.
 * The 2.0 stream, which has no vmdesc, is read with the one of 2.3 ({@code --vmdesc-from}).
 */
class QemuStreamsChainTest {
    private static final List<List<String>> CHAINS = List.of(List.of("cbor", "asn1-der", "protobuf", "json", "legacy"),
            List.of("asn1-ber", "legacy"), List.of("protobuf", "legacy"), List.of("json", "legacy"));
    private static final String NO_VMDESC = "pc-i440fx-2.0-devices.mig";
    private static final String LENDER = "pc-i440fx-2.3-devices.mig";

    @TempDir
    Path dir;

    private static void run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as("vmstate %s\nstdout: %s\nstderr: %s", String.join(" ", args), out, err).isZero();
    }

    @Test
    void everyRealStreamThroughEveryFormatIsByteIdentical() throws Exception {
        Path d = QemuStreamFixtures.dir();
        List<Path> migs;
        try (Stream<Path> s = Files.list(d)) {
            migs = s.filter(p -> p.getFileName().toString().endsWith(".mig")).sorted().toList();
        }
        assertThat(migs).as("streams in " + d).hasSizeGreaterThanOrEqualTo(6);
        for (Path mig : migs) {
            for (List<String> chain : CHAINS) {
                Path in = mig;
                for (int i = 0; i < chain.size(); i++) {
                    Path out = dir.resolve(mig.getFileName() + "." + String.join("-", chain) + "." + i + "." + chain.get(i));
                    List<String> args = new ArrayList<>(List.of("convert", in.toString(), out.toString(), "--to",
                            chain.get(i)));
                    if (i == 0 && mig.getFileName().toString().equals(NO_VMDESC)) {
                        args.addAll(List.of("--vmdesc-from", mig.resolveSibling(LENDER).toString()));
                    }
                    run(args.toArray(String[]::new));
                    in = out;
                }
                assertThat(Files.readAllBytes(in)).as(mig.getFileName() + " -> " + String.join(" -> ", chain))
                        .isEqualTo(Files.readAllBytes(mig));
            }
        }
    }
}
