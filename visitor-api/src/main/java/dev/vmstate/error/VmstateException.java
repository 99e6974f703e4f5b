package dev.vmstate.error;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The root of every exception vmstate throws: unchecked, with the location of the failure as
 * structured data rather than only as text.
 *
 * <p>The location is built only on failure: a visitor that catches this exception at a struct,
 * list or section boundary prepends its own name ({@link #prependField}, {@link #prependIndex})
 * and rethrows, so success costs nothing. {@link #getMessage()} is the core message followed by
 * {@code "\n at <section> <path> (byte offset #N)"} for the parts that are known;
 * {@link #getOriginalMessage()} is the core message alone.
 *
 * <p>Instances are not thread-safe while they are being decorated on their way up the stack;
 * once thrown out of the library they are not modified again.
 *
 * @since 0.1
 */
public class VmstateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The segments of the path, outermost first: {@code String} names and {@code Integer} indices. */
    private final Deque<Object> path = new ArrayDeque<>();
    private long offset = -1;
    private String section;
    private String format;

    public VmstateException(String message) {
        super(message);
    }

    public VmstateException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Adds a field (or device, or section) name in front of the path; returns this for rethrowing. */
    public VmstateException prependField(String name) {
        path.addFirst(name);
        return this;
    }

    /** Adds a list or array index in front of the path; returns this for rethrowing. */
    public VmstateException prependIndex(int index) {
        path.addFirst(index);
        return this;
    }

    /** Records the byte offset of the offending item, unless an inner level already did. */
    public VmstateException atOffset(long byteOffset) {
        if (offset < 0) {
            offset = byteOffset;
        }
        return this;
    }

    /** Records the section (id string and instance) being read, unless an inner level already did. */
    public VmstateException inSection(String sectionName) {
        if (section == null) {
            section = sectionName;
        }
        return this;
    }

    /** Records the wire format in use, unless an inner level already did. */
    public VmstateException inFormat(String formatName) {
        if (format == null) {
            format = formatName;
        }
        return this;
    }

    /** The path of the offending value, as {@code pit.channels[2].count}; empty when unknown. */
    public String path() {
        StringBuilder sb = new StringBuilder();
        for (Object segment : path) {
            if (segment instanceof Integer) {
                sb.append('[').append(segment).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(segment);
            }
        }
        return sb.toString();
    }

    /** Byte offset of the first byte of the offending item in the stream, or -1 when unknown. */
    public long offset() {
        return offset;
    }

    /** The section being read (id string and instance), or {@code null} when not reading a section. */
    public String section() {
        return section;
    }

    /** The wire format in use, or {@code null} when none was involved. */
    public String format() {
        return format;
    }

    /** The core message, without the location suffix. */
    public String getOriginalMessage() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        String where = location();
        return where.isEmpty() ? getOriginalMessage() : getOriginalMessage() + "\n at " + where;
    }

    /** The location suffix alone: section, path and byte offset, whichever are known. */
    public String location() {
        StringBuilder sb = new StringBuilder();
        if (format != null) {
            sb.append('[').append(format).append("] ");
        }
        if (section != null) {
            sb.append("section ").append(section).append(' ');
        }
        String p = path();
        if (!p.isEmpty()) {
            sb.append(p).append(' ');
        }
        if (offset >= 0) {
            sb.append("(byte offset #").append(offset).append(')');
        }
        return sb.toString().trim();
    }
}
