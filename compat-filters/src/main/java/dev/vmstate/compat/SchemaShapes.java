package dev.vmstate.compat;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import java.util.List;
import java.util.Objects;

/**
 * Schema equality without presentation hints. Hints change no encoding, and a split or merged
 * field cannot know the hint it had in another version, so the chain compares shapes, not hints.
 */
final class SchemaShapes {
    private SchemaShapes() {
    }

    static boolean same(Schema a, Schema b) {
        if (a == b) {
            return true;
        }
        if (!a.name().equals(b.name()) || a.version() != b.version() || a.minimumVersion() != b.minimumVersion()) {
            return false;
        }
        List<Field> x = a.members();
        List<Field> y = b.members();
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (!same(x.get(i), y.get(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean same(Field a, Field b) {
        return a.name().equals(b.name()) && a.kind() == b.kind() && a.size() == b.size() && a.length() == b.length()
                && a.element() == b.element() && Objects.equals(a.enumNames(), b.enumNames())
                && (a.struct() == null ? b.struct() == null : b.struct() != null && same(a.struct(), b.struct()));
    }
}
