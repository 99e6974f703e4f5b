package dev.vmstate.cli;

import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.stream.Description;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code --vmdesc-from OTHER}: the vmdesc trailer of another QEMU stream, lent to one that has
 * none (QEMU machine types 2.2 and older suppress it), since a legacy stream cannot be read past
 * a section nobody describes.
 */
final class LentVmdesc {
    private LentVmdesc() {
    }

    /** The vmdesc at the end of {@code other}; a usage error naming the file when it has none. */
    static Description read(Path other, WireFormat legacy, CommandLine cl) throws IOException {
        try (FileChannel ch = FileChannel.open(other, StandardOpenOption.READ)) {
            Description d = legacy.prepare(ch, ReadOptions.defaults()).description();
            if (d == null) {
                throw new ParameterException(cl, "--vmdesc-from " + other + ": no vmdesc trailer at the end of that"
                        + " file (is it a QEMU stream of machine type 2.3 or newer?)");
            }
            return d;
        }
    }
}
