package dev.vmstate.compat;

import static dev.vmstate.compat.Conversions.checkContract;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.testkit.Schemas;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.visitor.Kind;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The operations that apply to any member, over random schemas of every shape the testkit makes:
 * whatever a device looks like, renaming, adding and removing members keeps the round-trip
 * contract. Seeded, so a failure names the schema it happened with.
 */
class RandomSchemaContractTest {
    private static final int SCHEMAS = 25;

    @Test
    void renameAddAndRemoveHoldForAnyShape() {
        for (int seed = 0; seed < SCHEMAS; seed++) {
            Schema s = Schemas.generate("dev", Schemas.draw(new Random(seed)));
            if (s.members().isEmpty()) {
                continue;
            }
            try {
                check(s, seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("schema of seed " + seed + ":\n" + s, e);
            }
        }
    }

    private static void check(Schema s, int seed) {
        Field first = s.members().get(0);
        Field last = s.members().get(s.members().size() - 1);
        String beforeLast = s.members().size() > 1 ? s.members().get(s.members().size() - 2).name() : Operation.FIRST;
        checkContract(s, new Rename(List.of(first.name()), "renamed_" + seed), false);
        checkContract(s, new Add(List.of("added"), Field.scalar("added", Kind.U32, null),
                new IntValue(Kind.U32, seed), Operation.FIRST), false);
        checkContract(s, new Remove(List.of(last.name()), last, Zero.of(last), beforeLast), false);
    }
}
