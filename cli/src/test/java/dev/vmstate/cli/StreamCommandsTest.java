package dev.vmstate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vmstate.internal.Json;
import dev.vmstate.spi.Formats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code save}, {@code dump}, {@code load} and {@code convert} end to end, in-process, through the
 * built-in formats (#3). A built-in format that is not on the class path fails these tests by
 * name rather than skipping them: the CLI ships with both.
 */
class StreamCommandsTest {
    static final List<String> BUILT_IN = List.of("legacy", "json", "cbor", "asn1-ber", "asn1-der");

    @TempDir
    Path dir;

    static java.util.stream.Stream<String> builtIn() {
        return BUILT_IN.stream();
    }

    /** Fails, naming the module, when {@code format} is not on the class path. */
    static void requireFormat(String format) {
        if (Formats.builtIn().find(format).isEmpty()) {
            fail("format \"" + format + "\" is not on the class path (is formats/" + format + " finished and built?)");
        }
    }

    Path save(String format) {
        requireFormat(format);
        Path file = dir.resolve("s." + format);
        Cli.Result r = Cli.run("save", "--machine", "sample-pc", "--format", format, file.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).matches("saved sample-pc \\(6 devices\\) as " + format + " to .*: \\d+ bytes\\R");
        assertThat(file).isNotEmptyFile();
        return file;
    }

    static String dumpJson(Path file) {
        Cli.Result r = Cli.run("dump", file.toString(), "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        return r.out();
    }

    @Test
    void formatsListsTheBuiltInsOneLineEachNameFirst() {
        Cli.Result r = Cli.run("formats");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> names = r.out().lines().map(l -> l.split("\\s+")[0]).toList();
        for (String f : BUILT_IN) {
            requireFormat(f);
            assertThat(names).contains(f);
            String line = r.out().lines().filter(l -> l.startsWith(f + " ")).findFirst().orElseThrow();
            assertThat(line).contains(Formats.builtIn().get(f).capabilities().summary());
        }
        assertThat(names).doesNotHaveDuplicates().isSorted();
        // #5: protobuf is a plugin; the CLI's own class path (and so its jar) does not hold it
        assertThat(names).doesNotContain("protobuf");
    }

    @ParameterizedTest
    @MethodSource("builtIn")
    void saveThenDumpShowsHeaderTreeSectionsAndEnd(String format) {
        Path file = save(format);
        Cli.Result r = Cli.run("dump", file.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("stream " + file + ": format " + format + " (")
                .contains("header: stream version 3, machine type sample-pc")
                .contains("device tree: machine sample-pc, 6 devices")
                .containsPattern("\\n  com1 +serial +isa\\.0 +chardev=null iobase=1016 irq=4")
                .contains("device section 0: serial/0 v3, read by vmstate's model (serial v3)")
                .contains("device section 3: 0000:00:03.0/vs-pci-nic/0 v")
                .contains("device section 5: vs-ramblock/0 v3")
                .contains("    lcr = 0x03 (WLEN0|WLEN1)")
                .contains("end of state")
                .containsPattern("description: (\\d+ bytes of JSON|to be generated)")
                .containsPattern("\\d+ records, 6 sections, 0 ram pages");
        Cli.Result forced = Cli.run("dump", "--format", format, file.toString());
        assertThat(forced.out()).isEqualTo(r.out());
    }

    @ParameterizedTest
    @MethodSource("builtIn")
    void loadFillsEveryDeviceModel(String format) {
        Path file = save(format);
        Cli.Result r = Cli.run("load", file.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("loaded " + file + " (" + format + ", ")
                .contains("devices loaded into models: 6").contains("com1 <- serial/0 v3")
                .contains("ram0 <- vs-ramblock/0 v3").contains("sections kept generic: 0")
                .contains("end of state: yes");
    }

    @ParameterizedTest
    @MethodSource("builtIn")
    void convertKeepsEveryStateAndBackGivesTheSameDump(String format) {
        Path original = save(format);
        String expected = dumpJson(original);
        for (String to : BUILT_IN) {
            requireFormat(to);
            Path converted = dir.resolve("c." + format + "." + to);
            Cli.Result r = Cli.run("convert", original.toString(), converted.toString(), "--to", to);
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).contains("converted " + original + " (" + format + ") to " + converted + " (" + to
                    + "): 9 records, 6 device sections, 0 ram pages");
            assertThat(dumpJson(converted)).as(format + " -> " + to).isEqualTo(expected);
            Path back = dir.resolve("b." + format + "." + to + "." + format);
            assertThat(Cli.run("convert", converted.toString(), back.toString(), "--to", format).code()).isZero();
            assertThat(dumpJson(back)).as(format + " -> " + to + " -> " + format).isEqualTo(expected);
            assertThat(Cli.run("load", back.toString()).out()).contains("devices loaded into models: 6");
        }
    }

    @Test
    void schemaRefsMakeASmallerCborStreamThatReadsWithTheRegistry() throws IOException {
        requireFormat("cbor");
        Path legacy = save("legacy");
        Path whole = dir.resolve("refs-whole.cbor");
        Path refs = dir.resolve("refs.cbor");
        assertThat(Cli.run("save", "--format", "cbor", whole.toString()).code()).isZero();
        Cli.Result saved = Cli.run("save", "--format", "cbor", "--schema-refs", refs.toString());
        assertThat(saved.code()).as(saved.toString()).isZero();
        assertThat(Files.size(refs)).isLessThan(Files.size(whole) / 2);
        assertThat(dumpJson(refs)).isEqualTo(dumpJson(legacy));
        assertThat(Cli.run("load", refs.toString()).out()).contains("devices loaded into models: 6");
        // converting embeds the schemas again unless asked not to, and the chain back is byte-identical
        Path embedded = dir.resolve("refs-embedded.cbor");
        assertThat(Cli.run("convert", refs.toString(), embedded.toString(), "--to", "cbor").code()).isZero();
        assertThat(Files.readAllBytes(embedded)).isEqualTo(Files.readAllBytes(whole));
        Path refsAgain = dir.resolve("refs-again.cbor");
        assertThat(Cli.run("convert", legacy.toString(), refsAgain.toString(), "--to", "cbor", "--schema-refs")
                .code()).isZero();
        Path back = dir.resolve("refs-back.legacy");
        assertThat(Cli.run("convert", refsAgain.toString(), back.toString(), "--to", "legacy").code()).isZero();
        assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(legacy));
    }

    @Test
    void legacyToJsonToLegacyIsByteIdentical() throws IOException {
        Path legacy = save("legacy");
        requireFormat("json");
        Path json = dir.resolve("c.json");
        Path again = dir.resolve("c.legacy");
        assertThat(Cli.run("convert", legacy.toString(), json.toString(), "--to", "json").code()).isZero();
        assertThat(Cli.run("convert", json.toString(), again.toString(), "--to", "legacy").code()).isZero();
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(legacy));
        // The same through standard input and output. A pipe cannot be searched for legacy's
        // trailer before the stream is read, so the json carries the device tree only in the
        // description; back in legacy the bytes are the same.
        Cli.Result toJson = Cli.run(Map.of(), Files.readAllBytes(legacy), "convert", "-", "-", "--to", "json");
        assertThat(toJson.code()).as(toJson.toString()).isZero();
        assertThat(toJson.out()).isEmpty();
        assertThat(toJson.err()).contains("converted standard input (legacy) to standard output (json)");
        Cli.Result back = Cli.run(Map.of(), toJson.stdout(), "convert", "-", "-", "--to", "legacy");
        assertThat(back.code()).as(back.toString()).isZero();
        assertThat(back.stdout()).isEqualTo(Files.readAllBytes(legacy));
    }

    @ParameterizedTest
    @MethodSource("builtIn")
    void saveToStandardOutputAndDumpFromStandardInput(String format) throws IOException {
        Path file = save(format);
        Cli.Result saved = Cli.run("save", "--format", format, "-");
        assertThat(saved.code()).as(saved.toString()).isZero();
        assertThat(saved.out()).isEmpty();
        assertThat(saved.err()).contains("as " + format + " to standard output");
        assertThat(saved.stdout()).isEqualTo(Files.readAllBytes(file));
        Cli.Result dumped = Cli.run(Map.of(), saved.stdout(), "dump", "-", "--json");
        assertThat(dumped.code()).as(dumped.toString()).isZero();
        assertThat(dumped.out()).isEqualTo(dumpJson(file));
    }

    @ParameterizedTest
    @MethodSource("builtIn")
    void dumpJsonIsOneObjectKeyedByIdstrAndSectionId(String format) {
        Object parsed = Json.parse(dumpJson(save(format)));
        assertThat(parsed).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) parsed).keySet()).extracting(Object::toString).containsExactly("serial (0)", "mc146818rtc (1)", "i8254 (2)",
                "0000:00:03.0/vs-pci-nic (3)", "0000:00:04.0/vs-virtio-dev (4)", "vs-ramblock (5)");
    }

    @ParameterizedTest
    @MethodSource("builtIn")
    void damagedFilesExitZeroOrThreeWithOneLineAndNoTrace(String format) throws IOException {
        byte[] good = Files.readAllBytes(save(format));
        int n = good.length;
        List<byte[]> cases = new ArrayList<>();
        for (int cut : new TreeSet<>(List.of(0, 1, 3, 7, 15, 63, 64, 65, n / 4, n / 2, 3 * n / 4, n - 2, n - 1))) {
            cases.add(java.util.Arrays.copyOf(good, cut));
        }
        Random rnd = new Random(3);
        for (int i = 0; i < 24; i++) {
            byte[] flipped = good.clone();
            flipped[rnd.nextInt(n)] ^= (byte) (1 + rnd.nextInt(255));
            cases.add(flipped);
        }
        int rejected = 0;
        for (int i = 0; i < cases.size(); i++) {
            Path bad = dir.resolve("bad" + i + "." + format);
            Files.write(bad, cases.get(i));
            for (String[] args : new String[][] {{"dump", bad.toString()}, {"dump", bad.toString(), "--json"},
                {"dump", bad.toString(), "--format", format}, {"load", bad.toString()}}) {
                Cli.Result r = Cli.run(args);
                String what = String.join(" ", args) + " (" + cases.get(i).length + " bytes)\n" + r;
                assertThat(r.code()).as(what).isIn(ExitCodes.OK, ExitCodes.BAD_INPUT);
                assertThat(r.out() + r.err()).as(what).doesNotContain("Exception").doesNotContain("\tat ");
                if (r.code() == ExitCodes.BAD_INPUT) {
                    rejected++;
                    assertThat(r.errLines()).as(what).hasSize(1);
                    assertThat(r.err()).as(what).startsWith("vmstate: " + bad + ": ");
                }
            }
        }
        assertThat(rejected).as("truncations must be rejected").isGreaterThanOrEqualTo(4 * 5);
    }

    @ParameterizedTest
    @MethodSource("builtIn")
    void aTruncatedFileNamesFileFormatAndOffset(String format) throws IOException {
        byte[] good = Files.readAllBytes(save(format));
        Path bad = dir.resolve("half." + format);
        Files.write(bad, java.util.Arrays.copyOf(good, good.length / 2));
        Cli.Result r = Cli.run("dump", bad.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("vmstate: " + bad + ": ").contains("[" + format + "]")
                .containsPattern("byte offset #\\d+");
    }

    @ParameterizedTest
    @MethodSource("builtIn")
    void aFailedConvertLeavesNoFileAndKeepsAnOldOne(String format) throws IOException {
        byte[] good = Files.readAllBytes(save(format));
        Path bad = dir.resolve("half." + format);
        Files.write(bad, java.util.Arrays.copyOf(good, good.length / 2));
        Path out = dir.resolve("out.json");
        Cli.Result r = Cli.run("convert", bad.toString(), out.toString(), "--to", "json");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.errLines()).hasSize(1);
        assertThat(out).doesNotExist();
        Files.writeString(out, "precious");
        assertThat(Cli.run("convert", bad.toString(), out.toString(), "--to", "json").code())
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(out).hasContent("precious");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("s." + format, "half." + format, "out.json");
        }
    }

    @Test
    void unknownFormatsAndMachinesAreUsageErrors() {
        save("legacy");
        String in = dir.resolve("s.legacy").toString();
        String[][] cases = {
            {"save", "--format", "nope", dir.resolve("x").toString()},
            {"dump", in, "--format", "nope"},
            {"load", in, "--format", "nope"},
            {"convert", in, dir.resolve("y").toString(), "--to", "nope"},
            {"convert", in, dir.resolve("y").toString(), "--to", "json", "--from", "nope"},
        };
        for (String[] args : cases) {
            Cli.Result r = Cli.run(args);
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(String.join(" ", args)).startsWith("unknown format \"nope\"; installed: ")
                    .contains("legacy").contains("--plugins DIR").doesNotContain("Exception");
        }
        for (String sub : new String[] {"save", "load"}) {
            Cli.Result r = sub.equals("save") ? Cli.run("save", "--machine", "pc-q35", "--format", "legacy", "x")
                    : Cli.run("load", in, "--machine", "pc-q35");
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).startsWith("unknown machine \"pc-q35\"; built in: sample-pc");
        }
        assertThat(Cli.run("save", "x").code()).as("--format is required").isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("convert", in, "y").code()).as("--to is required").isEqualTo(ExitCodes.USAGE);
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(dir.resolve("y")).doesNotExist();
    }

    @Test
    void missingDirectoryAndUnrecognisedInputsAreBadInput() throws IOException {
        Path missing = dir.resolve("missing.bin");
        Path garbage = dir.resolve("garbage.bin");
        Files.write(garbage, "this is not a vmstate stream at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Path empty = Files.createFile(dir.resolve("empty.bin"));
        String[][] cases = {
            {"dump", missing.toString()}, {"load", missing.toString()},
            {"convert", missing.toString(), dir.resolve("o").toString(), "--to", "legacy"},
            {"dump", dir.toString()}, {"load", dir.toString()}, {"dump", dir.toString(), "--json"},
            {"dump", garbage.toString()}, {"dump", empty.toString()}, {"load", garbage.toString()},
            {"save", "--format", "legacy", dir.toString()},
            {"save", "--format", "legacy", dir.resolve("no/such/dir/out").toString()},
        };
        for (String[] args : cases) {
            Cli.Result r = Cli.run(args);
            String what = String.join(" ", args) + "\n" + r;
            assertThat(r.code()).as(what).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(r.errLines()).as(what).hasSize(1);
            assertThat(r.err()).as(what).startsWith("vmstate: ").doesNotContain("Exception");
        }
        assertThat(Cli.run("dump", missing.toString()).err()).isEqualTo("vmstate: no such file: " + missing + "\n");
        assertThat(Cli.run("dump", dir.toString()).err()).contains("is a directory");
        assertThat(Cli.run("dump", garbage.toString()).err()).contains(garbage.toString())
                .contains("no format recognises this stream (it starts with 74 68 69 73");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void anUnreadableFileIsBadInput() throws IOException {
        Path file = save("legacy");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(file),
                "running as root: every file is readable, so unreadable input cannot be tested here");
        Cli.Result r = Cli.run("dump", file.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.errLines()).containsExactly("vmstate: permission denied: " + file);
    }
}
