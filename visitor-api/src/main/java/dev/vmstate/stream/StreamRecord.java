package dev.vmstate.stream;

/**
 * One item of a state stream, in the order it travels: a {@link StreamHeader}, device sections
 * ({@link DeviceSection}), iterative RAM sections ({@link IterativeSection} followed by
 * {@link RamRecord}s and closed by {@link SectionEnd}), in-band {@link Command}s, the
 * {@link EndOfState} marker and an optional {@link Description} trailer. Every wire format
 * writes and reads this sequence; what one format records, another carries, so a conversion
 * loses nothing (see {@code docs/formats/}).
 *
 * <p>Records are immutable except a {@link DeviceSection}'s state, which is whatever object the
 * section's visitor works on.
 *
 * @since 0.1
 */
public sealed interface StreamRecord
        permits StreamHeader, DeviceSection, IterativeSection, RamRecord, SectionEnd, Command, EndOfState, Description {
}
