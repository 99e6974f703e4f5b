package dev.vmstate.format.json;

import java.util.HashSet;
import java.util.Set;

/**
 * The member names of one JSON object being read, each allowed once, and which of them a record
 * requires. Members may come in any order except where the spec says otherwise.
 *
 * <p>Not thread-safe.
 */
final class Members {
    private final JsonInput in;
    final String where;
    final Set<String> seen = new HashSet<>();

    /** {@code where} names the object in messages: {@code "a page record"}. */
    Members(JsonInput in, String where) {
        this.in = in;
        this.where = where;
    }

    /** The next member name, or {@code null} at the end of the object. */
    String next() {
        String name = in.nextName();
        if (name != null && !seen.add(name)) {
            throw in.here(JsonErrors.duplicateMember(name));
        }
        return name;
    }

    /** Fails at {@code at} (the object's first byte) unless every one of {@code names} was seen. */
    void require(long at, String... names) {
        for (String n : names) {
            if (!seen.contains(n)) {
                throw JsonErrors.missingMember(n, where).atOffset(at);
            }
        }
    }

    /** The failure for a member this object does not have. */
    RuntimeException unknown(String name) {
        return in.here(JsonErrors.unknownMember(name, where));
    }
}
