package dev.vmstate.format.legacy;

import dev.vmstate.testkit.QemuStreamFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real QEMU 7.2 streams in ../shared/qemu-streams, found from the module or project directory. */
final class QemuStreams {
    private QemuStreams() {
    }

    static Path dir() {
        return QemuStreamFixtures.dir();
    }

    static byte[] read(String name) throws IOException {
        return Files.readAllBytes(dir().resolve(name));
    }

    /** Offset of the FULL section header of {@code idstr}, instance 0, in {@code stream}. */
    static int findFullSection(byte[] stream, String idstr) {
        byte[] id = idstr.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int p = 0; p + 6 + id.length < stream.length; p++) {
            if (stream[p] != 0x04 || (stream[p + 5] & 0xFF) != id.length) {
                continue;
            }
            for (int i = 0; i < id.length; i++) {
                if (stream[p + 6 + i] != id[i]) {
                    continue outer;
                }
            }
            return p;
        }
        throw new AssertionError("no FULL section " + idstr + " in the stream");
    }
}
