package dev.vmstate.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.testkit.Arbitraries;
import dev.vmstate.testkit.Properties;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.ListValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The round-trip contract of one operation, checked over generated trees of both versions. */
final class Conversions {
    private Conversions() {
    }

    /** Collects losses instead of throwing. */
    static final class Recorder implements LossSink {
        final List<String> losses = new ArrayList<>();

        @Override
        public void lost(String path, StateTree value, String what) {
            losses.add(path + "=" + value + " (" + what + ")");
        }
    }

    /**
     * {@code op} maps {@code before} up and back; for every generated tree of either version, the
     * result fits the other version, the lossless flags hold, and a conversion that lost nothing
     * comes back exactly (up to sections holding only zeros when {@code movesSections}).
     */
    static void checkContract(Schema before, Operation op, boolean movesSections) {
        Schema after = op.up(before);
        assertThat(SchemaShapes.same(op.down(after), before)).as("down(up(schema)) for %s", op.describe()).isTrue();
        Properties.qt().forAll(Arbitraries.states(before)).checkAssert(y -> {
            Recorder up = new Recorder();
            StructValue r = op.up(y, before, up);
            Fits.check(after, r);
            if (op.losslessUp()) {
                assertThat(up.losses).as(op.describe()).isEmpty();
            }
            if (up.losses.isEmpty()) {
                Recorder down = new Recorder();
                StructValue back = op.down(r, after, down);
                assertThat(down.losses).isEmpty();
                assertThat(normal(back, before, movesSections)).isEqualTo(normal(y, before, movesSections));
            }
        });
        Properties.qt().forAll(Arbitraries.states(after)).checkAssert(x -> {
            Recorder down = new Recorder();
            StructValue d = op.down(x, after, down);
            Fits.check(before, d);
            if (op.losslessDown()) {
                assertThat(down.losses).as(op.describe()).isEmpty();
            }
            if (down.losses.isEmpty()) {
                Recorder up = new Recorder();
                StructValue back = op.up(d, before, up);
                assertThat(up.losses).isEmpty();
                assertThat(normal(back, after, movesSections)).isEqualTo(normal(x, after, movesSections));
            }
        });
    }

    /**
     * {@code v} with every present section whose body holds only zero values made absent, when
     * {@code normalize}: moving fields through sections decides presence from values (see
     * {@link MoveIntoSection}), so such a section may come back absent or absent ones present.
     */
    static StructValue normal(StructValue v, Schema s, boolean normalize) {
        if (!normalize) {
            return v;
        }
        Map<String, StateTree> out = new LinkedHashMap<>();
        for (Field f : s.members()) {
            StateTree m = v.get(f.name());
            if (m instanceof SectionValue sec) {
                StructValue body = normal(sec.body(), f.struct(), true);
                if (!body.equals(Zero.of(f.struct()))) {
                    out.put(f.name(), new SectionValue(sec.version(), body));
                }
            } else if (m instanceof StructValue st) {
                out.put(f.name(), normal(st, f.struct(), true));
            } else if (m instanceof ListValue l) {
                out.put(f.name(), new ListValue(l.kind(), l.items().stream()
                        .map(i -> normal(i, f.struct(), true)).toList()));
            } else if (m != null) {
                out.put(f.name(), m);
            }
        }
        return new StructValue(v.type(), out);
    }
}
