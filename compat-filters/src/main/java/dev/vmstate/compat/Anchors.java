package dev.vmstate.compat;

import dev.vmstate.schema.Schema;
import java.util.List;
import java.util.Objects;

/**
 * Fills in the anchors that say where an operation puts a member in the newer schema. The chain
 * is built down from the schema the device describes today, so these places are known there and
 * a caller never has to spell them out (#6); an anchor the caller did give must agree.
 */
final class Anchors {
    private Anchors() {
    }

    /** {@code op} with its newer-side anchor taken from {@code after}, the schema the op produces on the way up. */
    static Operation resolve(Operation op, Schema after) {
        if (op instanceof Add a) {
            String at = Members.predecessor(SchemaWalk.at(after, Paths.parent(a.path())), a.field().name());
            return new Add(a.path(), a.field(), a.defaultValue(), agree(a.after(), at));
        }
        if (op instanceof MoveIntoSection m) {
            Schema local = SchemaWalk.at(after, Paths.parent(m.path()));
            Schema body = Members.requireSection(local, m.section()).struct();
            String at = Members.predecessor(body, Paths.last(m.path()));
            return new MoveIntoSection(m.path(), m.section(), agree(m.after(), at), m.formerAfter());
        }
        if (op instanceof MoveOutOfSection m) {
            List<String> p = m.path();
            String at = Members.predecessor(SchemaWalk.at(after, p.subList(0, p.size() - 2)), Paths.last(p));
            return new MoveOutOfSection(p, agree(m.after(), at), m.formerAfter());
        }
        return op;
    }

    private static String agree(String given, String found) {
        if (given != null && !Objects.equals(given, found)) {
            throw new IllegalArgumentException("declared after \"" + given + "\", but the newer schema has it after \""
                    + found + "\"");
        }
        return found;
    }
}
