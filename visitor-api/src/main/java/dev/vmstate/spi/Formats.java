package dev.vmstate.spi;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VmstateException;
import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * The wire formats this process can use: those on the class path (through
 * {@code META-INF/services/dev.vmstate.spi.WireFormat}) and those in the jars of a plugin
 * directory ({@code --plugins DIR} or {@code VMSTATE_PLUGINS}), each jar in its own class loader.
 * A plugin jar is searched with classgraph for implementations of {@link WireFormat}, so a
 * missing service file does not hide a format. A jar that cannot be read or whose format cannot
 * be made is reported in {@link #problems()} and does not stop the others; two formats claiming
 * one name are an error naming both sources.
 *
 * <p>Immutable after discovery and thread-safe.
 *
 * @since 0.1
 */
public final class Formats {
    /** The environment variable naming the plugin directory. */
    public static final String PLUGINS_ENV = "VMSTATE_PLUGINS";
    private static final String SERVICE = "META-INF/services/" + WireFormat.class.getName();

    /** A format and where it came from (a jar path, or the class path entry of a built-in). */
    public record Found(WireFormat format, String source) {
    }

    /** A plugin that could not be loaded, and why. */
    public record Problem(String source, String message) {
        @Override
        public String toString() {
            return source + ": " + message;
        }
    }

    private final Map<String, Found> byName;
    private final List<Problem> problems;

    private Formats(Map<String, Found> byName, List<Problem> problems) {
        this.byName = byName;
        this.problems = List.copyOf(problems);
    }

    /** The built-in formats (class path) only. */
    public static Formats builtIn() {
        return discover(null);
    }

    /** The built-in formats plus those in the jars of {@code pluginDir} ({@code null}: none). */
    public static Formats discover(Path pluginDir) {
        Map<String, Found> byName = new TreeMap<>();
        List<Problem> problems = new ArrayList<>();
        ServiceLoader<WireFormat> builtIns = ServiceLoader.load(WireFormat.class, Formats.class.getClassLoader());
        for (ServiceLoader.Provider<WireFormat> p : builtIns.stream().toList()) {
            try {
                WireFormat f = p.get();
                add(byName, new Found(f, sourceOf(f.getClass())));
            } catch (java.util.ServiceConfigurationError e) {
                problems.add(new Problem("class path", e.getMessage()));
            }
        }
        if (pluginDir != null) {
            scanDirectory(pluginDir, byName, problems);
        }
        return new Formats(byName, problems);
    }

    /** The plugin directory named by {@code VMSTATE_PLUGINS}, if set. */
    public static Optional<Path> pluginDirFromEnvironment() {
        String dir = System.getenv(PLUGINS_ENV);
        return dir == null || dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
    }

    private static void add(Map<String, Found> byName, Found f) {
        Found old = byName.putIfAbsent(f.format().name(), f);
        if (old != null) {
            throw new VmstateException("two plugins claim format \"" + f.format().name() + "\": " + old.source()
                    + " and " + f.source());
        }
    }

    private static void scanDirectory(Path dir, Map<String, Found> byName, List<Problem> problems) {
        if (!Files.isDirectory(dir)) {
            problems.add(new Problem(dir.toString(), "plugin directory does not exist"));
            return;
        }
        List<Path> jars;
        try (Stream<Path> s = Files.list(dir)) {
            jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            problems.add(new Problem(dir.toString(), "cannot list plugin directory: " + e.getMessage()));
            return;
        }
        for (Path jar : jars) {
            loadJar(jar, byName, problems);
        }
    }

    private static void loadJar(Path jar, Map<String, Found> byName, List<Problem> problems) {
        Set<String> classes = new LinkedHashSet<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            ZipEntry service = jf.getEntry(SERVICE);
            if (service != null) {
                try (InputStream in = jf.getInputStream(service);
                     BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    r.lines().map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty()).forEach(classes::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            problems.add(new Problem(jar.toString(), "not a readable jar: " + e.getMessage()));
            return;
        }
        try (ScanResult scan = new ClassGraph().overrideClasspath(jar.toString()).enableClassInfo()
                .enableExternalClasses().scan()) {
            for (ClassInfo ci : scan.getClassesImplementing(WireFormat.class.getName())) {
                if (!ci.isAbstract() && !ci.isInterface()) {
                    classes.add(ci.getName());
                }
            }
        } catch (RuntimeException e) {
            problems.add(new Problem(jar.toString(), "cannot scan: " + e.getMessage()));
        }
        if (classes.isEmpty()) {
            problems.add(new Problem(jar.toString(), "holds no " + WireFormat.class.getName() + " implementation"));
            return;
        }
        URLClassLoader loader;
        try {
            loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, Formats.class.getClassLoader());
        } catch (IOException e) {
            problems.add(new Problem(jar.toString(), e.getMessage()));
            return;
        }
        for (String name : classes) {
            try {
                WireFormat f = Class.forName(name, true, loader).asSubclass(WireFormat.class)
                        .getDeclaredConstructor().newInstance();
                add(byName, new Found(f, jar.toString()));
            } catch (VmstateException e) {
                throw e;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                problems.add(new Problem(jar.toString(), "cannot make " + name + ": " + e));
            }
        }
    }

    private static String sourceOf(Class<?> c) {
        try {
            var cs = c.getProtectionDomain().getCodeSource();
            return cs == null ? "class path" : Path.of(cs.getLocation().toURI()).getFileName().toString();
        } catch (Exception e) {
            return "class path";
        }
    }

    /** Every format, by name. */
    public List<Found> all() {
        return byName.values().stream().sorted(Comparator.comparing(f -> f.format().name())).toList();
    }

    /** Plugins that could not be loaded. */
    public List<Problem> problems() {
        return problems;
    }

    public Optional<WireFormat> find(String name) {
        Found f = byName.get(name);
        return f == null ? Optional.empty() : Optional.of(f.format());
    }

    /** The format called {@code name}; an unknown name fails listing the installed ones. */
    public WireFormat get(String name) {
        return find(name).orElseThrow(() -> new VmstateException("unknown format \"" + name + "\"; installed: "
                + String.join(", ", byName.keySet()) + "; a plugin format needs its jar in --plugins DIR or "
                + PLUGINS_ENV));
    }

    /**
     * The format of a stream starting with {@code head}. When none recognises it, the error says
     * what the stream looks like: the format its envelope names (whose plugin is then missing), or
     * its first bytes.
     */
    public WireFormat detect(byte[] head, int length) {
        for (Found f : byName.values()) {
            if (f.format().sniff(head, length)) {
                return f.format();
            }
        }
        String named = Envelope.peekFormat(head, length);
        if (named != null) {
            throw (MalformedStreamException) new MalformedStreamException("no format for this stream; it looks like "
                    + named + " (its envelope says so), add its plugin with --plugins DIR or " + PLUGINS_ENV)
                    .atOffset(0);
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(8, length); i++) {
            hex.append(String.format("%02X ", head[i] & 0xFF));
        }
        throw (MalformedStreamException) new MalformedStreamException("no format recognises this stream (it starts "
                + (length == 0 ? "empty" : "with " + hex.toString().trim()) + "); installed: "
                + String.join(", ", byName.keySet())).atOffset(0);
    }
}
