package dev.vmstate.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.ListValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The versions go to the present sections in pre-order, through structs and lists; nothing else changes. */
class SectionVersionsTest {
    private static final Schema EXTRA = new Schema("extra", 5, 5, List.of(Field.scalar("v", Kind.U8, null)));
    private static final Schema QUEUE = new Schema("queue", 1, 1, List.of(
            Field.scalar("head", Kind.U32, null),
            Field.section("pending", EXTRA)));
    private static final Schema DEVICE = new Schema("dev", 3, 1, List.of(
            Field.scalar("id", Kind.U8, null),
            Field.list("queues", QUEUE),
            Field.section("extra", EXTRA)));

    private static StructValue struct(String type, Object... kv) {
        Map<String, StateTree> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (StateTree) kv[i + 1]);
        }
        return new StructValue(type, m);
    }

    private static StructValue tree(int first, int second) {
        StructValue extra = struct("extra", "v", new IntValue(Kind.U8, 9));
        return struct("dev",
                "id", new IntValue(Kind.U8, 1),
                "queues", new ListValue(Kind.LIST, List.of(
                        struct("queue", "head", new IntValue(Kind.U32, 10), "pending", new SectionValue(first, extra)),
                        struct("queue", "head", new IntValue(Kind.U32, 11)))),
                "extra", new SectionValue(second, extra));
    }

    @Test
    void eachPresentSectionGetsItsVersionInPreOrder() {
        StructValue loaded = tree(5, 5);
        StructValue kept = SectionVersions.apply(DEVICE, loaded, new int[] {2, 4});
        assertThat(kept).isEqualTo(tree(2, 4));
        assertThat(((ListValue) kept.get("queues")).items().get(1)).isEqualTo(
                struct("queue", "head", new IntValue(Kind.U32, 11)));
        // the tree it was given is left alone
        assertThat(loaded).isEqualTo(tree(5, 5));
    }
}
