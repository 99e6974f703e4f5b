package dev.vmstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.compat.CompatChain;
import dev.vmstate.compat.check.SchemaExport;
import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.internal.Json;
import dev.vmstate.internal.JsonValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #6 item 6, the static checker at the command line: {@code vmstate schema --all --json} exports
 * this build, {@code vmstate check OLD NEW} passes on two exports of it in both directions, and
 * fails (exit 1) on each of a set of deliberately broken NEW exports derived from the real one,
 * one per rule. The broken exports pick their victims from whatever this build registers (a
 * field no step mentions, the first type, ...), so they do not depend on the devices' versions.
 */
class CheckCommandTest {
    /** This build's export, as {@code vmstate schema --all --json} prints it. */
    static String export;

    @TempDir
    Path dir;

    @BeforeAll
    static void exportThisBuild() {
        Cli.Result r = Cli.run("schema", "--all", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        export = r.out();
    }

    // ---- the real chains ---------------------------------------------------------------------

    @Test
    void thisBuildExportedTwiceIsCompatibleInBothDirections() throws IOException {
        Path a = write("a.json", export);
        Cli.Result again = Cli.run("schema", "--all", "--json");
        Path b = write("b.json", again.out());
        assertThat(Files.readString(b)).isEqualTo(Files.readString(a));
        int types = DeviceRegistry.load().types().size();
        for (String[] args : new String[][] {{"check", a.toString(), b.toString()},
            {"check", a.toString(), b.toString(), "--reverse"}}) {
            Cli.Result r = Cli.run(args);
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
            assertThat(r.out().lines()).as(r.toString()).singleElement().asString()
                    .startsWith(types + " device types, " + (args.length == 4 ? "reverse" : "forward"))
                    .endsWith("0 errors, 0 warnings: compatible (OLD " + a + ", NEW " + b + ")");
            assertThat(r.err()).isEmpty();
        }
    }

    @Test
    void theExportHasEveryRegisteredTypeWithItsVersionsAndReadsBack() {
        SchemaExport read = SchemaExport.read(export);
        DeviceRegistry registry = DeviceRegistry.load();
        assertThat(read.chains()).extracting(CompatChain::type)
                .containsExactlyElementsOf(registry.names().stream().sorted().toList());
        for (CompatChain c : read.chains()) {
            CompatChain real = registry.get(c.type()).compat();
            assertThat(c.version()).isEqualTo(real.version());
            assertThat(c.minimumVersion()).isEqualTo(real.minimumVersion());
            for (int v = c.minimumVersion(); v <= c.version(); v++) {
                assertThat(c.schemaAt(v)).as(c.type() + " v" + v).isEqualTo(real.schemaAt(v));
            }
        }
        Map<String, Object> doc = doc();
        assertThat(doc).containsEntry("vmstate_schemas", 1L);
        assertThat(List.copyOf(JsonValues.object(types(doc).get(0), "$").keySet()))
                .containsExactly("type", "version", "minimum", "schema", "steps");
    }

    @Test
    void theJsonReportOfACompatibleCheck() {
        Path a = write("a.json", export);
        Cli.Result r = Cli.run("check", a.toString(), a.toString(), "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        Map<String, Object> m = JsonValues.object(Json.parse(r.out()), "$");
        assertThat(m).containsEntry("vmstate_check", 1L).containsEntry("old", a.toString())
                .containsEntry("direction", "forward").containsEntry("compatible", true)
                .containsEntry("errors", 0L).containsEntry("problems", List.of());
    }

    @Test
    void schemaAllPrintsEveryTypeWithItsSteps() {
        Cli.Result r = Cli.run("schema", "--all");
        assertThat(r.code()).as(r.toString()).isZero();
        for (CompatChain c : SchemaExport.read(export).chains()) {
            assertThat(r.out()).contains(c.type() + " v" + c.version() + " (minimum " + c.minimumVersion() + ")");
            c.steps().forEach(s -> assertThat(r.out()).contains("  step " + s.describe()));
        }
    }

    // ---- one broken NEW per rule -------------------------------------------------------------

    @Test
    void aFieldAddedWithNoStepAndNoBumpFails() {
        String type = firstType();
        Path neu = broken("added.json", doc -> fields(entry(doc, type)).add(field("check_scratch", "uint32", 4)));
        Cli.Result r = check(neu, ExitCodes.NEGATIVE);
        assertThat(r.out()).contains(" check_scratch: uint32 in NEW, not in OLD, and no step adds it with a default"
                + " [field-added]").contains("error: " + type + " v").contains("[no-version-bump]")
                .contains(": 2 errors, 0 warnings: incompatible");
        assertThat(check(neu, ExitCodes.NEGATIVE, "--reverse").out()).contains("[field-added]");
    }

    @Test
    void aTypeNarrowedFails() {
        Victim v = find(f -> Set.of("uint16", "uint32", "uint64").contains(f.get("type")) && !f.containsKey("array_len")
                && !f.containsKey("varray"));
        Path neu = broken("narrowed.json", doc -> {
            Map<String, Object> f = fields(entry(doc, v.type())).get(v.index());
            f.put("type", "uint8");
            f.put("size", 1L);
        });
        assertThat(check(neu, ExitCodes.NEGATIVE).out()).contains("error: " + v.type() + " v")
                .contains(" " + v.name() + ": narrowed from " + v.field().get("type") + " in OLD to uint8 in NEW, and"
                        + " no step retypes it (uint8 holds only 0..255) [type-narrowed]");
    }

    @Test
    void aFieldRemovedWithNoStepFails() {
        Victim v = find(f -> true);
        Path neu = broken("removed.json", doc -> fields(entry(doc, v.type())).remove(v.index()));
        assertThat(check(neu, ExitCodes.NEGATIVE).out())
                .contains(" " + v.name() + ": ").contains(" in OLD, not in NEW, and no step removes it [field-removed]");
    }

    @Test
    void aLayoutChangedWithoutAVersionBumpFails() {
        Victim v = find(f -> true, true);
        Path neu = broken("swapped.json", doc -> {
            List<Map<String, Object>> fs = fields(entry(doc, v.type()));
            fs.add(v.index(), fs.remove(v.index() + 1));
        });
        assertThat(check(neu, ExitCodes.NEGATIVE).out()).contains("error: " + v.type() + " v")
                .contains(": the layout changed (1 incompatible difference) but both builds call it v")
                .contains("[no-version-bump]").contains("[order-changed]");
    }

    @Test
    void aMinimumRaisedPastASupportedStreamFails() {
        String type = firstType();
        long version = (Long) entry(doc(), type).get("version");
        Path neu = broken("minimum.json", doc -> {
            Map<String, Object> e = entry(doc, type);
            long next = version + 1;
            e.put("version", next);
            e.put("minimum", next);
            e.put("steps", List.of());
            schema(e).put("version", next);
            schema(e).put("minimum_version", next);
        });
        assertThat(check(neu, ExitCodes.NEGATIVE).out()).contains("error: " + type + " v" + version + ": OLD writes v"
                + version + ", NEW reads only from v" + (version + 1) + " (its minimum version) [minimum-raised]");
        assertThat(check(neu, ExitCodes.NEGATIVE, "--reverse").out()).contains("NEW cannot downgrade below its"
                + " minimum version v" + (version + 1) + " [minimum-raised]");
    }

    @Test
    void aVersionBelowTheOldOneFailsForwardOnly() {
        SchemaExport real = SchemaExport.read(export);
        CompatChain victim = real.chains().stream().filter(c -> c.version() > c.minimumVersion()).findFirst()
                .orElseThrow(() -> new AssertionError("no type with more than one version"));
        int older = victim.version() - 1;
        List<CompatChain> chains = new ArrayList<>(real.chains());
        chains.replaceAll(c -> c == victim
                ? CompatChain.of(victim.schemaAt(older).withVersions(older, older)).build() : c);
        Path neu = write("older.json", SchemaExport.of(chains, "test").toJson());
        assertThat(check(neu, ExitCodes.NEGATIVE).out()).contains("error: " + victim.type() + " v" + victim.version()
                + ": OLD writes v" + victim.version() + ", NEW reads only up to v" + older + " [version-decreased]");
        // NEW writes its v(older), which OLD still reads
        assertThat(check(neu, ExitCodes.OK, "--reverse").out()).contains(": 0 errors, 0 warnings: compatible");
    }

    @Test
    void aMustUnderstandSectionTheReaderLacksFails() {
        String type = firstType();
        Path withSection = broken("must.json", doc -> subsections(entry(doc, type)).add(section(type, true)));
        // NEW -> OLD: OLD does not know the section NEW may send, and must not skip it
        assertThat(check(withSection, ExitCodes.NEGATIVE, "--reverse").out()).contains("error: " + type + " v")
                .contains(" " + type + "/check-test: must-understand section in NEW, not in OLD, and no step adds it:"
                        + " OLD refuses a state that holds it [section-unknown]");
        // OLD -> NEW: NEW has a section OLD never sends, which reads as absent
        assertThat(check(withSection, ExitCodes.OK).out()).contains("warning: " + type + " v")
                .contains("[section-not-sent]").contains(": 0 errors, 1 warning: compatible");
        // the reader being NEW: OLD has the section, NEW lacks it
        Path old = withSection;
        Path neu = write("real.json", export);
        Cli.Result r = Cli.run("check", old.toString(), neu.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.NEGATIVE);
        assertThat(r.out()).contains("must-understand section in OLD, not in NEW, and no step removes it: NEW refuses a state"
                + " that holds it");
    }

    @Test
    void anOptionalSectionTheReaderLacksIsOnlyAWarning() {
        String type = firstType();
        Path old = broken("optional.json", doc -> subsections(entry(doc, type)).add(section(type, false)));
        Cli.Result r = Cli.run("check", old.toString(), write("real.json", export).toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("warning: " + type + " v").contains(" " + type + "/check-test: optional section"
                + " in OLD, not in NEW, and no step removes it: NEW skips it when present").contains("[section-unknown]");
    }

    @Test
    void aTypeTheReaderLacksFailsForwardAndWarnsInReverse() {
        String type = firstType();
        Path neu = broken("missing.json", doc -> types(doc).remove(0));
        assertThat(check(neu, ExitCodes.NEGATIVE).out()).contains("error: " + type + " v")
                .contains(": device type in OLD (v").contains("not in NEW: NEW refuses its sections [type-missing]");
        assertThat(check(neu, ExitCodes.OK, "--reverse").out()).contains("warning: " + type + " v")
                .contains("[type-not-sent]");
    }

    @Test
    void theJsonReportListsEachProblem() {
        Victim v = find(f -> true);
        Path neu = broken("removed.json", doc -> fields(entry(doc, v.type())).remove(v.index()));
        Cli.Result r = check(neu, ExitCodes.NEGATIVE, "--json");
        Map<String, Object> m = JsonValues.object(Json.parse(r.out()), "$");
        assertThat(m).containsEntry("compatible", false).containsEntry("new", neu.toString());
        List<Object> problems = JsonValues.array(m.get("problems"), "$.problems");
        assertThat(problems).extracting(p -> JsonValues.object(p, "p").get("rule"))
                .contains("no-version-bump", "field-removed");
        Map<String, Object> removed = problems.stream().map(p -> JsonValues.object(p, "p"))
                .filter(p -> p.get("rule").equals("field-removed")).findFirst().orElseThrow();
        assertThat(removed).containsEntry("severity", "error").containsEntry("type", v.type())
                .containsEntry("path", v.name()).containsKey("versions").containsKey("message");
    }

    // ---- bad input and usage -----------------------------------------------------------------

    @Test
    void anExportThatCannotBeReadIsBadInputNamingTheFileAndThePlace() throws IOException {
        Path good = write("good.json", export);
        Path missing = dir.resolve("missing.json");
        Cli.Result r = Cli.run("check", good.toString(), missing.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.errLines()).containsExactly("vmstate: no such file: " + missing);
        assertThat(r.out()).isEmpty();

        Path text = write("text.json", "not json");
        r = Cli.run("check", text.toString(), good.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.errLines()).singleElement().asString().startsWith("vmstate: " + text + ": invalid JSON: ");

        Path notExport = write("schema.json", Cli.run("schema", firstType(), "--json").out());
        r = Cli.run("check", good.toString(), notExport.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.errLines()).containsExactly("vmstate: " + notExport + ": $: not a schema export: no"
                + " \"vmstate_schemas\" member (vmstate schema --all --json writes one)");

        Victim v = find(f -> true);
        Path badType = broken("uint9.json", doc -> fields(entry(doc, v.type())).get(v.index()).put("type", "uint9"));
        r = Cli.run("check", good.toString(), badType.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.errLines()).containsExactly("vmstate: " + badType + ": $.types[" + v.typeIndex() + "].schema.fields["
                + v.index() + "].type: unknown type \"uint9\"");

        Path badStep = broken("step.json", doc -> entry(doc, v.type()).put("steps", List.of(Map.of("from", -1L))));
        r = Cli.run("check", badStep.toString(), good.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.errLines()).singleElement().asString().startsWith("vmstate: " + badStep + ": $.types["
                + v.typeIndex() + "].steps[0]");

        Files.write(dir.resolve("latin1.json"), new byte[] {'{', (byte) 0xE9, '}'});
        r = Cli.run("check", good.toString(), dir.resolve("latin1.json").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.errLines()).singleElement().asString().contains("latin1.json: not UTF-8 text");

        r = Cli.run("check", dir.toString(), good.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.errLines()).containsExactly("vmstate: " + dir + ": a directory, not a schema export");
    }

    @Test
    void usageErrorsExitTwo() {
        Path good = write("good.json", export);
        assertThat(Cli.run("check", good.toString()).code()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("check", good.toString(), good.toString(), "--bogus").code()).isEqualTo(ExitCodes.USAGE);
        Cli.Result both = Cli.run("schema", "--all", firstType());
        assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("give a TYPE or --all, not both");
        Cli.Result version = Cli.run("schema", "--all", "--version", "1");
        assertThat(version.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(version.err()).contains("--version N takes one TYPE, not --all");
        Cli.Result none = Cli.run("schema");
        assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("missing TYPE");
    }

    @Test
    void helpListsTheExitStatuses() {
        Cli.Result r = Cli.run("check", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--reverse").contains("--json").contains("Exit status:")
                .containsPattern("1\\s+a negative answer").containsPattern("3\\s+bad input");
        assertThat(Cli.run("schema", "--help").out()).contains("--all");
        assertThat(Cli.run("--help").out()).contains("check");
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** A root-level field of a type that no step of the type mentions, so editing it leaves the steps valid. */
    record Victim(String type, int typeIndex, int index, Map<String, Object> field) {
        String name() {
            return (String) field.get("name");
        }
    }

    private Cli.Result check(Path neu, int expected, String... more) {
        List<String> args = new ArrayList<>(List.of("check", write("old.json", export).toString(), neu.toString()));
        args.addAll(List.of(more));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isEqualTo(expected);
        assertThat(r.err()).as(r.toString()).isEmpty();
        return r;
    }

    private static Victim find(java.util.function.Predicate<Map<String, Object>> ok) {
        return find(ok, false);
    }

    /** The first untouched root field matching {@code ok}; with {@code pair}, one whose successor is untouched too. */
    private static Victim find(java.util.function.Predicate<Map<String, Object>> ok, boolean pair) {
        List<Object> types = types(doc());
        for (int t = 0; t < types.size(); t++) {
            Map<String, Object> e = JsonValues.object(types.get(t), "$");
            Set<String> touched = new HashSet<>();
            collectStrings(e.get("steps"), touched);
            List<Map<String, Object>> fs = fields(e);
            for (int i = 0; i < fs.size() - (pair ? 1 : 0); i++) {
                Map<String, Object> f = fs.get(i);
                if (ok.test(f) && !touched.contains(f.get("name"))
                        && (!pair || !touched.contains(fs.get(i + 1).get("name")))) {
                    return new Victim((String) e.get("type"), t, i, f);
                }
            }
        }
        throw new AssertionError("no device type has a root field that no step mentions");
    }

    private static void collectStrings(Object v, Set<String> out) {
        if (v instanceof String s) {
            out.add(s);
        } else if (v instanceof Map<?, ?> m) {
            m.values().forEach(x -> collectStrings(x, out));
        } else if (v instanceof List<?> l) {
            l.forEach(x -> collectStrings(x, out));
        }
    }

    private static String firstType() {
        return (String) JsonValues.object(types(doc()).get(0), "$").get("type");
    }

    private static Map<String, Object> doc() {
        return JsonValues.object(Json.parse(export), "$");
    }

    private static List<Object> types(Map<String, Object> doc) {
        return JsonValues.array(doc.get("types"), "$.types");
    }

    private static Map<String, Object> entry(Map<String, Object> doc, String type) {
        return types(doc).stream().map(t -> JsonValues.object(t, "$")).filter(t -> t.get("type").equals(type))
                .findFirst().orElseThrow();
    }

    private static Map<String, Object> schema(Map<String, Object> entry) {
        return JsonValues.object(entry.get("schema"), "schema");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> fields(Map<String, Object> entry) {
        return (List<Map<String, Object>>) (List<?>) JsonValues.array(schema(entry).get("fields"), "fields");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> subsections(Map<String, Object> entry) {
        return (List<Object>) schema(entry).computeIfAbsent("subsections", k -> new ArrayList<>());
    }

    private static Map<String, Object> field(String name, String type, long size) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("type", type);
        f.put("size", size);
        return f;
    }

    private static Map<String, Object> section(String type, boolean mustUnderstand) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("vmsd_name", type + "/check-test");
        s.put("version", 1L);
        s.put("fields", List.of(field("x", "uint8", 1)));
        if (mustUnderstand) {
            s.put("must_understand", true);
        }
        return s;
    }

    private Path broken(String name, Consumer<Map<String, Object>> edit) {
        Map<String, Object> doc = doc();
        edit.accept(doc);
        return write(name, Json.pretty(doc));
    }

    private Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
