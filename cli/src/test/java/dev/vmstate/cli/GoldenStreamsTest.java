package dev.vmstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.device.nic.PciNic;
import dev.vmstate.device.pit.I8254;
import dev.vmstate.device.ramblock.RamBlock;
import dev.vmstate.device.rtc.Mc146818Rtc;
import dev.vmstate.device.serial.Serial;
import dev.vmstate.device.virtio.VirtioDevice;
import dev.vmstate.testkit.RoundTrip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** #3: the golden legacy streams survive every format and come back byte for byte. */
class GoldenStreamsTest {
    static final Path GOLDEN = Path.of("../formats/legacy/src/test/resources/golden");

    static List<Path> goldenStreams() throws Exception {
        try (Stream<Path> s = Files.list(GOLDEN)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".legacy")).sorted().toList();
        }
    }

    /**
     * {@code convert IN OUT --to F}, keeping the version of a golden {@code <type>-v<N>} stream:
     * #6 has golden streams of older versions, which a plain convert would upgrade.
     */
    static Cli.Result convert(Path golden, String in, String out, String to) {
        Matcher m = GoldenVersionsReplayTest.NAME.matcher(golden.getFileName().toString());
        return m.matches()
                ? Cli.run("convert", in, out, "--to", to, "--target-version", m.group(1) + "=" + m.group(2))
                : Cli.run("convert", in, out, "--to", to);
    }

    @Test
    void legacyToJsonToLegacyIsByteIdenticalOnEveryGoldenStream(@TempDir Path dir) throws Exception {
        List<Path> golden = goldenStreams();
        assertThat(golden).as("golden streams in " + GOLDEN).hasSizeGreaterThanOrEqualTo(7);
        for (Path g : golden) {
            Path json = dir.resolve(g.getFileName() + ".json");
            Path back = dir.resolve(g.getFileName() + ".back");
            Cli.Result r1 = convert(g, g.toString(), json.toString(), "json");
            assertThat(r1.code()).as(g + ": " + r1).isZero();
            Cli.Result r2 = convert(g, json.toString(), back.toString(), "legacy");
            assertThat(r2.code()).as(g + ": " + r2).isZero();
            assertThat(Files.readAllBytes(back)).as(g.toString()).isEqualTo(Files.readAllBytes(g));
        }
    }

    /** #4: legacy -> cbor -> json -> legacy is byte-identical on every golden stream. */
    @Test
    void legacyThroughCborAndJsonIsByteIdenticalOnEveryGoldenStream(@TempDir Path dir) throws Exception {
        for (Path g : goldenStreams()) {
            Path cbor = dir.resolve(g.getFileName() + ".cbor");
            Path json = dir.resolve(g.getFileName() + ".json");
            Path back = dir.resolve(g.getFileName() + ".back");
            for (String[] step : new String[][] {{g.toString(), cbor.toString(), "cbor"},
                    {cbor.toString(), json.toString(), "json"}, {json.toString(), back.toString(), "legacy"}}) {
                Cli.Result r = convert(g, step[0], step[1], step[2]);
                assertThat(r.code()).as(g + " -> " + step[2] + ": " + r).isZero();
            }
            assertThat(Files.readAllBytes(back)).as(g.toString()).isEqualTo(Files.readAllBytes(g));
        }
    }

    @Test
    void sampleDevicesRoundTripThroughEveryFormat() {
        RoundTrip.checkAllFormats("serial", Serial::new);
        RoundTrip.checkAllFormats("mc146818rtc", Mc146818Rtc::new);
        RoundTrip.checkAllFormats("i8254", I8254::new, Set.of("i8254.channels[0].next_transition_time"));
        RoundTrip.checkAllFormats("vs-pci-nic", PciNic::new);
        RoundTrip.checkAllFormats("vs-virtio-dev", VirtioDevice::new);
        RoundTrip.checkAllFormats("vs-ramblock", RamBlock::new);
    }
}
