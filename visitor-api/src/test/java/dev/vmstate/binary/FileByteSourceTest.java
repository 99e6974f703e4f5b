package dev.vmstate.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.error.MalformedStreamException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file read through a window, with skips past the window done by moving the file position. */
class FileByteSourceTest {
    @TempDir
    Path dir;

    private Path file(int size) throws Exception {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8));
        }
        Path f = dir.resolve("f.bin");
        Files.write(f, b);
        return f;
    }

    private static int expected(long i) {
        return (int) ((i * 31 + (i >>> 8)) & 0xFF);
    }

    @Test
    void readsAcrossWindowsAndSkipsPastThemWithTheRightOffsets() throws Exception {
        int size = 3 * ByteSource.FILE_WINDOW + 123;
        try (FileChannel ch = FileChannel.open(file(size))) {
            ch.position(5);
            ByteSource s = ByteSource.of(ch);
            assertThat(s.position()).isEqualTo(5);
            assertThat(s.readU8()).isEqualTo(expected(5));
            s.skip(10); // inside the window
            assertThat(s.position()).isEqualTo(16);
            assertThat(s.readU8()).isEqualTo(expected(16));
            s.skip(2L * ByteSource.FILE_WINDOW); // past it: a seek
            long at = 17 + 2L * ByteSource.FILE_WINDOW;
            assertThat(s.position()).isEqualTo(at);
            assertThat(s.readU8()).isEqualTo(expected(at));
            // a read that straddles the end of a window
            s.skip(ByteSource.FILE_WINDOW - 20);
            long at2 = at + 1 + ByteSource.FILE_WINDOW - 20;
            byte[] b = s.readBytes(64);
            for (int i = 0; i < 64; i++) {
                assertThat(b[i] & 0xFF).as("byte %d", at2 + i).isEqualTo(expected(at2 + i));
            }
            s.skip(size - s.position());
            assertThat(s.atEnd()).isTrue();
        }
    }

    @Test
    void aSkipPastTheEndOfTheFileFailsAtItsOffset() throws Exception {
        int size = 2 * ByteSource.FILE_WINDOW;
        try (FileChannel ch = FileChannel.open(file(size))) {
            ByteSource s = ByteSource.of(ch);
            s.readBe32();
            assertThatThrownBy(() -> s.skip(size)).isInstanceOf(MalformedStreamException.class)
                    .hasMessageContaining("needed " + size).hasMessageContaining("byte offset #4");
        }
    }
}
