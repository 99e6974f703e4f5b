package dev.vmstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.spi.Formats;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.IterativeSection.SectionType;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dump --ram=...} on damaged RAM: every mode fails with exit 3, naming what and where. */
class DumpRamTest {
    @TempDir
    Path dir;

    /** A legacy stream whose one block gets a raw page, then {@code xbzrle} as an XBZRLE delta of that page. */
    private static byte[] stream(byte[] xbzrle) {
        byte[] page = new byte[RamRecord.PAGE_SIZE];
        Arrays.fill(page, (byte) 7);
        List<StreamRecord> records = List.of(StreamHeader.of("pc-i440fx-7.2", null),
                new IterativeSection(SectionType.START, 2, "ram", 0, 4),
                new RamRecord.Blocks(0x2000, List.of(new RamRecord.Block("pc.ram", 0x2000))),
                new RamRecord.Eos(), new SectionEnd(2, true),
                new IterativeSection(SectionType.PART, 2, null, 0, 0),
                new RamRecord.Page("pc.ram", 0, false, RamRecord.Encoding.RAW, page),
                new RamRecord.Page("pc.ram", 0, true, RamRecord.Encoding.XBZRLE, xbzrle),
                new RamRecord.Eos(), new SectionEnd(2, true),
                new IterativeSection(SectionType.END, 2, null, 0, 0), new RamRecord.Eos(), new SectionEnd(2, true),
                new EndOfState());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (StreamWriter w = Formats.builtIn().get("legacy").openWriter(out, WriteOptions.defaults())) {
            records.forEach(w::write);
        }
        return out.toByteArray();
    }

    private Path file(byte[] b) throws Exception {
        Path f = dir.resolve("s.mig");
        Files.write(f, b);
        return f;
    }

    @Test
    void aGoodDeltaIsAppliedAndABadOneFailsNamingTheBlockPageAndOffset() throws Exception {
        // unchanged 1 byte, then 1 new byte 0x2a
        Cli.Result good = Cli.run("dump", file(stream(new byte[] {1, 1, 0x2a})).toString(), "--ram=digest");
        assertThat(good.code()).as(good.err()).isZero();
        assertThat(good.out()).containsPattern("pc.ram: 0x2000 bytes, sha256 [0-9a-f]{64}, 1 non-zero pages; "
                + "records: 0 zero, 1 raw, 1 xbzrle");

        byte[] bad = stream(new byte[] {1, 0, 0x2a}); // an empty new run: QEMU refuses it
        Cli.Result r = Cli.run("dump", file(bad).toString(), "--ram=digest");
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("XBZRLE delta: empty new run (delta byte 1)")
                .contains("page at offset 0x0 of block \"pc.ram\"").containsPattern("byte offset #\\d+");
        // without --ram=digest nothing decodes the delta, so the stream dumps
        assertThat(Cli.run("dump", file(bad).toString()).code()).isZero();
    }

    @Test
    void aStreamCutInsideAPageFailsInEveryRamMode() throws Exception {
        byte[] whole = stream(new byte[] {1, 1, 0x2a});
        byte[] cut = Arrays.copyOf(whole, whole.length / 2); // inside the raw page's 4096 bytes
        Path f = file(cut);
        for (String mode : List.of("summary", "pages", "digest")) {
            Cli.Result r = Cli.run("dump", f.toString(), "--ram=" + mode);
            assertThat(r.code()).as(mode + ": " + r.err()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(r.err()).as(mode).contains("unexpected end of input").containsPattern("byte offset #\\d+");
        }
    }
}
