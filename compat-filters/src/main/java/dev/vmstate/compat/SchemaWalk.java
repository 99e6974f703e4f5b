package dev.vmstate.compat;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Finds and rebuilds the struct a path leads to. A path goes through struct, struct-array, list
 * and section members; list and array elements share one element schema, so an edit there
 * applies to every element (#6).
 */
final class SchemaWalk {
    private SchemaWalk() {
    }

    /** The struct at {@code structPath} below {@code root} (the root itself for an empty path). */
    static Schema at(Schema root, List<String> structPath) {
        Schema s = root;
        for (String name : structPath) {
            s = nested(s, name);
        }
        return s;
    }

    /** {@code root} with the struct at {@code structPath} replaced by {@code edit} of it. */
    static Schema update(Schema root, List<String> structPath, UnaryOperator<Schema> edit) {
        if (structPath.isEmpty()) {
            return edit.apply(root);
        }
        String name = structPath.get(0);
        Field f = Members.require(root, name);
        Schema inner = update(nested(root, name), structPath.subList(1, structPath.size()), edit);
        return Members.replace(root, name, List.of(Members.withStruct(f, inner)));
    }

    private static Schema nested(Schema s, String name) {
        Field f = Members.require(s, name);
        if (f.struct() == null) {
            throw new IllegalArgumentException(name + " in " + s.name() + " is a " + f.describe()
                    + ", not a struct, list or section");
        }
        return f.struct();
    }
}
