package dev.vmstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.internal.Json;
import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vmstate dump --json} against what QEMU 7.2's {@code scripts/analyze-migration.py} printed
 * for a real stream ({@code src/test/resources/qemu/}): for the three devices we model field for
 * field, the same keys in the same order, the same nesting, and the same renderings (integers as
 * zero-padded hex of their width, byte fields and timers as spaced hex bytes).
 */
class DumpJsonShapeTest {
    private static final Pattern INT = Pattern.compile("0x([0-9a-f]+)( \\(-\\d+\\))?");
    private static final Pattern BYTES = Pattern.compile("[0-9a-f]{2}( [0-9a-f]{2})*");

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> qemu() throws IOException {
        try (InputStream in = DumpJsonShapeTest.class.getResourceAsStream("/qemu/pc-i440fx-7.2-devices.isa.state.json")) {
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> ours() {
        StreamCommandsTest.requireFormat("legacy");
        Path file = dir.resolve("s.legacy");
        assertThat(Cli.run("save", "--format", "legacy", file.toString()).code()).isZero();
        return (Map<String, Object>) Json.parse(StreamCommandsTest.dumpJson(file));
    }

    /** What a value looks like: {@code int8} (hex digits), {@code bytes16}, {@code bool}, or a structure. */
    private static String rendering(Object v) {
        if (v instanceof String s) {
            Matcher m = INT.matcher(s);
            if (m.matches()) {
                return "int" + m.group(1).length() * 4;
            }
            return BYTES.matcher(s).matches() ? "bytes" + (s.length() + 1) / 3 : "string";
        }
        return v instanceof Boolean ? "bool" : v == null ? "null" : v.getClass().getSimpleName();
    }

    /** Compares shapes; the fields of subsections ("name/sub" keys) QEMU did not send may be extra in ours. */
    @SuppressWarnings("unchecked")
    private static void assertSameShape(String path, Object qemu, Object ours) {
        if (qemu instanceof Map<?, ?> q) {
            assertThat(ours).as(path).isInstanceOf(Map.class);
            Map<String, Object> o = (Map<String, Object>) ours;
            List<String> shared = new ArrayList<>(o.keySet());
            shared.removeIf(k -> k.contains("/") && !q.containsKey(k));
            assertThat(shared).as(path + " keys").containsExactlyElementsOf((Iterable<String>) q.keySet());
            for (Map.Entry<?, ?> e : q.entrySet()) {
                assertSameShape(path + "." + e.getKey(), e.getValue(), o.get(e.getKey()));
            }
        } else if (qemu instanceof List<?> q) {
            assertThat(ours).as(path).isInstanceOf(List.class);
            List<Object> o = (List<Object>) ours;
            assertThat(o).as(path + " length").hasSameSizeAs(q);
            for (int i = 0; i < q.size(); i++) {
                assertSameShape(path + "[" + i + "]", q.get(i), o.get(i));
            }
        } else {
            assertThat(rendering(ours)).as(path + ": " + ours + " against QEMU's " + qemu).isEqualTo(rendering(qemu));
        }
    }

    @Test
    void theIsaDevicesHaveTheAnalyzersShape() throws IOException {
        Map<String, Object> qemu = qemu();
        Map<String, Object> ours = ours();
        assertSameShape("mc146818rtc", qemu.get("mc146818rtc (20)"), ours.get("mc146818rtc (1)"));
        assertSameShape("i8254", qemu.get("i8254 (21)"), ours.get("i8254 (2)"));
        assertSameShape("serial", qemu.get("serial (23)"), ours.get("serial (0)"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSampleRtcHoldsTheReferenceStreamsCmosAndBaseTime() throws IOException {
        // SampleMachines.populate copies these from the QEMU 7.2 reference stream
        Map<String, Object> q = (Map<String, Object>) qemu().get("mc146818rtc (20)");
        Map<String, Object> o = (Map<String, Object>) ours().get("mc146818rtc (1)");
        for (String key : new String[] {"cmos_data", "cmos_index", "base_rtc", "periodic_timer", "unused[0]"}) {
            assertThat(o.get(key)).as(key).isEqualTo(q.get(key));
        }
    }

    @Test
    void integersAndTimersRenderAsTheAnalyzerDoes() {
        assertThat(AnalyzerJson.integer(Kind.U8, 0xC1, null)).isEqualTo("0xc1");
        assertThat(AnalyzerJson.integer(Kind.U16, 12, Hint.HEX)).isEqualTo("0x000c");
        assertThat(AnalyzerJson.integer(Kind.I32, -1, null)).isEqualTo("0xffffffff (-1)");
        assertThat(AnalyzerJson.integer(Kind.I8, -2, null)).isEqualTo("0xfe (-2)");
        assertThat(AnalyzerJson.integer(Kind.I64, -1, null)).isEqualTo("0xffffffffffffffff (-1)");
        assertThat(AnalyzerJson.integer(Kind.U64, -1, null)).isEqualTo("0xffffffffffffffff");
        assertThat(AnalyzerJson.integer(Kind.U32, 0xFFFF_FFFFL, null)).isEqualTo("0xffffffff");
        assertThat(AnalyzerJson.integer(Kind.I64, 0x18ea7d38baadaa20L, Hint.TIMER)).isEqualTo("18 ea 7d 38 ba ad aa 20");
        assertThat(AnalyzerJson.integer(Kind.I64, -1, Hint.TIMER)).isEqualTo("ff ff ff ff ff ff ff ff");
    }
}
