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

    private ReadOptions(ReadLimits limits, SchemaSource schemas, StateTargets targets, Description description) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.schemas = Objects.requireNonNull(schemas, "schemas");
        this.targets = Objects.requireNonNull(targets, "targets");
        this.description = description;
    }

    /** Default limits, no schemas from elsewhere, every section into a generic tree. */
    public static ReadOptions defaults() {
        return new ReadOptions(ReadLimits.defaults(), SchemaSource.NONE, StateTargets.GENERIC, null);
    }

    public ReadOptions withLimits(ReadLimits l) {
        return new ReadOptions(l, schemas, targets, description);
    }

    public ReadOptions withSchemas(SchemaSource s) {
        return new ReadOptions(limits, s, targets, description);
    }

    public ReadOptions withTargets(StateTargets t) {
        return new ReadOptions(limits, schemas, t, description);
    }

    /** With the stream's description trailer known before reading (see {@link WireFormat#prepare}). */
    public ReadOptions withDescription(Description d) {
        return new ReadOptions(limits, schemas, targets, d);
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
