package dev.vmstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StreamMutationsTest {
    @Test
    void shortStreamsAreCutEverywhere() {
        int[] cuts = StreamMutations.truncationPoints(100, new long[] {0, 40, 100}, new Random(1));
        assertThat(cuts).containsExactly(IntStream.range(0, 100).toArray());
    }

    @Test
    void longStreamsAreCutEverywhereEarlyThenAtBoundariesAndRandomly() {
        int len = 200_000;
        int[] cuts = StreamMutations.truncationPoints(len, new long[] {0, 100_000, 150_000, len}, new Random(1));
        assertThat(Arrays.copyOf(cuts, StreamMutations.EXHAUSTIVE_PREFIX))
                .isEqualTo(IntStream.range(0, StreamMutations.EXHAUSTIVE_PREFIX).toArray());
        assertThat(cuts).contains(99_999, 100_000, 100_001, 149_999, 150_000, 150_001, len - 1)
                .doesNotContain(len).isSorted();
        long beyond = Arrays.stream(cuts).filter(c -> c >= StreamMutations.EXHAUSTIVE_PREFIX).count();
        assertThat(beyond).isBetween(900L, 1007L);
    }

    @Test
    void flipsChangeOneBit() {
        byte[] s = new byte[8];
        assertThat(StreamMutations.flip(s, 0)[0]).isEqualTo((byte) 0x80);
        assertThat(StreamMutations.flip(s, 63)[7]).isEqualTo((byte) 0x01);
        List<StreamMutations.Mutation> a = StreamMutations.flips(s, 50, new Random(3));
        List<StreamMutations.Mutation> b = StreamMutations.flips(s, 50, new Random(3));
        assertThat(a).hasSize(50);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).bytes()).as("same seed, same mutations").isEqualTo(b.get(i).bytes());
            assertThat(a.get(i).description()).isEqualTo(b.get(i).description());
        }
    }

    @Test
    void plausibleLengthsAreReplacedByHostileValues() {
        byte[] s = HexFormat.of().parseHex("00000003616263");
        List<StreamMutations.Mutation> m = StreamMutations.hostileLengths(s, 50, new Random(1));
        assertThat(m).anySatisfy(x -> assertThat(HexFormat.of().formatHex(x.bytes())).isEqualTo("ffffffff616263"));
        assertThat(m).anySatisfy(x -> assertThat(HexFormat.of().formatHex(x.bytes())).isEqualTo("7fffffff616263"));
        // The last byte, 0x03, reads as a one-byte varint: 0xFFFFFFFF is 5 LEB128 bytes in its place.
        assertThat(m).anySatisfy(x -> assertThat(HexFormat.of().formatHex(x.bytes())).isEqualTo("000000ffffffff0f616263"));
        // 0x61 ('a') would need 97 bytes after it: not a plausible length.
        assertThat(m).noneSatisfy(x -> assertThat(x.description()).startsWith("varint at 4"));
    }

    @Test
    void windowsAreSampledWhenThereAreMany() {
        byte[] zeros = new byte[4096];
        List<StreamMutations.Mutation> m = StreamMutations.hostileLengths(zeros, 10, new Random(1));
        int perWindow = StreamMutations.HOSTILE_16.length + StreamMutations.HOSTILE_32.length
                + StreamMutations.HOSTILE_64.length + StreamMutations.HOSTILE_VARINT.length;
        assertThat(m).hasSize(10 * perWindow);
    }
}
