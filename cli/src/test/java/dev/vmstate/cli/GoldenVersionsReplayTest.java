package dev.vmstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.DeviceType;
import dev.vmstate.device.LoadSummary;
import dev.vmstate.device.Machine;
import dev.vmstate.device.MachineStreams;
import dev.vmstate.device.SampleMachines;
import dev.vmstate.format.legacy.LegacyFormat;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Visitables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #6: the golden legacy stream of every device type at every version it supports
 * ({@code <type>-v<N>.legacy}, written by LegacyGoldenTest from the populated sample-pc state
 * downgraded through the type's compat chain) replayed through {@code vmstate}, in-process:
 * <ol type="a">
 *   <li>every built-in format and back to legacy, the version kept, gives the same bytes;</li>
 *   <li>a plain {@code convert} upgrades the section to the type's current version, and
 *       {@code convert --target-version TYPE=N --to legacy} brings it back to the golden bytes,
 *       so down(up(y)) == y on real streams of every format;</li>
 *   <li>loading it reports the section upgraded, and the device holds what the compat chain's
 *       upgrade of the golden's state gives.</li>
 * </ol>
 */
class GoldenVersionsReplayTest {
    static final Path GOLDEN = Path.of("../formats/legacy/src/test/resources/golden");
    static final Pattern NAME = Pattern.compile("(.+)-v(\\d+)\\.legacy");
    static final List<String> FORMATS = List.of("legacy", "json", "cbor", "asn1-ber", "asn1-der");
    static final DeviceRegistry REGISTRY = DeviceRegistry.load();

    @TempDir
    Path dir;

    /** One golden stream: a section of {@code type} at {@code version}. */
    record Golden(Path file, DeviceType<?> type, int version) {
        String keep() {
            return type.name() + "=" + version;
        }

        @Override
        public String toString() {
            return file.getFileName().toString();
        }
    }

    static List<Golden> goldens() throws Exception {
        List<Golden> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(GOLDEN)) {
            for (Path p : s.sorted().toList()) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    DeviceType<?> t = REGISTRY.get(m.group(1));
                    out.add(new Golden(p, t, Integer.parseInt(m.group(2))));
                }
            }
        }
        return out;
    }

    @Test
    void thereIsOneGoldenStreamPerTypeAndSupportedVersion() throws Exception {
        Set<String> expected = new TreeSet<>();
        for (DeviceType<?> t : REGISTRY.types()) {
            for (int v = t.minimumVersion(); v <= t.version(); v++) {
                expected.add(t.name() + "-v" + v + ".legacy");
            }
        }
        assertThat(goldens()).extracting(Golden::toString).containsExactlyElementsOf(expected);
        // every type of sample-pc has an older version, so each replay below upgrades something
        assertThat(REGISTRY.types()).allSatisfy(t -> assertThat(t.minimumVersion()).isLessThan(t.version()));
    }

    private Path convert(Path in, String to, String... more) {
        Path out = dir.resolve(in.getFileName() + "." + to + "." + System.nanoTime());
        List<String> args = new ArrayList<>(List.of("convert", in.toString(), out.toString(), "--to", to));
        args.addAll(List.of(more));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.code()).as(in + " -> " + to + " " + String.join(" ", more) + ": " + r).isZero();
        return out;
    }

    // (a) -------------------------------------------------------------------------------------

    @Test
    void everyFormatAndBackToLegacyKeepsTheVersionAndTheBytes() throws Exception {
        for (Golden g : goldens()) {
            byte[] golden = Files.readAllBytes(g.file());
            for (String f : FORMATS) {
                Path there = convert(g.file(), f, "--target-version", g.keep());
                Path back = convert(there, "legacy", "--target-version", g.keep());
                assertThat(Files.readAllBytes(back)).as(g + " -> " + f + " -> legacy").isEqualTo(golden);
            }
        }
    }

    // (b) -------------------------------------------------------------------------------------

    @Test
    void convertUpgradesToTheCurrentVersionAndTargetVersionBringsBackTheGolden() throws Exception {
        for (Golden g : goldens()) {
            byte[] golden = Files.readAllBytes(g.file());
            Pattern current = Pattern.compile("device section \\d+: (\\S+/)?" + Pattern.quote(g.type().name())
                    + "/0 v" + g.type().version() + "[ ,]");
            for (String f : FORMATS) {
                Path upgraded = convert(g.file(), f);
                Cli.Result dump = Cli.run("dump", upgraded.toString());
                assertThat(dump.code()).as(dump.toString()).isZero();
                assertThat(dump.out()).as(g + " -> " + f).containsPattern(current);
                Path back = convert(upgraded, "legacy", "--target-version", g.keep());
                assertThat(Files.readAllBytes(back)).as(g + " -> " + f + " (upgraded) -> legacy v" + g.version())
                        .isEqualTo(golden);
            }
        }
    }

    // (c) -------------------------------------------------------------------------------------

    @Test
    void loadReportsTheUpgradeAndTheDeviceHoldsTheUpgradedState() throws Exception {
        for (Golden g : goldens()) {
            DeviceType<?> t = g.type();
            String note = g.version() < t.version() ? " (upgraded to v" + t.version() + ")" : "";
            String line = "/0 v" + g.version() + note;

            Cli.Result r = Cli.run("load", g.file().toString());
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).as(g.toString()).containsPattern(
                    "\\n  \\S+ <- (\\S+/)?" + Pattern.quote(t.name() + line) + "\\n")
                    .contains("devices loaded into models: 1").contains("sections kept generic: 0");

            byte[] bytes = Files.readAllBytes(g.file());
            Machine target = Machine.build(SampleMachines.samplePc(), REGISTRY);
            LoadSummary summary = MachineStreams.load(target, new LegacyFormat().openReader(ByteSource.of(bytes),
                    ReadOptions.defaults().withSchemas(MachineStreams.schemas(REGISTRY))
                            .withTargets(MachineStreams.targets(target))));
            assertThat(summary.loaded()).as(g.toString()).singleElement().asString().endsWith(t.name() + line);
            String id = summary.loaded().get(0).split(" <- ", 2)[0];

            StructValue expected = t.compat().upgrade(goldenTree(bytes), g.version());
            assertThat(Visitables.toTree(t.name(), target.device(id))).as(g.toString()).isEqualTo(expected);
        }
    }

    /** The golden's one section, read generically with the schema of its version. */
    private static StructValue goldenTree(byte[] bytes) {
        ReadOptions options = ReadOptions.defaults().withSchemas(MachineStreams.schemas(REGISTRY));
        List<DeviceSection> sections = SampleStreams.read(new LegacyFormat(), bytes, options).stream()
                .filter(r -> r instanceof DeviceSection).map(r -> (DeviceSection) r).toList();
        assertThat(sections).hasSize(1);
        return ((GenericState) sections.get(0).state()).tree();
    }
}
