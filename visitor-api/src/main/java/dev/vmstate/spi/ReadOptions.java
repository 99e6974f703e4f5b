package dev.vmstate.spi;

import dev.vmstate.limits.ReadLimits;
import dev.vmstate.stream.Description;
import java.util.Objects;

/**
 * How to read a stream: limits, where schemas come from, and what to load sections into.
 * Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ReadOptions {
    private final ReadLimits limits;
    private final SchemaSource schemas;
    private final StateTargets targets;
    private final Description description;
    private final boolean pageData;

    private ReadOptions(ReadLimits limits, SchemaSource schemas, StateTargets targets, Description description,
            boolean pageData) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.schemas = Objects.requireNonNull(schemas, "schemas");
        this.targets = Objects.requireNonNull(targets, "targets");
        this.description = description;
        this.pageData = pageData;
    }

    /** Default limits, no schemas from elsewhere, every section into a generic tree, page data read. */
    public static ReadOptions defaults() {
        return new ReadOptions(ReadLimits.defaults(), SchemaSource.NONE, StateTargets.GENERIC, null, true);
    }

    public ReadOptions withLimits(ReadLimits l) {
        return new ReadOptions(l, schemas, targets, description, pageData);
    }

    public ReadOptions withSchemas(SchemaSource s) {
        return new ReadOptions(limits, s, targets, description, pageData);
    }

    public ReadOptions withTargets(StateTargets t) {
        return new ReadOptions(limits, schemas, t, description, pageData);
    }

    /** With the stream's description trailer known before reading (see {@link WireFormat#prepare}). */
    public ReadOptions withDescription(Description d) {
        return new ReadOptions(limits, schemas, targets, d, pageData);
    }

    /**
     * Whether the caller needs the contents of RAM pages. With {@code false} a reader may skip them
     * (legacy seeks past them) and deliver raw and XBZRLE {@link dev.vmstate.stream.RamRecord.Page}s
     * with empty data; a zero page keeps its fill byte. Readers that cannot skip deliver the data
     * anyway. A caller that counts pages, as {@code vmstate dump} does by default, reads a large
     * stream several times faster this way.
     */
    public ReadOptions withPageData(boolean read) {
        return new ReadOptions(limits, schemas, targets, description, read);
    }

    /** See {@link #withPageData(boolean)}. */
    public boolean pageData() {
        return pageData;
    }

    /** The description trailer known in advance, or {@code null}. */
    public Description description() {
        return description;
    }

    public ReadLimits limits() {
        return limits;
    }

    public SchemaSource schemas() {
        return schemas;
    }

    public StateTargets targets() {
        return targets;
    }
}
