package dev.vmstate.stream;

/**
 * The start of one chunk of an iterative (live) section, QEMU's START, PART or END. Its content
 * follows as {@link RamRecord}s, closed by a {@link SectionEnd}. Only the {@code ram} handler is
 * modelled.
 *
 * @param type       START, PART or END
 * @param sectionId  the section's id; START announces it, PART and END refer to it
 * @param idstr      the handler's id string on START ({@code ram}); {@code null} on PART and END
 * @param instanceId the instance on START; 0 otherwise
 * @param version    the handler's version on START (4 for QEMU 7.2's {@code ram}); 0 otherwise
 * @since 0.1
 */
public record IterativeSection(SectionType type, int sectionId, String idstr, int instanceId, int version)
        implements StreamRecord {

    /** The chunk kinds of an iterative section. */
    public enum SectionType { START, PART, END }

    public IterativeSection {
        if ((type == SectionType.START) != (idstr != null)) {
            throw new IllegalArgumentException("START carries an id string, PART and END do not");
        }
    }
}
