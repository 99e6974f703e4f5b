package dev.vmstate.ram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.RamRecord.Encoding;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Final RAM contents: streamed when pages come once and in order, rebuilt in images otherwise. */
class RamImagesTest {
    private static final int PAGE = RamRecord.PAGE_SIZE;

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static RamRecord.Blocks blocks(long... sizes) {
        List<RamRecord.Block> l = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            l.add(new RamRecord.Block("b" + i, sizes[i]));
            total += sizes[i];
        }
        return new RamRecord.Blocks(total, l);
    }

    private static RamRecord.Page raw(String block, long offset, byte[] page) {
        return new RamRecord.Page(block, offset, false, Encoding.RAW, page.clone());
    }

    @Test
    void inOrderPagesAreStreamedAndGapsAreZero() throws Exception {
        byte[] image = new byte[8 * PAGE];
        Random r = new Random(1);
        byte[] p1 = new byte[PAGE];
        r.nextBytes(p1);
        System.arraycopy(p1, 0, image, PAGE, PAGE);
        java.util.Arrays.fill(image, 3 * PAGE, 4 * PAGE, (byte) 0x5A);
        try (RamImages ram = RamImages.streaming()) {
            ram.accept(blocks(8 * PAGE));
            ram.accept(new RamRecord.Page("b0", 0, false, Encoding.ZERO, new byte[] {0}));
            ram.accept(raw("b0", PAGE, p1));
            ram.accept(new RamRecord.Page("b0", 3 * PAGE, true, Encoding.ZERO, new byte[] {0x5A}));
            assertThat(ram.needImages()).isEmpty();
            RamImages.BlockDigest d = ram.finish().get(0);
            assertThat(d.sha256()).isEqualTo(sha256(image));
            assertThat(d.nonZeroPages()).isEqualTo(2);
            assertThat(List.of(d.zeroRecords(), d.rawRecords(), d.xbzrleRecords())).containsExactly(2L, 1L, 0L);
        }
    }

    @Test
    void repeatsAndXbzrleNeedImagesAndImagesGiveTheFinalContents() throws Exception {
        Random r = new Random(2);
        byte[] v1 = new byte[PAGE];
        r.nextBytes(v1);
        byte[] v2 = v1.clone();
        v2[100] ^= 0x11;
        v2[4000] ^= 0x22;
        byte[] delta = new byte[PAGE];
        int n = Xbzrle.encode(v1, v2, PAGE, delta);
        List<RamRecord> records = List.of(blocks(2 * PAGE, PAGE), raw("b0", PAGE, v1), raw("b1", 0, v1),
                new RamRecord.Page("b0", PAGE, false, Encoding.XBZRLE, java.util.Arrays.copyOf(delta, n)));
        try (RamImages streamed = RamImages.streaming()) {
            records.forEach(streamed::accept);
            assertThat(streamed.needImages()).containsExactly("b0");
            assertThat(streamed.finish().get(0).sha256()).isNull();
        }
        byte[] b0 = new byte[2 * PAGE];
        System.arraycopy(v2, 0, b0, PAGE, PAGE);
        try (RamImages imaged = RamImages.withImages("b0"::equals, null)) {
            records.forEach(imaged::accept);
            List<RamImages.BlockDigest> d = imaged.finish();
            assertThat(d.get(0).sha256()).isEqualTo(sha256(b0));
            assertThat(d.get(0).nonZeroPages()).isEqualTo(1);
            assertThat(d.get(0).xbzrleRecords()).isEqualTo(1);
            assertThat(d.get(1).sha256()).isEqualTo(sha256(v1)); // streamed alongside
        }
    }

    @Test
    void pagesThatDoNotFitTheBlockListAreErrors() {
        try (RamImages ram = RamImages.withImages(b -> true, null)) {
            assertThatThrownBy(() -> ram.accept(raw("b0", 0, new byte[PAGE])))
                    .isInstanceOf(MalformedStreamException.class).hasMessageContaining("before the RAM block list");
            ram.accept(blocks(2 * PAGE));
            assertThatThrownBy(() -> ram.accept(raw("x", 0, new byte[PAGE])))
                    .hasMessageContaining("unknown block \"x\"");
            assertThatThrownBy(() -> ram.accept(raw("b0", 100, new byte[PAGE])))
                    .hasMessageContaining("offset 0x64 of block \"b0\": not page-aligned");
            assertThatThrownBy(() -> ram.accept(raw("b0", 2 * PAGE, new byte[PAGE])))
                    .hasMessageContaining("past its used length 0x2000");
            assertThatThrownBy(() -> ram.accept(new RamRecord.Page("b0", 0, false, Encoding.XBZRLE, new byte[] {5})))
                    .hasMessageContaining("XBZRLE delta: pair cut short").hasMessageContaining("offset 0x0 of block \"b0\"");
            assertThatThrownBy(() -> ram.accept(blocks(PAGE))).hasMessageContaining("second RAM block list");
        }
    }

    @Test
    void skippedPageDataGivesCountsButNoDigest() {
        try (RamImages ram = RamImages.streaming()) {
            ram.accept(blocks(PAGE));
            ram.accept(new RamRecord.Page("b0", 0, false, Encoding.RAW, new byte[0]));
            RamImages.BlockDigest d = ram.finish().get(0);
            assertThat(d.sha256()).isNull();
            assertThat(d.rawRecords()).isEqualTo(1);
        }
    }
}
