package dev.vmstate.ram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.vmstate.error.MalformedStreamException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** QEMU 7.2's XBZRLE delta (migration/xbzrle.c): what it encodes, and every delta its decoder refuses. */
class XbzrleTest {
    private static final int PAGE = 4096;

    /** A page that differs from {@code old} in {@code changes} runs of random length and place. */
    private static byte[] changed(byte[] old, long seed, int changes) {
        Random r = new Random(seed);
        byte[] cur = old.clone();
        for (int c = 0; c < changes; c++) {
            int at = r.nextInt(PAGE);
            int len = 1 + r.nextInt(Math.min(600, PAGE - at));
            for (int i = at; i < at + len; i++) {
                cur[i] = (byte) (cur[i] + 1 + r.nextInt(255));
            }
        }
        return cur;
    }

    @Test
    void decodingAnEncodedDeltaOntoTheOldPageGivesTheNewOne() {
        qt().withExamples(300).forAll(longs().all(), integers().between(0, 40)).checkAssert((seed, changes) -> {
            byte[] old = new byte[PAGE];
            new Random(~seed).nextBytes(old);
            byte[] cur = changed(old, seed, changes);
            byte[] out = new byte[PAGE * 2];
            int n = Xbzrle.encode(old, cur, PAGE, out);
            assertThat(n).isNotNegative();
            assertThat(n == 0).isEqualTo(Arrays.equals(old, cur));
            byte[] page = old.clone();
            Xbzrle.decode(out, n, page, 0, PAGE);
            assertThat(page).isEqualTo(cur);
        });
    }

    @Test
    void aDeltaThatDoesNotFitIsMinusOne() {
        byte[] old = new byte[PAGE];
        byte[] cur = new byte[PAGE];
        Arrays.fill(cur, (byte) 1);
        assertThat(Xbzrle.encode(old, cur, PAGE, new byte[PAGE])).isEqualTo(-1); // 4096 new bytes + 3 of lengths
        assertThat(Xbzrle.encode(old, cur, PAGE, new byte[PAGE + 3])).isEqualTo(PAGE + 3);
    }

    @Test
    void theWireFormIsQemus() {
        // unchanged 2, new 1 (0xAA); unchanged 200 (ULEB 0xC8 0x01), new 2 (0xBB 0xCC); the rest unchanged
        byte[] old = new byte[PAGE];
        byte[] cur = old.clone();
        cur[2] = (byte) 0xAA;
        cur[203] = (byte) 0xBB;
        cur[204] = (byte) 0xCC;
        byte[] out = new byte[64];
        int n = Xbzrle.encode(old, cur, PAGE, out);
        assertThat(Arrays.copyOf(out, n)).containsExactly(2, 1, 0xAA, 0xC8, 0x01, 2, 0xBB, 0xCC);
    }

    @Test
    void aFirstEmptyUnchangedRunIsAllowed() {
        byte[] page = new byte[PAGE];
        assertThat(Xbzrle.decode(new byte[] {0, 1, 7}, 3, page, 0, PAGE)).isEqualTo(1);
        assertThat(page[0]).isEqualTo((byte) 7);
    }

    private static void refused(byte[] delta, String why, int at) {
        assertThatThrownBy(() -> Xbzrle.decode(delta, delta.length, new byte[PAGE], 0, PAGE))
                .isInstanceOf(MalformedStreamException.class).hasMessageContaining(why)
                .hasMessageContaining("(delta byte " + at + ")");
    }

    @Test
    void everyDeltaQemuRefusesIsRefusedNamingTheByte() {
        refused(new byte[] {5}, "pair cut short", 0);
        refused(new byte[] {5, 1}, "pair cut short", 1);
        refused(new byte[] {0, 1, 9, 0, 1, 9}, "empty unchanged run after the first pair", 3);
        refused(new byte[] {1, 0, 9}, "empty new run", 1);
        refused(new byte[] {(byte) 0x80, (byte) 0x80, 1, 1}, "longer than two ULEB128 bytes", 0);
        refused(new byte[] {(byte) 0x81, 0x20, 1, 9}, "past the 4096-byte page", 0); // unchanged run of 4097
        refused(new byte[] {(byte) 0xFF, 0x1F, 2, 1, 2}, "runs past the 4096-byte page", 2); // 4095 + 2 new
        refused(new byte[] {0, 5, 1, 2}, "only 2 left in the delta", 1);
    }
}
