package dev.vmstate.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.visitor.DescribeVisitor;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import org.junit.jupiter.api.Test;

/** #6: the must-understand mark, from the visitor call to the schema and its JSON form. */
class MustUnderstandTest {
    static final class Device implements Visitable {
        int plain;
        long critical;
        final Visitable inner = v -> {
            v.u8("a", 0);
            v.u8("b", 0);
        };
        final Visitable body = v -> v.u16("head", 0);

        @Override
        public void visit(Visitor v) {
            plain = v.u8("plain", plain);
            critical = v.mustUnderstand().u32("critical", critical);
            v.mustUnderstand().struct("inner", inner);
            v.section("dev/optional", false, body);
            v.mustUnderstand().section("dev/inflight", false, body);
        }
    }

    private static final Schema SCHEMA = DescribeVisitor.describe("dev", 1, 1, new Device());

    @Test
    void theMarkAppliesToTheNextMemberOnly() {
        assertThat(SCHEMA.members()).extracting(f -> f.name() + "=" + f.mustUnderstand())
                .containsExactly("plain=false", "critical=true", "inner=true", "dev/optional=false", "dev/inflight=true");
        // a marked struct does not pass the mark on to its first member
        assertThat(SCHEMA.member("inner").struct().members()).noneMatch(Field::mustUnderstand);
    }

    @Test
    void theFlagIsPartOfTheSchemaButNotOfTheLayout() {
        Field f = SCHEMA.member("critical");
        assertThat(f).isNotEqualTo(f.withMustUnderstand(false));
        assertThat(f.withMustUnderstand(false).withMustUnderstand(true)).isEqualTo(f);
        assertThat(f.withName("renamed").mustUnderstand()).isTrue();
    }

    @Test
    void schemaJsonCarriesTheFlagOnFieldsAndSubsections() {
        String json = SchemaJson.toJson(SCHEMA);
        assertThat(json).contains("\"must_understand\": true");
        assertThat(json.split("must_understand", -1)).hasSize(4); // critical, inner, dev/inflight
        assertThat(SchemaJson.fromJson(json)).isEqualTo(SCHEMA);
        assertThat(SchemaJson.toJson(DescribeVisitor.describe("dev", 1, 1, (Visitable) v -> v.u8("x", 0))))
                .doesNotContain("must_understand");
    }

    @Test
    void aFlagThatIsNotABooleanIsRefusedWithItsPath() {
        String json = "{\"vmsd_name\": \"dev\", \"version\": 1, \"fields\": [{\"name\": \"x\", \"type\": \"uint8\","
                + " \"size\": 1, \"must_understand\": \"yes\"}]}";
        assertThatThrownBy(() -> SchemaJson.fromJson(json)).isInstanceOf(MalformedStreamException.class)
                .hasMessageContaining("$.fields[0].must_understand").hasMessageContaining("expected true or false");
    }
}
