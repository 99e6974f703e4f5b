package dev.vmstate.format.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin jar in use (#5): {@code java -jar cli/target/vmstate.jar} as a real process, with
 * the packaged {@code vmstate-format-protobuf-<version>-plugin.jar} in a plugin directory given
 * by {@code --plugins DIR} or {@code VMSTATE_PLUGINS}, and without it. The CLI has no protobuf of
 * its own, so everything it does with the format goes through the plugin's class loader and the
 * protobuf-java relocated inside the jar.
 *
 * <p>Run by failsafe after {@code package}; the jars come from the system properties
 * {@code vmstate.cli.jar} and {@code vmstate.plugin.jar} (the module's pom sets both).
 */
class ProtobufPluginIT {
    private static final long TIMEOUT_SECONDS = 120;

    private static Path cli;
    private static Path plugin;

    @TempDir
    static Path work;

    private static Path plugins;

    @BeforeAll
    static void jars() throws IOException {
        cli = jar("vmstate.cli.jar", "the CLI; build it with: mvn -f cli/pom.xml install -DskipTests");
        plugin = jar("vmstate.plugin.jar", "the plugin jar; build it with: mvn -f formats/protobuf/pom.xml package");
        plugins = Files.createDirectories(work.resolve("plugins"));
        Files.copy(plugin, plugins.resolve(plugin.getFileName()));
    }

    private static Path jar(String property, String what) {
        String p = System.getProperty(property);
        assertThat(p).as("system property %s (%s)", property, what).isNotBlank();
        Path path = Path.of(p).toAbsolutePath().normalize();
        assertThat(path).as("%s, missing: %s", path, what).isRegularFile();
        return path;
    }

    /** What a run of the CLI gave: exit status, standard output, standard error. */
    record Run(int status, String out, String err) {
    }

    /** {@code java -jar vmstate.jar args}, in {@link #work}, with {@code env} added to an environment without VMSTATE_PLUGINS. */
    private static Run vmstate(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-jar");
        command.add(cli.toString());
        Collections.addAll(command, args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().remove("VMSTATE_PLUGINS");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("vmstate " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Run vmstate(String... args) throws IOException, InterruptedException {
        return vmstate(Map.of(), args);
    }

    private static Run ok(Run r, String what) {
        assertThat(r.status()).as("%s: exit status; stderr: %s", what, r.err()).isZero();
        return r;
    }

    private static boolean listsProtobuf(String formatsOutput) {
        return formatsOutput.lines().anyMatch(l -> l.startsWith("protobuf ") && l.contains(plugin.getFileName().toString()));
    }

    @Test
    void thePluginJarCarriesItsFormatAndProtobufRelocatedButNoneOfTheHostsClasses() throws IOException {
        try (JarFile jar = new JarFile(plugin.toFile())) {
            List<String> names = jar.stream().map(JarEntry::getName).toList();
            assertThat(names).contains("dev/vmstate/format/protobuf/ProtobufFormat.class",
                    "dev/vmstate/format/protobuf/internal/Record.class",
                    "dev/vmstate/format/protobuf/shaded/protobuf/CodedInputStream.class",
                    "META-INF/services/dev.vmstate.spi.WireFormat");
            assertThat(names).noneMatch(n -> n.startsWith("com/google/"));
            // the host (the CLI) provides vmstate's API and its own libraries
            assertThat(names).noneMatch(n -> n.endsWith(".class") && n.startsWith("dev/vmstate/")
                    && !n.startsWith("dev/vmstate/format/protobuf/"));
            assertThat(names).noneMatch(n -> n.startsWith("tools/jackson/") || n.startsWith("picocli/")
                    || n.startsWith("io/github/classgraph/") || n.startsWith("org/quicktheories/")
                    || n.startsWith("org/junit/"));
            String service = new String(jar.getInputStream(jar.getEntry("META-INF/services/dev.vmstate.spi.WireFormat"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(service.strip()).isEqualTo("dev.vmstate.format.protobuf.ProtobufFormat");
        }
    }

    @Test
    void formatsListsProtobufFromThePluginDirectory() throws Exception {
        Run option = ok(vmstate("--plugins", plugins.toString(), "formats"), "formats with --plugins");
        assertThat(listsProtobuf(option.out())).as(option.out()).isTrue();
        assertThat(option.out()).contains("protobuf  self-describing, no field names, deterministic, envelope");
        assertThat(option.err()).doesNotContain("warning");
        Run after = ok(vmstate("formats", "--plugins", plugins.toString()), "formats --plugins");
        assertThat(listsProtobuf(after.out())).isTrue();
        Run env = ok(vmstate(Map.of("VMSTATE_PLUGINS", plugins.toString()), "formats"), "formats with VMSTATE_PLUGINS");
        assertThat(listsProtobuf(env.out())).as(env.out()).isTrue();
        Run none = ok(vmstate("formats"), "formats without plugins");
        assertThat(none.out()).contains("legacy").doesNotContain("protobuf");
    }

    @Test
    void saveConvertAndDumpThroughThePluginAndBackToLegacyByteIdentical() throws Exception {
        String dir = plugins.toString();
        ok(vmstate("save", "--format", "legacy", "sample.legacy"), "save legacy");
        Run convert = ok(vmstate("--plugins", dir, "convert", "sample.legacy", "sample.protobuf", "--to", "protobuf"),
                "convert to protobuf");
        assertThat(convert.out()).contains("converted sample.legacy (legacy) to sample.protobuf (protobuf)");
        byte[] stream = Files.readAllBytes(work.resolve("sample.protobuf"));
        assertThat(new String(stream, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("VMST");
        assertThat(new String(stream, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("protobuf");

        Run dump = ok(vmstate("--plugins", dir, "dump", "sample.protobuf"), "dump");
        assertThat(dump.out()).contains("stream sample.protobuf: format protobuf").contains("device section")
                .contains("bytes read");
        Run json = ok(vmstate(Map.of("VMSTATE_PLUGINS", dir), "dump", "--json", "sample.protobuf"), "dump --json");
        assertThat(json.out()).startsWith("{");

        ok(vmstate("--plugins", dir, "convert", "sample.protobuf", "back.legacy", "--to", "legacy"), "convert back");
        assertThat(Files.readAllBytes(work.resolve("back.legacy"))).isEqualTo(Files.readAllBytes(work.resolve("sample.legacy")));

        // saved directly, with CRCs, and through stdout: dumps and converts as well
        ok(vmstate("--plugins", dir, "save", "--format", "protobuf", "--crc32c", "saved.protobuf"), "save protobuf");
        ok(vmstate("--plugins", dir, "dump", "saved.protobuf"), "dump saved");
        ok(vmstate("--plugins", dir, "convert", "saved.protobuf", "saved.cbor", "--to", "cbor"), "convert to cbor");
        ok(vmstate("--plugins", dir, "convert", "saved.cbor", "again.protobuf", "--to", "protobuf"), "cbor to protobuf");
        assertThat(Files.readAllBytes(work.resolve("again.protobuf")))
                .isEqualTo(Files.readAllBytes(work.resolve("saved.protobuf")));

        // schemas by reference: the CLI reads them back with its device registry
        ok(vmstate("--plugins", dir, "save", "--format", "protobuf", "--schema-refs", "refs.protobuf"), "save refs");
        assertThat(Files.size(work.resolve("refs.protobuf"))).isLessThan(Files.size(work.resolve("sample.protobuf")) / 2);
        ok(vmstate("--plugins", dir, "dump", "refs.protobuf"), "dump refs");
        ok(vmstate("--plugins", dir, "convert", "refs.protobuf", "refs.legacy", "--to", "legacy"), "refs to legacy");
        ok(vmstate("--plugins", dir, "convert", "refs.legacy", "whole.protobuf", "--to", "protobuf"), "refs back");
        assertThat(Files.size(work.resolve("whole.protobuf"))).isEqualTo(Files.size(work.resolve("sample.protobuf")));
    }

    @Test
    void withoutThePluginAProtobufStreamFailsNamingThePlugin() throws Exception {
        ok(vmstate("--plugins", plugins.toString(), "save", "--format", "protobuf", "lonely.protobuf"), "save");
        Run dump = vmstate("dump", "lonely.protobuf");
        assertThat(dump.status()).as("exit status; stderr: %s", dump.err()).isEqualTo(3);
        assertThat(dump.err()).contains("no format for this stream; it looks like protobuf (its envelope says so), "
                + "add its plugin with --plugins DIR or VMSTATE_PLUGINS");
        Run convert = vmstate("convert", "lonely.protobuf", "x.legacy", "--to", "legacy");
        assertThat(convert.status()).isEqualTo(3);
        assertThat(convert.err()).contains("it looks like protobuf");
        assertThat(work.resolve("x.legacy")).doesNotExist();
        Run save = vmstate("save", "--format", "protobuf", "never.protobuf");
        assertThat(save.status()).isEqualTo(2);
        assertThat(save.err()).contains("unknown format \"protobuf\"");
    }
}
