package dev.vmstate.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.visitor.Kind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One stream's schema ids, as a writer asks for them: by instance, then by encoding. */
class SchemaIdsTest {
    private final SchemaCache cache = new SchemaCache(s -> SchemaJson.toJson(s).getBytes(StandardCharsets.UTF_8));

    private static Schema schema(int k) {
        return new Schema("dev" + k, 1, 1, List.of(Field.scalar("x", Kind.U8, null)));
    }

    /** What a writer does for a device record of {@code s}: the id, given and recorded. */
    private static int id(SchemaIds ids, SchemaCache cache, Schema s) {
        int known = ids.ofInstance(s);
        SchemaCache.Encoded enc = null;
        if (known < 0) {
            enc = cache.encode(s);
            known = ids.ofEncoding(enc);
        }
        int id = known < 0 ? ids.next() : known;
        ids.put(s, id, known < 0 ? enc : null);
        return id;
    }

    @Test
    void equalSchemasShareAnIdWhateverTheInstance() {
        // past the linear table (16 ids): the maps that take over must give the same answers
        for (int distinct : new int[] {3, 16, 17, 40}) {
            SchemaIds ids = new SchemaIds();
            assertThat(ids.next()).isZero();
            for (int copy = 0; copy < 3; copy++) {
                for (int k = 0; k < distinct; k++) {
                    Schema s = schema(k);
                    assertThat(ids.ofInstance(s)).isEqualTo(-1);
                    assertThat(id(ids, cache, s)).as("copy %d of schema %d of %d", copy, k, distinct).isEqualTo(k);
                    assertThat(ids.ofInstance(s)).isEqualTo(k);
                }
            }
            assertThat(ids.next()).isEqualTo(distinct);
            assertThat(ids.ofEncoding(cache.encode(schema(distinct)))).isEqualTo(-1);
        }
    }

    @Test
    void theSameInstanceIsFoundWithoutItsEncoding() {
        SchemaIds ids = new SchemaIds();
        Schema s = schema(1);
        assertThat(id(ids, cache, s)).isZero();
        assertThat(ids.ofInstance(s)).isZero();
        assertThat(id(ids, cache, schema(2))).isEqualTo(1);
        assertThat(id(ids, cache, s)).isZero();
        assertThat(ids.next()).isEqualTo(2);
    }
}
