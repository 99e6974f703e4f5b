package dev.vmstate.device.nic;

import dev.vmstate.visitor.EnumType;

/**
 * The link state of a {@link PciNic}, with explicit wire codes so reordering the constants never
 * changes a stream. Immutable and thread-safe.
 *
 * @since 0.1
 */
public enum LinkState {
    DOWN(0),
    UP(1),
    /** Auto-negotiation is in progress; the link comes up when it completes. */
    NEGOTIATING(2);

    /** How link states are visited. */
    public static final EnumType<LinkState> TYPE = EnumType.of(LinkState.class, LinkState::code);

    private final int code;

    LinkState(int code) {
        this.code = code;
    }

    /** The wire code. */
    public int code() {
        return code;
    }
}
