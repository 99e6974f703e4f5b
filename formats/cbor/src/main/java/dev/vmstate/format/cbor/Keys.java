package dev.vmstate.format.cbor;

/**
 * The keys of one record map (or of a block, a section value) being read, in the fixed order
 * {@code docs/formats/cbor.md} §2 gives them: one key of look-ahead, so optional keys
 * ({@code crc32c}, a start chunk's id) can be tested for before they are taken.
 *
 * <p>Not thread-safe.
 */
final class Keys {
    private final CborInput in;
    private final String where;
    private final long start;
    private String pending;
    private long pendingAt;
    private boolean peeked;

    /** {@code where} names the map in messages ("a device record"); {@code start} is its offset. */
    Keys(CborInput in, String where, long start) {
        this.in = in;
        this.where = where;
        this.start = start;
    }

    private String peek() {
        if (!peeked) {
            pending = in.nextName();
            pendingAt = in.tokenOffset();
            peeked = true;
        }
        return pending;
    }

    /** Whether the next key is {@code key}. */
    boolean has(String key) {
        return key.equals(peek());
    }

    /** Consumes {@code key}, which must be the next key; the caller reads its value next. */
    void take(String key) {
        String k = peek();
        if (!key.equals(k)) {
            throw k == null ? CborErrors.missingKey(key, where).atOffset(start)
                    : CborErrors.misplacedKey(k, key, where).atOffset(pendingAt);
        }
        peeked = false;
    }

    /** Fails unless the map ends here. */
    void end() {
        String k = peek();
        if (k != null) {
            throw CborErrors.unknownKey(k, where).atOffset(pendingAt);
        }
        peeked = false;
    }

    /** The map's offset, where a missing key is reported. */
    long start() {
        return start;
    }

    String where() {
        return where;
    }
}
