package dev.vmstate.spi;

/**
 * What a wire format can do, stated before it makes anything (as QEMU's {@code VCAP_*} flags
 * gate its tests): the conformance suite and the CLI decide from these, never from the name.
 *
 * @param selfDescribing    a reader needs no schema from elsewhere: the stream carries each section's layout
 * @param carriesFieldNames field names are on the wire
 * @param deterministic     the same records always give the same bytes, so write → read → write is byte-identical
 * @param envelope          the stream starts with the common vmstate envelope ({@link Envelope})
 * @since 0.1
 */
public record FormatCapabilities(boolean selfDescribing, boolean carriesFieldNames, boolean deterministic,
                                 boolean envelope) {

    /** A short list for {@code vmstate formats}: {@code self-describing, names, deterministic, envelope}. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(selfDescribing ? "self-describing" : "schema-less");
        sb.append(carriesFieldNames ? ", field names" : ", no field names");
        if (deterministic) {
            sb.append(", deterministic");
        }
        if (envelope) {
            sb.append(", envelope");
        }
        return sb.toString();
    }
}
