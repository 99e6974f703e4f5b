package dev.vmstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.spi.Formats;
import dev.vmstate.spi.WireFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A format found only in a plugin directory (#3): a tiny {@link WireFormat} is compiled from
 * source at test time, packed into jars with and without a service file, and must be listed by
 * {@code vmstate formats} with {@code --plugins DIR} before or after the subcommand, or
 * {@code VMSTATE_PLUGINS}; broken jars are warnings, two jars claiming one name an error.
 */
class PluginDirectoryTest {
    private static final String SOURCE = """
            package %1$s;

            import dev.vmstate.binary.ByteSource;
            import dev.vmstate.spi.*;
            import dev.vmstate.stream.StreamRecord;
            import java.io.OutputStream;

            public final class TinyFormat implements WireFormat {
                @Override public String name() { return "tiny"; }
                @Override public FormatCapabilities capabilities() { return new FormatCapabilities(true, true, true, false); }
                @Override public boolean sniff(byte[] head, int length) {
                    return length >= 4 && head[0] == 'T' && head[1] == 'I' && head[2] == 'N' && head[3] == 'Y';
                }
                @Override public StreamWriter openWriter(OutputStream out, WriteOptions options) {
                    throw new UnsupportedOperationException("tiny writes nothing");
                }
                @Override public StreamReader openReader(ByteSource in, ReadOptions options) {
                    return new StreamReader() {
                        @Override public StreamRecord next() { return null; }
                        @Override public long position() { return 0; }
                    };
                }
            }
            """;

    @TempDir
    static Path build;

    /** Classes of TinyFormat in package {@code tiny.a} and {@code tiny.b}. */
    private static Path classesA;
    private static Path classesB;

    @TempDir
    Path plugins;

    @BeforeAll
    static void compile() throws IOException, URISyntaxException {
        classesA = compile("tiny.a");
        classesB = compile("tiny.b");
    }

    private static Path compile(String pkg) throws IOException, URISyntaxException {
        Path src = build.resolve("src-" + pkg + "/TinyFormat.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE.formatted(pkg));
        Path out = Files.createDirectories(build.resolve("classes-" + pkg));
        // the plugin needs only the SPI: the visitor-api classes, wherever the test runs them from
        Path api = Path.of(WireFormat.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("tests need a JDK, not a JRE").isNotNull();
        int rc = javac.run(null, null, null, "--release", "17", "-cp", api.toString(), "-d", out.toString(),
                src.toString());
        assertThat(rc).as("compiling the plugin").isZero();
        return out;
    }

    /** Packs {@code classes} into {@code jar}, with a service file naming the format when {@code service}. */
    private static Path jar(Path jar, Path classes, boolean service) throws IOException {
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os);
             Stream<Path> files = Files.walk(classes)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                j.write(Files.readAllBytes(p));
                j.closeEntry();
            }
            if (service) {
                String pkg = classes.getFileName().toString().substring("classes-".length());
                j.putNextEntry(new JarEntry("META-INF/services/" + WireFormat.class.getName()));
                j.write((pkg + ".TinyFormat\n").getBytes(StandardCharsets.UTF_8));
                j.closeEntry();
            }
        }
        return jar;
    }

    /** The {@code formats} line of {@code name}, or {@code null}. */
    private static String line(Cli.Result r, String name) {
        return r.out().lines().filter(l -> l.split("\\s+")[0].equals(name)).findFirst().orElse(null);
    }

    private void assertListsTiny(Cli.Result r, Path jar) {
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(line(r, "tiny")).as(r.toString()).isNotNull()
                .contains("self-describing, field names, deterministic").endsWith(jar.toString());
        for (Formats.Found f : Formats.builtIn().all()) {
            assertThat(line(r, f.format().name())).as("built-in " + f.format().name()).isNotNull();
        }
    }

    @Test
    void aJarWithoutAServiceFileIsFoundAfterOrBeforeTheSubcommand() throws IOException {
        Path jar = jar(plugins.resolve("tiny.jar"), classesA, false);
        assertThat(line(Cli.run("formats"), "tiny")).as("not without the plugin directory").isNull();
        assertListsTiny(Cli.run("formats", "--plugins", plugins.toString()), jar);
        assertListsTiny(Cli.run("--plugins", plugins.toString(), "formats"), jar);
        assertThat(Cli.run("formats", "--plugins", plugins.toString()).err()).isEmpty();
    }

    @Test
    void aJarWithAServiceFileIsFound() throws IOException {
        Path jar = jar(plugins.resolve("tiny-with-service.jar"), classesA, true);
        assertListsTiny(Cli.run("formats", "--plugins", plugins.toString()), jar);
    }

    @Test
    void theEnvironmentVariableNamesTheDirectoryAndTheOptionWins() throws IOException {
        Path jar = jar(plugins.resolve("tiny.jar"), classesA, false);
        Map<String, String> env = Map.of(Formats.PLUGINS_ENV, plugins.toString());
        assertListsTiny(Cli.run(env, new byte[0], "formats"), jar);
        Path other = Files.createDirectories(build.resolve("no-plugins"));
        Cli.Result r = Cli.run(env, new byte[0], "formats", "--plugins", other.toString());
        assertThat(line(r, "tiny")).as("--plugins overrides " + Formats.PLUGINS_ENV).isNull();
        assertThat(PluginDirectory.resolve(null, Map.of(Formats.PLUGINS_ENV, " "))).isNull();
        assertThat(PluginDirectory.resolve(null, Map.of())).isNull();
        assertThat(PluginDirectory.resolve(null, env)).isEqualTo(plugins);
        assertThat(PluginDirectory.resolve(other, env)).isEqualTo(other);
    }

    @Test
    void aPluginFormatIsDetectedAndUsedByDump() throws IOException {
        jar(plugins.resolve("tiny.jar"), classesA, false);
        Path stream = build.resolve("stream.tiny");
        Files.writeString(stream, "TINY and nothing else");
        Cli.Result without = Cli.run("dump", stream.toString());
        assertThat(without.code()).isEqualTo(ExitCodes.BAD_INPUT);
        Cli.Result r = Cli.run("dump", stream.toString(), "--plugins", plugins.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("format tiny (self-describing").contains("0 records");
        Cli.Result write = Cli.run("save", "--format", "tiny", "--plugins", plugins.toString(),
                stream.resolveSibling("never").toString());
        assertThat(write.code()).as("a plugin's bug is an internal error, one line").isEqualTo(ExitCodes.INTERNAL);
        assertThat(write.errLines()).hasSize(1);
        assertThat(write.err()).contains("tiny writes nothing");
        assertThat(stream.resolveSibling("never")).doesNotExist();
    }

    @Test
    void aCorruptJarIsAWarningAndTheOthersStillLoad() throws IOException {
        Path good = jar(plugins.resolve("b-tiny.jar"), classesA, false);
        Path corrupt = Files.write(plugins.resolve("a-corrupt.jar"), "PK\u0003\u0004 this is no zip".getBytes(
                StandardCharsets.ISO_8859_1));
        Path empty = jar(plugins.resolve("c-empty.jar"), Files.createDirectories(build.resolve("classes-none")), false);
        Files.writeString(plugins.resolve("notes.txt"), "not a jar, not looked at");
        Cli.Result r = Cli.run("formats", "--plugins", plugins.toString());
        assertListsTiny(r, good);
        List<String> warnings = r.errLines();
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).startsWith("vmstate: warning: plugin " + corrupt + ": ");
        assertThat(warnings.get(1)).startsWith("vmstate: warning: plugin " + empty + ": ")
                .contains("no " + WireFormat.class.getName());
    }

    @Test
    void aMissingPluginDirectoryIsAWarning() {
        Cli.Result r = Cli.run("formats", "--plugins", plugins.resolve("nope").toString());
        assertThat(r.code()).isZero();
        assertThat(r.errLines()).containsExactly("vmstate: warning: plugin " + plugins.resolve("nope")
                + ": plugin directory does not exist");
        assertThat(line(r, "legacy")).isNotNull();
    }

    @Test
    void twoJarsClaimingOneNameFailNamingBoth() throws IOException {
        Path a = jar(plugins.resolve("tiny-a.jar"), classesA, false);
        Path b = jar(plugins.resolve("tiny-b.jar"), classesB, true);
        Cli.Result r = Cli.run("formats", "--plugins", plugins.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("two plugins claim format \"tiny\"").contains(a.toString()).contains(b.toString());
    }
}
