package dev.vmstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.SampleTrees;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.schema.StructureValidator;
import dev.vmstate.visitor.Kind;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchemasTest {
    private static int depth(Schema s) {
        int d = 0;
        for (Field f : s.members()) {
            if (f.struct() != null) {
                d = Math.max(d, 1 + depth(f.struct()));
            }
        }
        return d;
    }

    private static void collect(Schema s, Set<Kind> kinds, List<String> sectionNames) {
        boolean sectionSeen = false;
        Set<String> names = new HashSet<>();
        for (Field f : s.members()) {
            kinds.add(f.kind());
            assertThat(names.add(f.name())).as("unique name %s in %s", f.name(), s.name()).isTrue();
            if (f.isSection()) {
                sectionSeen = true;
                sectionNames.add(f.name());
                assertThat(f.struct().name()).isEqualTo(f.name());
            } else {
                assertThat(sectionSeen).as("field %s after a section", f.name()).isFalse();
            }
            if (f.kind() == Kind.ARRAY || f.kind() == Kind.VARRAY) {
                kinds.add(f.element());
            }
            if (f.kind() == Kind.BUFFER) {
                assertThat(f.size()).isBetween(0, Schemas.MAX_BUFFER);
            }
            if (f.struct() != null) {
                collect(f.struct(), kinds, sectionNames);
            }
        }
    }

    @Test
    void schemasCoverEveryKindWithinTheRules() {
        Random random = new Random(7);
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        int deepest = 0;
        for (int i = 0; i < 300; i++) {
            SampleTrees.Draw draw = Schemas.draw(random);
            Schema s = Schemas.generate("dev", draw);
            List<String> sections = new java.util.ArrayList<>();
            collect(s, kinds, sections);
            assertThat(new HashSet<>(sections)).as("section names are unique in a device").hasSameSizeAs(sections);
            assertThat(depth(s)).isLessThanOrEqualTo(Schemas.MAX_DEPTH);
            deepest = Math.max(deepest, depth(s));
            assertThat(SchemaJson.fromJson(SchemaJson.toJson(s))).isEqualTo(s);
            assertThat(StructureValidator.conforms("dev", SampleTrees.generate(s, draw, 4), s)).isNull();
        }
        assertThat(kinds).containsAll(EnumSet.allOf(Kind.class));
        assertThat(deepest).isEqualTo(Schemas.MAX_DEPTH);
    }

    private static boolean hasEmptyElements(Schema s) {
        for (Field f : s.members()) {
            boolean repeated = f.kind() == Kind.LIST || f.kind() == Kind.STRUCT && f.length() > 0;
            if (repeated && f.struct().fields().isEmpty()) {
                return true;
            }
            if (f.struct() != null && hasEmptyElements(f.struct())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void elementsTakeBytesWhenAskedTo() {
        Random random = new Random(8);
        boolean sawEmpty = false;
        for (int i = 0; i < 300; i++) {
            sawEmpty |= hasEmptyElements(Schemas.generate("dev", Schemas.draw(random), true));
            assertThat(hasEmptyElements(Schemas.generate("dev", Schemas.draw(random), false))).isFalse();
        }
        assertThat(sawEmpty).as("empty list elements are generated when asked for").isTrue();
    }

    private static Schema smallestCounterexample(long seed, int shrinkCycles) {
        try {
            Properties.qt().withFixedSeed(seed).withShrinkCycles(shrinkCycles).withExamples(200).forAll(Schemas.schemas())
                    .check(s -> s.members().stream().noneMatch(f -> f.kind() == Kind.LIST));
        } catch (AssertionError e) {
            String m = e.getMessage();
            return SchemaJson.fromJson(m.substring(m.indexOf(":-") + 2, m.indexOf("Other found")).trim());
        }
        throw new AssertionError("no schema with a list in 200 examples");
    }

    private static int size(Schema s) {
        return s.members().size() + s.members().stream().filter(f -> f.struct() != null).mapToInt(f -> size(f.struct()))
                .sum();
    }

    @Test
    void failuresShrink() {
        int found = 0;
        int shrunk = 0;
        for (long seed = 1; seed <= 12; seed++) {
            Schema first = smallestCounterexample(seed, 0);
            Schema small = smallestCounterexample(seed, 200);
            found += size(first);
            shrunk += size(small);
        }
        assertThat(shrunk).as("members in shrunk counterexamples vs first found").isLessThan(found * 3 / 4);
    }
}
