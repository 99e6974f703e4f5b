package dev.vmstate.cli;

import dev.vmstate.ram.RamImages;
import java.io.PrintWriter;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * Prints {@code dump --ram=digest}: a text table, or JSON in the shape of the
 * {@code *.ram-digest.json} files of {@code ../shared/qemu-streams} (Python's
 * {@code json.dumps(indent=4)}, sizes as hex strings).
 */
final class RamDigestOutput {
    private RamDigestOutput() {
    }

    static void print(PrintWriter out, List<RamImages.BlockDigest> digests, boolean json) {
        if (json) {
            JsonGenerator g = AnalyzerJson.pythonIndented(out);
            g.writeStartObject();
            for (RamImages.BlockDigest d : digests) {
                g.writeName(d.name());
                g.writeStartObject();
                g.writeStringProperty("size", "0x" + Long.toHexString(d.size()));
                g.writeStringProperty("sha256_final_image", d.sha256());
                g.writeNumberProperty("nonzero_pages_in_final_image", d.nonZeroPages());
                g.writeName("records");
                g.writeStartObject();
                g.writeNumberProperty("zero", d.zeroRecords());
                g.writeNumberProperty("page", d.rawRecords());
                g.writeNumberProperty("xbzrle", d.xbzrleRecords());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
            g.flush();
            out.println();
            return;
        }
        out.println("ram digest (final contents of each block, every page record applied):");
        for (RamImages.BlockDigest d : digests) {
            out.printf("  %s: 0x%x bytes, sha256 %s, %d non-zero pages; records: %d zero, %d raw, %d xbzrle%n",
                    d.name(), d.size(), d.sha256(), d.nonZeroPages(), d.zeroRecords(), d.rawRecords(),
                    d.xbzrleRecords());
        }
    }
}
