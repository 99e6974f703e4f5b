package dev.vmstate.spi;

import dev.vmstate.stream.Command;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import java.util.HashSet;
import java.util.Set;

/**
 * The order {@link StreamRecord}'s contract allows, as one small state machine shared by the
 * writer (which throws {@code StreamWriteException}) and the reader (which throws
 * {@code MalformedStreamException}), so both accept exactly the same sequences
 * ({@code docs/formats/json.md} §4). Formats with a record per item (json, cbor) share it, and a
 * format author may use it too: it names each record kind as those formats do.
 *
 * <p>Not thread-safe.
 *
 * @since 0.1
 */
public final class RecordOrder {
    /** Record kind names, as {@link #kindOf} gives them and the json and cbor formats write them. */
    public static final String HEADER = "header";
    public static final String DEVICE = "device";
    public static final String ITERATIVE = "iterative";
    public static final String RAM_BLOCKS = "ram_blocks";
    public static final String PAGE = "page";
    public static final String EOS = "eos";
    public static final String SECTION_END = "section_end";
    public static final String COMMAND = "command";
    public static final String END = "end";
    public static final String DESCRIPTION = "description";

    private enum State { START, BODY, CHUNK, ENDED, DESCRIBED }

    private State state = State.START;
    private int chunkId;
    /** Iterative sections a START chunk announced: PART and END chunks refer to these (QEMU's savevm_state). */
    private final Set<Integer> started = new HashSet<>();

    /**
     * Accepts {@code r} and moves on, or returns why it is out of order (and stays put).
     */
    public String accept(StreamRecord r) {
        String kind = kindOf(r);
        switch (state) {
            case START:
                if (r instanceof StreamHeader) {
                    state = State.BODY;
                    return null;
                }
                return kind + " record before the header record; a stream starts with a header";
            case BODY:
                if (r instanceof DeviceSection || r instanceof Command) {
                    return null;
                }
                if (r instanceof IterativeSection it) {
                    if (it.type() == IterativeSection.SectionType.START) {
                        started.add(it.sectionId());
                    } else if (!started.contains(it.sectionId())) {
                        return "iterative " + it.type().name().toLowerCase(java.util.Locale.ROOT) + " chunk of section "
                                + it.sectionId() + ", which no start chunk announced";
                    }
                    chunkId = it.sectionId();
                    state = State.CHUNK;
                    return null;
                }
                if (r instanceof EndOfState) {
                    state = State.ENDED;
                    return null;
                }
                if (r instanceof StreamHeader) {
                    return "second header record";
                }
                if (r instanceof Description) {
                    return "description record before the end record";
                }
                return kind + " record outside an iterative section";
            case CHUNK:
                if (r instanceof RamRecord) {
                    return null;
                }
                if (r instanceof SectionEnd se) {
                    if (se.sectionId() != chunkId) {
                        return "section_end of section " + se.sectionId() + " inside iterative section " + chunkId;
                    }
                    state = State.BODY;
                    return null;
                }
                return kind + " record inside iterative section " + chunkId + ", which no section_end has closed";
            case ENDED:
                if (r instanceof Description) {
                    state = State.DESCRIBED;
                    return null;
                }
                return kind + " record after the end record";
            default:
                return kind + " record after the description record";
        }
    }

    /** Whether the records may stop here: after the end record, or after the description. */
    public boolean complete() {
        return state == State.ENDED || state == State.DESCRIBED;
    }

    /** The record kind as the json and cbor formats name it: {@code header}, {@code device}, ... */
    public static String kindOf(StreamRecord r) {
        if (r instanceof StreamHeader) {
            return HEADER;
        } else if (r instanceof DeviceSection) {
            return DEVICE;
        } else if (r instanceof IterativeSection) {
            return ITERATIVE;
        } else if (r instanceof RamRecord.Blocks) {
            return RAM_BLOCKS;
        } else if (r instanceof RamRecord.Page) {
            return PAGE;
        } else if (r instanceof RamRecord.Eos) {
            return EOS;
        } else if (r instanceof SectionEnd) {
            return SECTION_END;
        } else if (r instanceof Command) {
            return COMMAND;
        } else if (r instanceof EndOfState) {
            return END;
        } else {
            return DESCRIPTION;
        }
    }
}
