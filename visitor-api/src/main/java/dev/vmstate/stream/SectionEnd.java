package dev.vmstate.stream;

/**
 * Closes the {@link IterativeSection} chunk opened last.
 *
 * @param sectionId the chunk's section id
 * @param footer    whether the chunk ends with a footer ({@code 7E be32 id})
 * @since 0.1
 */
public record SectionEnd(int sectionId, boolean footer) implements StreamRecord {
}
