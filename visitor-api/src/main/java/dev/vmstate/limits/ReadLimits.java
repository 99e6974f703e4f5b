package dev.vmstate.limits;

import dev.vmstate.error.LimitExceededException;

/**
 * Upper bounds a reader enforces on what a stream declares, checked <em>before</em> anything is
 * allocated for it, so hostile input gets a {@link LimitExceededException} and never an
 * {@link OutOfMemoryError} or a hang.
 *
 * <table>
 *   <caption>Settings and their defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>what it bounds</th></tr>
 *   <tr><td>{@link #maxDepth()}</td><td>{@value #DEFAULT_MAX_DEPTH}</td><td>nesting of structs, lists and sections</td></tr>
 *   <tr><td>{@link #maxSectionSize()}</td><td>{@value #DEFAULT_MAX_SECTION_SIZE} (256 MiB)</td><td>bytes of one section</td></tr>
 *   <tr><td>{@link #maxListLength()}</td><td>{@value #DEFAULT_MAX_LIST_LENGTH} (1 Mi)</td><td>entries of a list or variable array</td></tr>
 *   <tr><td>{@link #maxStringLength()}</td><td>{@value #DEFAULT_MAX_STRING_LENGTH} (64 KiB)</td><td>bytes of one string</td></tr>
 *   <tr><td>{@link #maxBytesLength()}</td><td>{@value #DEFAULT_MAX_BYTES_LENGTH} (16 MiB)</td><td>bytes of one variable-length byte field</td></tr>
 *   <tr><td>{@link #maxSectionCount()}</td><td>unlimited</td><td>sections in one stream</td></tr>
 *   <tr><td>{@link #maxStreamSize()}</td><td>unlimited</td><td>bytes of one stream</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe. Build a variant with {@link #builder()} or {@link #toBuilder()}.
 *
 * @since 0.1
 */
public final class ReadLimits {
    public static final int DEFAULT_MAX_DEPTH = 64;
    public static final long DEFAULT_MAX_SECTION_SIZE = 256L * 1024 * 1024;
    public static final int DEFAULT_MAX_LIST_LENGTH = 1 << 20;
    public static final int DEFAULT_MAX_STRING_LENGTH = 64 * 1024;
    public static final int DEFAULT_MAX_BYTES_LENGTH = 16 * 1024 * 1024;
    /** The value of a count or size setting that means "no limit". */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private static final ReadLimits DEFAULTS = builder().build();

    private final int maxDepth;
    private final long maxSectionSize;
    private final int maxListLength;
    private final int maxStringLength;
    private final int maxBytesLength;
    private final long maxSectionCount;
    private final long maxStreamSize;

    private ReadLimits(Builder b) {
        this.maxDepth = b.maxDepth;
        this.maxSectionSize = b.maxSectionSize;
        this.maxListLength = b.maxListLength;
        this.maxStringLength = b.maxStringLength;
        this.maxBytesLength = b.maxBytesLength;
        this.maxSectionCount = b.maxSectionCount;
        this.maxStreamSize = b.maxStreamSize;
    }

    /** The documented defaults. */
    public static ReadLimits defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .maxDepth(maxDepth)
                .maxSectionSize(maxSectionSize)
                .maxListLength(maxListLength)
                .maxStringLength(maxStringLength)
                .maxBytesLength(maxBytesLength)
                .maxSectionCount(maxSectionCount)
                .maxStreamSize(maxStreamSize);
    }

    public int maxDepth() {
        return maxDepth;
    }

    public long maxSectionSize() {
        return maxSectionSize;
    }

    public int maxListLength() {
        return maxListLength;
    }

    public int maxStringLength() {
        return maxStringLength;
    }

    public int maxBytesLength() {
        return maxBytesLength;
    }

    public long maxSectionCount() {
        return maxSectionCount;
    }

    public long maxStreamSize() {
        return maxStreamSize;
    }

    /** Fails unless {@code depth} nested levels are allowed. */
    public void checkDepth(int depth) {
        if (depth > maxDepth) {
            throw exceeded("nesting depth", depth, maxDepth, "maxDepth");
        }
    }

    /** Fails unless a list or variable array of {@code length} entries is allowed. */
    public void checkListLength(long length) {
        if (length < 0 || length > maxListLength) {
            throw exceeded("list length", length, maxListLength, "maxListLength");
        }
    }

    /** Fails unless a string of {@code length} bytes is allowed. */
    public void checkStringLength(long length) {
        if (length < 0 || length > maxStringLength) {
            throw exceeded("string length", length, maxStringLength, "maxStringLength");
        }
    }

    /** Fails unless a variable-length byte field of {@code length} bytes is allowed. */
    public void checkBytesLength(long length) {
        if (length < 0 || length > maxBytesLength) {
            throw exceeded("bytes length", length, maxBytesLength, "maxBytesLength");
        }
    }

    /** Fails unless a section of {@code size} bytes is allowed. */
    public void checkSectionSize(long size) {
        if (size < 0 || size > maxSectionSize) {
            throw exceeded("section size", size, maxSectionSize, "maxSectionSize");
        }
    }

    /** Fails unless a stream may hold {@code count} sections. */
    public void checkSectionCount(long count) {
        if (count < 0 || count > maxSectionCount) {
            throw exceeded("section count", count, maxSectionCount, "maxSectionCount");
        }
    }

    /** Fails unless a stream may be {@code size} bytes long. */
    public void checkStreamSize(long size) {
        if (size < 0 || size > maxStreamSize) {
            throw exceeded("stream size", size, maxStreamSize, "maxStreamSize");
        }
    }

    private static LimitExceededException exceeded(String what, long found, long max, String setting) {
        String shown = found < 0 ? Long.toUnsignedString(found) : Long.toString(found);
        return new LimitExceededException(what + " (" + shown + ") exceeds the maximum allowed ("
                + max + ", from ReadLimits." + setting + "())");
    }

    @Override
    public String toString() {
        return "ReadLimits{maxDepth=" + maxDepth + ", maxSectionSize=" + maxSectionSize
                + ", maxListLength=" + maxListLength + ", maxStringLength=" + maxStringLength
                + ", maxBytesLength=" + maxBytesLength + ", maxSectionCount=" + maxSectionCount
                + ", maxStreamSize=" + maxStreamSize + "}";
    }

    /** Builds {@link ReadLimits}; starts from the defaults. Not thread-safe. */
    public static final class Builder {
        private int maxDepth = DEFAULT_MAX_DEPTH;
        private long maxSectionSize = DEFAULT_MAX_SECTION_SIZE;
        private int maxListLength = DEFAULT_MAX_LIST_LENGTH;
        private int maxStringLength = DEFAULT_MAX_STRING_LENGTH;
        private int maxBytesLength = DEFAULT_MAX_BYTES_LENGTH;
        private long maxSectionCount = UNLIMITED;
        private long maxStreamSize = UNLIMITED;

        private Builder() {
        }

        public Builder maxDepth(int value) {
            this.maxDepth = (int) nonNegative("maxDepth", value);
            return this;
        }

        public Builder maxSectionSize(long value) {
            this.maxSectionSize = nonNegative("maxSectionSize", value);
            return this;
        }

        public Builder maxListLength(int value) {
            this.maxListLength = (int) nonNegative("maxListLength", value);
            return this;
        }

        public Builder maxStringLength(int value) {
            this.maxStringLength = (int) nonNegative("maxStringLength", value);
            return this;
        }

        public Builder maxBytesLength(int value) {
            this.maxBytesLength = (int) nonNegative("maxBytesLength", value);
            return this;
        }

        public Builder maxSectionCount(long value) {
            this.maxSectionCount = nonNegative("maxSectionCount", value);
            return this;
        }

        public Builder maxStreamSize(long value) {
            this.maxStreamSize = nonNegative("maxStreamSize", value);
            return this;
        }

        public ReadLimits build() {
            return new ReadLimits(this);
        }

        private static long nonNegative(String name, long value) {
            if (value < 0) {
                throw new IllegalArgumentException(name + " must not be negative, got " + value);
            }
            return value;
        }
    }
}
