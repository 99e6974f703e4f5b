package dev.vmstate.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link MachineStreams#load} made of a stream: which sections went into the machine's
 * device models, which were kept as generic trees and why, which machine devices the stream did
 * not mention, and how many RAM page records, commands and other records it carried.
 *
 * <p>Immutable and thread-safe.
 *
 * @param streamMachineType the machine type in the stream's header, or {@code null} when it has none
 * @param machineType       the machine loaded into
 * @param loaded            one entry per section loaded into a device model: {@code "com1 <- serial/0 v3"}
 * @param generic           one entry per section kept as a generic tree, with the reason
 * @param notInStream       ids of machine devices no section was loaded into
 * @param iterativeChunks   START, PART and END chunks of iterative (RAM) sections
 * @param zeroPages         RAM page records of encoding ZERO
 * @param rawPages          RAM page records of encoding RAW
 * @param xbzrlePages       RAM page records of encoding XBZRLE
 * @param commands          in-band commands
 * @param endOfState        whether the stream's end-of-state marker was read
 * @param descriptionBytes  length of the description trailer, or -1 when the stream has none
 * @since 0.1
 */
public record LoadSummary(String streamMachineType, String machineType, List<String> loaded, List<String> generic,
                          List<String> notInStream, long iterativeChunks, long zeroPages, long rawPages,
                          long xbzrlePages, long commands, boolean endOfState, long descriptionBytes) {
    public LoadSummary {
        Objects.requireNonNull(machineType, "machineType");
        loaded = List.copyOf(loaded);
        generic = List.copyOf(generic);
        notInStream = List.copyOf(notInStream);
    }

    /** RAM page records of every encoding. */
    public long pages() {
        return zeroPages + rawPages + xbzrlePages;
    }

    /** Whether the stream's header names another machine type than the one loaded into. */
    public boolean machineTypeDiffers() {
        return streamMachineType != null && !streamMachineType.equals(machineType);
    }

    /** The summary as text lines, the way {@code vmstate load} prints it. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("machine " + machineType + (streamMachineType == null ? " (the stream names no machine type)"
                : machineTypeDiffers() ? " (the stream was saved from " + streamMachineType + ")" : ""));
        out.add("devices loaded into models: " + loaded.size());
        loaded.forEach(l -> out.add("  " + l));
        out.add("sections kept generic: " + generic.size());
        generic.forEach(g -> out.add("  " + g));
        if (!notInStream.isEmpty()) {
            out.add("machine devices without a section: " + String.join(", ", notInStream));
        }
        out.add(String.format("ram: %d chunks, %d pages (%d zero, %d raw, %d xbzrle)", iterativeChunks, pages(),
                zeroPages, rawPages, xbzrlePages));
        out.add("commands: " + commands);
        out.add("end of state: " + (endOfState ? "yes" : "no") + ", description: "
                + (descriptionBytes < 0 ? "none" : descriptionBytes + " bytes"));
        return out;
    }
}
