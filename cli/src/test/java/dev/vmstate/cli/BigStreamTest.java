package dev.vmstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.MachineStreams;
import dev.vmstate.device.SampleMachines;
import dev.vmstate.spi.Formats;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.IterativeSection.SectionType;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamRecord;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #3 acceptance: every subcommand streams, so a 256 MiB stream (the sample devices plus RAM page
 * records) dumps, loads and converts in a JVM with a 64 MiB heap. Runs the CLI in a child JVM
 * with {@code -Xmx64m}; the stream is written through the legacy format.
 */
@Tag("soak")
class BigStreamTest {
    private static final long RAM = 256L << 20;
    private static final int PAGES_PER_CHUNK = 4096;

    @TempDir
    Path dir;

    /** sample-pc's stream with {@link #RAM} bytes of RAM pages before its end, QEMU-style: START, PARTs, END. */
    private static void write(WireFormat format, OutputStream out) {
        try (StreamWriter w = format.openWriter(out, WriteOptions.defaults())) {
            MachineStreams.save(SampleMachines.populatedSamplePc(DeviceRegistry.load()), new StreamWriter() {
                @Override
                public void write(StreamRecord r) {
                    if (r instanceof EndOfState) {
                        ram(w);
                    }
                    w.write(r);
                }

                @Override
                public void close() {
                }
            });
        }
    }

    private static void ram(StreamWriter w) {
        int id = 6;
        long pages = RAM / RamRecord.PAGE_SIZE;
        w.write(new IterativeSection(SectionType.START, id, "ram", 0, 4));
        w.write(new RamRecord.Blocks(RAM, List.of(new RamRecord.Block("pc.ram", RAM))));
        w.write(new RamRecord.Eos());
        w.write(new SectionEnd(id, true));
        byte[] page = new byte[RamRecord.PAGE_SIZE];
        for (long p = 0; p < pages; p++) {
            if (p % PAGES_PER_CHUNK == 0) {
                w.write(new IterativeSection(SectionType.PART, id, null, 0, 0));
            }
            // every 16th page is a zero page; the rest carry their page number
            RamRecord.Encoding e = p % 16 == 15 ? RamRecord.Encoding.ZERO : RamRecord.Encoding.RAW;
            for (int i = 0; i < 8; i++) {
                page[i] = (byte) (p >>> (8 * i));
            }
            w.write(new RamRecord.Page("pc.ram", p * RamRecord.PAGE_SIZE, p % PAGES_PER_CHUNK != 0, e,
                    e == RamRecord.Encoding.ZERO ? new byte[1] : page));
            if (p % PAGES_PER_CHUNK == PAGES_PER_CHUNK - 1) {
                w.write(new RamRecord.Eos());
                w.write(new SectionEnd(id, true));
            }
        }
        w.write(new IterativeSection(SectionType.END, id, null, 0, 0));
        w.write(new RamRecord.Eos());
        w.write(new SectionEnd(id, true));
    }

    /** Runs {@code vmstate args} in a child JVM with a 64 MiB heap; returns exit status and output. */
    private Cli.Result child(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        File out = dir.resolve("child.out").toFile();
        File err = dir.resolve("child.err").toFile();
        Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("vmstate " + String.join(" ", args) + " finished").isTrue();
        return new Cli.Result(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()),
                new byte[0]);
    }

    @Test
    void a256MiBStreamDumpsLoadsAndConvertsIn64MiBOfHeap() throws Exception {
        StreamCommandsTest.requireFormat("legacy");
        assertThat(System.getProperty("java.class.path")).as("the child JVM needs the test class path")
                .contains("picocli");
        Path big = dir.resolve("big.legacy");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(big), 1 << 16)) {
            write(Formats.builtIn().get("legacy"), out);
        }
        assertThat(Files.size(big)).isGreaterThan(240L << 20);
        long pages = RAM / RamRecord.PAGE_SIZE;
        long zero = pages / 16;

        Cli.Result dump = child("dump", big.toString());
        assertThat(dump.code()).as(dump.err()).isZero();
        assertThat(dump.out()).contains(String.format("%d ram pages (%d zero, %d raw, 0 xbzrle)", pages, zero,
                pages - zero)).contains(String.format("ram records per block:%n  pc.ram: %d pages (%d zero, %d raw, 0 xbzrle)",
                pages, zero, pages - zero)).contains(Files.size(big) + " bytes read");

        // the final RAM image, 4 times the heap, hashed as it streams by
        Cli.Result digest = child("dump", big.toString(), "--ram=digest");
        assertThat(digest.code()).as(digest.err()).isZero();
        assertThat(digest.out()).containsPattern(String.format("  pc.ram: 0x%x bytes, sha256 [0-9a-f]{64}, \\d+ non-zero "
                + "pages; records: %d zero, %d raw, 0 xbzrle", RAM, zero, pages - zero));

        Cli.Result json = child("dump", big.toString(), "--json");
        assertThat(json.code()).as(json.err()).isZero();
        assertThat(json.out()).contains("\"ram (6)\": {").contains("\"pc.ram\": \"0x0000000010000000\"");

        Cli.Result load = child("load", big.toString());
        assertThat(load.code()).as(load.err()).isZero();
        assertThat(load.out()).contains("devices loaded into models: 6").contains(String.format(
                "ram: %d chunks, %d pages (%d zero, %d raw, 0 xbzrle)", pages / PAGES_PER_CHUNK + 2, pages, zero,
                pages - zero));

        Path copy = dir.resolve("copy.legacy");
        Cli.Result convert = child("convert", big.toString(), copy.toString(), "--to", "legacy");
        assertThat(convert.code()).as(convert.err()).isZero();
        assertThat(Files.mismatch(big, copy)).isEqualTo(-1L);
    }
}
