package dev.vmstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.MachineStreams;
import dev.vmstate.internal.Json;
import dev.vmstate.spi.Formats;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.QemuStreamFixtures;
import dev.vmstate.tree.GenericState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.TestAbortedException;

/**
 * {@code vmstate dump} on the real QEMU 7.2 streams of {@code ../shared/qemu-streams} (issue #7):
 * every stream with a vmdesc trailer dumps end to end, its RAM record counts are those of the
 * analyzer's RAM digest, and {@code --json} is the analyzer's state dump, field for field and byte
 * for byte. The folder is taken from the system property {@code vmstate.qemuStreams}, else found
 * above the working directory; when it is missing the tests are skipped, unless {@code CI=true}.
 */
class QemuStreamsDumpTest {
    private static final String MISSING = "(qemu-streams folder missing)";
    private static final Pattern TOTALS = Pattern.compile("(\\d+) ram pages \\((\\d+) zero, (\\d+) raw, (\\d+) xbzrle\\)");

    private static Path find() {
        return QemuStreamFixtures.find();
    }

    static Path dir() {
        return QemuStreamFixtures.dir();
    }

    /** Base names of the streams that carry a vmdesc (the analyzer printed one: NAME.desc.json). */
    static List<String> described() throws IOException {
        Path d = find();
        if (d == null) {
            return List.of(MISSING);
        }
        try (Stream<Path> s = Files.list(d)) {
            List<String> names = new ArrayList<>(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".mig"))
                    .map(n -> n.substring(0, n.length() - 4))
                    .filter(n -> Files.exists(d.resolve(n + ".desc.json"))).sorted().toList());
            assertThat(names).as("streams with a vmdesc in " + d).isNotEmpty();
            return names;
        }
    }

    private static Path stream(String name) {
        Path d = dir();
        assertThat(name).isNotEqualTo(MISSING);
        return d.resolve(name + ".mig");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("described")
    void dumpsEveryDescribedStreamToItsEnd(String name) throws IOException {
        Path mig = stream(name);
        Cli.Result r = Cli.run("dump", mig.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(lines.size() - 1)).isEqualTo(Files.size(mig) + " bytes read");
        assertThat(r.out()).contains("end of state").contains("description:");

        // RAM: the record counts the analyzer's digest gives, over all blocks
        @SuppressWarnings("unchecked")
        Map<String, Object> digest = (Map<String, Object>) Json.parse(
                Files.readString(mig.resolveSibling(name + ".ram-digest.json"), StandardCharsets.UTF_8));
        long zero = 0, raw = 0, xbzrle = 0;
        for (Object block : digest.values()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> records = (Map<String, Object>) ((Map<String, Object>) block).get("records");
            zero += ((Number) records.get("zero")).longValue();
            raw += ((Number) records.get("page")).longValue();
            xbzrle += ((Number) records.get("xbzrle")).longValue();
        }
        Matcher m = TOTALS.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(List.of(m.group(2), m.group(3), m.group(4)))
                .containsExactly(Long.toString(zero), Long.toString(raw), Long.toString(xbzrle));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("described")
    @SuppressWarnings("unchecked")
    void jsonIsTheAnalyzersStateDump(String name) throws IOException {
        Path mig = stream(name);
        Path ref = mig.resolveSibling(name + ".state.json");
        if (!Files.exists(ref)) {
            ref = mig.resolveSibling(name + ".state-patched.json");
        }
        String expected = Files.readString(ref, StandardCharsets.UTF_8);
        Cli.Result r = Cli.run("dump", mig.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Object> qemu = (Map<String, Object>) Json.parse(expected);
        Map<String, Object> ours = (Map<String, Object>) Json.parse(r.out());
        assertThat(ours.keySet()).as("sections").containsExactlyElementsOf(qemu.keySet());
        for (Map.Entry<String, Object> e : qemu.entrySet()) {
            assertThat(ours.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        // and the same text: key order, rendering and indentation of json.dumps(indent=4)
        assertThat(r.out().strip()).isEqualTo(expected.strip());
    }

    /** Every stream: those with a vmdesc, and 2.0 (none) with the one of 2.3 lent. */
    static List<String> all() throws IOException {
        List<String> names = new ArrayList<>(described());
        Path d = find();
        if (d != null && Files.exists(d.resolve(NO_VMDESC + ".mig"))) {
            names.add(NO_VMDESC);
        }
        return names;
    }

    private static final String NO_VMDESC = "pc-i440fx-2.0-devices";
    private static final String LENDER = "pc-i440fx-2.3-devices";

    /** The dump arguments for {@code name}: 2.0 borrows the vmdesc of 2.3 (same devices and versions). */
    private static List<String> dump(String name, String... more) {
        Path mig = stream(name);
        List<String> args = new ArrayList<>(List.of("dump", mig.toString()));
        if (name.equals(NO_VMDESC)) {
            args.addAll(List.of("--vmdesc-from", mig.resolveSibling(LENDER + ".mig").toString()));
        }
        args.addAll(List.of(more));
        return args;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void ramDigestIsTheAnalyzersByteForByte(String name) throws IOException {
        Cli.Result r = Cli.run(dump(name, "--ram=digest", "--json").toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        String expected = Files.readString(stream(name).resolveSibling(name + ".ram-digest.json"), StandardCharsets.UTF_8);
        // sha256 of each block's final image (XBZRLE applied), non-zero pages, record counts
        assertThat(r.out().strip()).isEqualTo(expected.strip());
    }

    @Test
    void ramDigestFromStandardInputRebuildsImagesInOnePass() throws IOException {
        String name = "pc-i440fx-7.2-xbzrle-live";
        Path mig = stream(name);
        if (!Files.exists(mig)) {
            throw new TestAbortedException(mig + " is missing");
        }
        // standard input cannot be searched for its trailer: the same file lends it
        Cli.Result r = Cli.run(Map.of(), Files.readAllBytes(mig), "dump", "-", "--ram=digest", "--vmdesc-from",
                mig.toString());
        assertThat(r.code()).as(r.err()).isZero();
        // the text form names the same digest the analyzer computed for pc.ram, 1680 XBZRLE records applied
        assertThat(r.out()).contains("pc.ram: 0x1000000 bytes, sha256 "
                + "477adbb20bcb1bd9c43b2ed195fbc074a1d32202ccc9e5bb5867ed39310efde6, 16 non-zero pages; "
                + "records: 4080 zero, 32 raw, 1680 xbzrle");
    }

    @Test
    void ramPagesListsEveryRecord() throws IOException {
        String name = "pc-i440fx-7.2-min";
        Cli.Result r = Cli.run("dump", stream(name).toString(), "--ram=pages");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> pages = r.out().lines().filter(l -> l.startsWith("  page ")).toList();
        assertThat(pages).hasSize(4177 + 49); // README §5: 4177 zero, 49 raw records
        assertThat(pages.get(0)).isEqualTo("  page pc.ram 0x0 zero (fill 0x00)");
        assertThat(pages.get(1)).isEqualTo("  page pc.ram 0x1000 zero (fill 0x00), continue");
        assertThat(pages).filteredOn(l -> l.contains(" raw")).hasSize(49);
    }

    @Test
    void aLentVmdescDecodesAStreamWithoutOne() throws IOException {
        Cli.Result r = Cli.run(dump(NO_VMDESC, "--json").toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        String expected = Files.readString(stream(NO_VMDESC).resolveSibling(NO_VMDESC + ".state-patched.json"),
                StandardCharsets.UTF_8);
        assertThat(r.out().strip()).isEqualTo(expected.strip());
    }

    @Test
    void vmdescFromAFileWithoutOneIsAUsageError() {
        Path mig = stream(NO_VMDESC);
        Cli.Result r = Cli.run("dump", mig.toString(), "--vmdesc-from", mig.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--vmdesc-from").contains("no vmdesc trailer");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("described")
    void modelledDevicesAreReadByTheirModels(String name) {
        Cli.Result r = Cli.run("dump", stream(name).toString());
        assertThat(r.code()).as(r.err()).isZero();
        for (String type : List.of("mc146818rtc", "i8254")) {
            assertThat(r.out()).containsPattern("device section \\d+: " + type + "/0 v3(, no footer)?, read by vmstate's model");
        }
        if (r.out().contains("serial/0")) {
            assertThat(r.out()).containsPattern("device section \\d+: serial/0 v3(, no footer)?, read by vmstate's model");
        }
        assertThat(r.out()).doesNotContainPattern("fdc/0 v2, read by");
    }

    /**
     * #7 deliverable 2: QEMU's serial, mc146818rtc and i8254 sections load into vmstate's models and
     * the models save them byte for byte: the whole stream, read with the models and written back by
     * them, is the file QEMU wrote.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("described")
    void streamsReadByTheModelsAndWrittenByThemAreQemusBytes(String name) throws IOException {
        Path mig = stream(name);
        DeviceRegistry registry = DeviceRegistry.load();
        WireFormat legacy = Formats.builtIn().get("legacy");
        ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int modelled = 0;
        try (FileChannel ch = FileChannel.open(mig);
                StreamWriter w = legacy.openWriter(out, WriteOptions.defaults())) {
            ReadOptions options = legacy.prepare(ch, ReadOptions.defaults()
                    .withSchemas(MachineStreams.schemas(registry))
                    .withTargets(MachineStreams.decoders(registry)));
            StreamReader r = legacy.openReader(ByteSource.of(ch), options);
            for (StreamRecord rec = r.next(); rec != null; rec = r.next()) {
                if (rec instanceof DeviceSection s
                        && !(s.state() instanceof GenericState)) {
                    modelled++;
                }
                w.write(rec);
            }
        }
        assertThat(modelled).as("sections read by a model").isGreaterThanOrEqualTo(2);
        assertThat(out.toByteArray()).isEqualTo(Files.readAllBytes(mig));
    }

    @Test
    void aStreamWithoutVmdescFailsNamingTheSectionAndItsOffset() {
        Path mig = dir().resolve("pc-i440fx-2.0-devices.mig");
        if (!Files.exists(mig)) {
            throw new TestAbortedException(mig + " is missing");
        }
        Cli.Result r = Cli.run("dump", mig.toString());
        assertThat(r.code()).as(r.toString()).isNotZero();
        // timer/0 is the first device section: FULL at 0x76671 (pc-i440fx-2.0-devices.stream-layout.txt)
        assertThat(r.err()).contains("section timer/0").contains("byte offset #" + 0x76671)
                .contains("no vmdesc");
    }
}
