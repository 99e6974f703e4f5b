package dev.vmstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.MachineStreams;
import dev.vmstate.device.pit.I8254;
import dev.vmstate.device.rtc.Mc146818Rtc;
import dev.vmstate.device.serial.Serial;
import dev.vmstate.spi.Formats;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.QemuVm;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #7 against a real QEMU 7.2 (Debian's {@code qemu-system-x86}, installed by
 * {@code .ci/run}): streams vmstate writes load into QEMU started with the same machine and
 * {@code -incoming}, and what QEMU migrates back out shows what vmstate changed. QEMU runs as
 * {@code make-streams.sh} runs it: no guest, {@code -S}, QMP on a unix socket, files through
 * {@code exec:cat}.
 */
@Tag("qemu")
class QemuInteropTest {
    private static final Duration MIGRATION = Duration.ofSeconds(60);
    /** make-streams.sh's C and D argument sets: the machine of pc-i440fx-7.2-devices. */
    private static final List<String> COMMON = List.of("-m", "16", "-nodefaults", "-display", "none", "-accel", "tcg",
            "-rtc", "base=2023-01-01T00:00:00");
    private static final List<String> DEVS = List.of("-serial", "null", "-netdev", "user,id=n0,restrict=on",
            "-device", "e1000,netdev=n0,mac=52:54:00:12:34:56");
    private static final String DEVICES = "pc-i440fx-7.2-devices";

    @TempDir
    Path dir;

    private static List<String> args(String machine, List<String> extra, String... more) {
        List<String> a = new ArrayList<>(List.of("-M", machine));
        a.addAll(COMMON);
        a.addAll(extra);
        a.addAll(List.of(more));
        return a;
    }

    /** Loads {@code stream} into a fresh QEMU with {@code args}, migrates it out and returns that stream. */
    private Path throughQemu(Path stream, List<String> args) throws Exception {
        Path out = dir.resolve(stream.getFileName() + ".out.mig");
        List<String> a = new ArrayList<>(args);
        a.addAll(List.of("-S", "-incoming", "defer"));
        try (QemuVm vm = QemuVm.start(dir, a)) {
            vm.loadFrom(stream, MIGRATION);
            vm.saveTo(out, MIGRATION);
        }
        assertThat(Files.size(out)).isPositive();
        return out;
    }

    private static WireFormat legacy() {
        return Formats.builtIn().get("legacy");
    }

    /** Reads {@code file} with vmstate's device models where they fit, handing every record to {@code each}. */
    private static void read(Path file, Consumer<StreamRecord> each) throws IOException {
        DeviceRegistry registry = DeviceRegistry.load();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ReadOptions options = legacy().prepare(ch, ReadOptions.defaults()
                    .withSchemas(MachineStreams.schemas(registry)).withTargets(MachineStreams.decoders(registry)));
            StreamReader r = legacy().openReader(ByteSource.of(ch), options);
            for (StreamRecord rec = r.next(); rec != null; rec = r.next()) {
                each.accept(rec);
            }
        }
    }

    private static <T> T device(Path file, Class<T> type) throws IOException {
        List<T> found = new ArrayList<>();
        read(file, r -> {
            if (r instanceof DeviceSection s && type.isInstance(s.state())) {
                found.add(type.cast(s.state()));
            }
        });
        assertThat(found).as(type.getSimpleName() + " sections of " + file).hasSize(1);
        return found.get(0);
    }

    @Test
    void aStreamConvertedThroughAnotherFormatLoadsIntoQemu() throws Exception {
        Path original = QemuStreamsDumpTest.dir().resolve(DEVICES + ".mig");
        Path cbor = dir.resolve("dev.cbor");
        Path back = dir.resolve("dev-back.mig");
        assertThat(Cli.run("convert", original.toString(), cbor.toString(), "--to", "cbor").code()).isZero();
        assertThat(Cli.run("convert", cbor.toString(), back.toString(), "--to", "legacy").code()).isZero();
        assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(original));

        Path out = throughQemu(back, args("pc-i440fx-7.2", DEVS));
        Cli.Result dump = Cli.run("dump", out.toString());
        assertThat(dump.code()).as(dump.err()).isZero();
        assertThat(device(out, Serial.class).state().divider).isEqualTo(device(original, Serial.class).state().divider);
    }

    @Test
    void aChangedSerialRegisterAndCmosByteComeBackOutOfQemu() throws Exception {
        Path original = QemuStreamsDumpTest.dir().resolve(DEVICES + ".mig");
        assertThat(device(original, Serial.class).state().scr).isZero();
        assertThat(device(original, Mc146818Rtc.class).cmosData[0x40]).isZero();

        // read with the models, change two registers QEMU keeps as they are (the clock bytes below
        // 0x0e it rewrites before saving), write the stream again
        Path changed = dir.resolve("changed.mig");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(changed));
                StreamWriter w = legacy().openWriter(os, WriteOptions.defaults())) {
            read(original, r -> {
                if (r instanceof DeviceSection s && s.state() instanceof Serial serial) {
                    serial.state().scr = 0x5a;
                } else if (r instanceof DeviceSection s && s.state() instanceof Mc146818Rtc rtc) {
                    rtc.cmosData[0x40] = (byte) 0xa5;
                }
                w.write(r);
            });
        }
        assertThat(Files.size(changed)).isEqualTo(Files.size(original));

        Path out = throughQemu(changed, args("pc-i440fx-7.2", DEVS));
        assertThat(device(out, Serial.class).state().scr).isEqualTo(0x5a);
        assertThat(device(out, Mc146818Rtc.class).cmosData[0x40]).isEqualTo((byte) 0xa5);
    }

    @Test
    void sectionsDowngradedToOlderVersionsLoadIntoQemu() throws Exception {
        Path original = QemuStreamsDumpTest.dir().resolve(DEVICES + ".mig");
        Mc146818Rtc before = device(original, Mc146818Rtc.class);
        for (List<String> targets : List.of(List.of("mc146818rtc=1", "i8254=2", "serial=2"), List.of("mc146818rtc=2"))) {
            Path down = dir.resolve("down-" + targets.get(0).replace('=', '-') + ".mig");
            List<String> cmd = new ArrayList<>(List.of("convert", original.toString(), down.toString(), "--to",
                    "legacy", "--allow-loss"));
            targets.forEach(t -> cmd.addAll(List.of("--target-version", t)));
            Cli.Result r = Cli.run(cmd.toArray(String[]::new));
            assertThat(r.code()).as(r.err()).isZero();
            Cli.Result dump = Cli.run("dump", down.toString());
            for (String t : targets) {
                String[] tv = t.split("=");
                assertThat(dump.out()).containsPattern("device section \\d+: " + tv[0] + "/0 v" + tv[1] + "[ ,]");
            }

            Path out = throughQemu(down, args("pc-i440fx-7.2", DEVS));
            // QEMU saves its own version again; the CMOS contents (all versions carry them) came through
            Cli.Result after = Cli.run("dump", out.toString());
            assertThat(after.out()).containsPattern("device section \\d+: mc146818rtc/0 v3, read by vmstate's model");
            assertThat(java.util.Arrays.copyOfRange(device(out, Mc146818Rtc.class).cmosData, 0x0e, 128))
                    .as(String.join(" ", targets)).isEqualTo(java.util.Arrays.copyOfRange(before.cmosData, 0x0e, 128));
            assertThat(device(out, I8254.class).channel(0).count).isEqualTo(device(original, I8254.class).channel(0).count);
        }
    }

    @Test
    void aQ35StreamMadeNowWithAnIsaSerialDumpsRoundTripsAndLoadsBack() throws Exception {
        // not one of ../shared/qemu-streams: another machine type, another RAM size, made by this run
        List<String> q35 = args("pc-q35-7.2", List.of("-serial", "null"));
        q35.set(q35.indexOf("16"), "32");
        Path made = dir.resolve("q35-serial.mig");
        List<String> src = new ArrayList<>(q35);
        src.add("-S");
        try (QemuVm vm = QemuVm.start(dir, src)) {
            vm.saveTo(made, MIGRATION);
        }

        Cli.Result dump = Cli.run("dump", made.toString());
        assertThat(dump.code()).as(dump.err()).isZero();
        assertThat(dump.out()).containsPattern("device section \\d+: serial/0 v3, read by vmstate's model")
                .contains("header: stream version 3, machine type pc-q35-7.2")
                .contains("pc.ram: 33554432 bytes").contains(Files.size(made) + " bytes read");
        Cli.Result digest = Cli.run("dump", made.toString(), "--ram=digest", "--json");
        assertThat(digest.code()).as(digest.err()).isZero();
        assertThat(digest.out()).contains("\"pc.ram\": {").contains("\"size\": \"0x2000000\"");
        Cli.Result json = Cli.run("dump", made.toString(), "--json");
        assertThat(json.code()).as(json.err()).isZero();
        assertThat(json.out()).contains("\"serial (").contains("\"divider\": \"0x000c\"");

        byte[] original = Files.readAllBytes(made);
        for (String f : List.of("json", "cbor", "asn1-ber", "asn1-der")) {
            Path there = dir.resolve("q35." + f);
            Path back = dir.resolve("q35-" + f + ".mig");
            assertThat(Cli.run("convert", made.toString(), there.toString(), "--to", f).code()).as(f).isZero();
            assertThat(Cli.run("convert", there.toString(), back.toString(), "--to", "legacy").code()).as(f).isZero();
            assertThat(Files.readAllBytes(back)).as("q35 -> " + f + " -> legacy").isEqualTo(original);
        }
        Path out = throughQemu(made, q35);
        assertThat(Cli.run("dump", out.toString()).code()).isZero();
    }
}
