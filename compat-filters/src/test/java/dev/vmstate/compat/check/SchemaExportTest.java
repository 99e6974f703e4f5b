package dev.vmstate.compat.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.compat.CompatChain;
import dev.vmstate.compat.Transform;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The export document: its layout, a round trip with a declared transform, and errors that name their JSON path. */
class SchemaExportTest {
    static final Schema BLOCK = new Schema("vs-block", 3, 1, List.of(
            Field.scalar("page_size", Kind.U32, null),
            Field.scalar("dirty_sync_count", Kind.U64, null)));

    /** A history like vs-ramblock's: a retype, then a rename and a transform of the value. */
    static final CompatChain BLOCK_CHAIN = CompatChain.of(BLOCK)
            .step(1, s -> s.retype("dirty_sync_count", Kind.U32, Kind.U64))
            .step(2, s -> s.rename("page_shift", "page_size")
                    .transform("page-shift-to-bytes", "", t -> t, t -> t, false))
            .build();

    static final SchemaExport EXPORT = SchemaExport.of(List.of(BLOCK_CHAIN, CompatCheckerTest.OLD), "vmstate test");

    @Test
    void theDocumentListsTypesByNameWithSchemaAndSteps() {
        String json = EXPORT.toJson();
        assertThat(json).startsWith("{\n  \"vmstate_schemas\": 1,\n  \"producer\": \"vmstate test\",\n  \"types\": [");
        assertThat(json.indexOf("\"type\": \"vs-block\"")).isLessThan(json.indexOf("\"type\": \"vs-dev\""));
        assertThat(json).contains("\"op\": \"transform\"").contains("\"name\": \"page-shift-to-bytes\"")
                .contains("\"lossless\": false").contains("\"vmsd_name\": \"vs-block\"");
    }

    @Test
    void aReadExportChecksCompatibleWithTheChainsItCameFrom() {
        SchemaExport read = SchemaExport.read(EXPORT.toJson());
        assertThat(read.producer()).isEqualTo("vmstate test");
        assertThat(read.chains()).extracting(CompatChain::type).containsExactly("vs-block", "vs-dev");
        CompatChain block = read.chain("vs-block").orElseThrow();
        for (int v = 1; v <= 3; v++) {
            assertThat(block.schemaAt(v)).isEqualTo(BLOCK_CHAIN.schemaAt(v));
        }
        assertThat(read.toJson()).isEqualTo(EXPORT.toJson());
        for (Direction d : Direction.values()) {
            CheckReport r = CompatChecker.check(read.chains(), EXPORT.chains(), d);
            assertThat(r.problems()).as(d.id()).isEmpty();
        }
        Transform t = (Transform) block.steps().get(1).ops().get(1);
        assertThat(t.declaredOnly()).isTrue();
        StructValue v2 = new StructValue("vs-block", java.util.Map.of(
                "page_shift", new dev.vmstate.tree.StateTree.IntValue(Kind.U32, 12),
                "dirty_sync_count", new dev.vmstate.tree.StateTree.IntValue(Kind.U64, 0)));
        assertThatThrownBy(() -> block.upgrade(v2, 2)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("transform page-shift-to-bytes needs its code; this chain was read from JSON for"
                        + " checking only");
    }

    @Test
    void aDroppedTransformIsAStepChange() {
        CompatChain without = CompatChain.of(BLOCK)
                .step(1, s -> s.retype("dirty_sync_count", Kind.U32, Kind.U64))
                .step(2, s -> s.rename("page_shift", "page_size"))
                .build();
        List<Problem> ps = CompatChecker.check(SchemaExport.read(EXPORT.toJson()).chain("vs-block").orElseThrow(),
                without, Direction.FORWARD);
        assertThat(ps).extracting(Problem::rule, Problem::message).containsExactly(org.assertj.core.api.Assertions
                .tuple(Rule.STEP_CHANGED, "step 2->3 differs: OLD rename page_shift to page_size; transform"
                        + " page-shift-to-bytes at (root) (lossy); NEW rename page_shift to page_size (upgrades and"
                        + " downgrades between the builds give other values)"));
    }

    @Test
    void badDocumentsFailNamingTheJsonPath() {
        refused("[]", "$: expected a JSON object, found an array");
        refused("{}", "$: not a schema export: no \"vmstate_schemas\" member (vmstate schema --all --json writes one)");
        refused("{\"vmstate_schemas\": 2, \"types\": []}", "$.vmstate_schemas: layout version 2, this build reads"
                + " version 1");
        refused("{\"vmstate_schemas\": 1}", "$.types: missing; expected an array of device types");
        refused("{\"vmstate_schemas\": 1, \"types\": {}}", "$.types: expected a JSON array, found an object");
        refused("{\"vmstate_schemas\": 1, \"types\": [7]}", "$.types[0]: expected a JSON object, found 7");
        refused("{\"vmstate_schemas\": 1, \"types\": [{\"type\": \"a\", \"version\": 1}]}",
                "$.types[0].schema: expected a JSON object, found null");
        refused(type("{\"vmsd_name\": \"a\", \"version\": 1, \"fields\": [{\"name\": \"x\", \"type\": \"uint9\"}]}",
                "[]"), "$.types[0].schema.fields[0].type: unknown type \"uint9\"");
        refused(type("{\"vmsd_name\": \"b\", \"version\": 1, \"fields\": []}", "[]"),
                "$.types[0].schema.vmsd_name: \"b\", expected the type \"a\"");
        refused(type("{\"vmsd_name\": \"a\", \"version\": 2, \"minimum_version\": 1, \"fields\": []}", "[]"),
                "$.types[0].version: 1, but the schema has version 2");
        refused(type("{\"vmsd_name\": \"a\", \"version\": 1, \"fields\": []}",
                "[{\"from\": 0, \"ops\": []}]"),
                "$.types[0].steps: a: step 0->1 is outside the supported versions 1..1");
        String twice = "{\"vmstate_schemas\": 1, \"types\": [" + entry() + ", " + entry() + "]}";
        refused(twice, "$.types[1].type: device type \"a\" is listed twice (also at $.types[0])");
        assertThatThrownBy(() -> SchemaExport.read("{\"vmstate_schemas\": 1,")).isInstanceOf(
                MalformedStreamException.class).hasMessageStartingWith("invalid JSON");
    }

    @Test
    void anUnknownOperationNamesItsPlace() {
        String json = "{\"vmstate_schemas\": 1, \"types\": [{\"type\": \"a\", \"version\": 2, \"minimum\": 1,"
                + " \"schema\": {\"vmsd_name\": \"a\", \"version\": 2, \"minimum_version\": 1, \"fields\": []},"
                + " \"steps\": [{\"from\": 1, \"ops\": [{\"op\": \"explode\", \"path\": [\"x\"]}]}]}]}";
        refused(json, "$.types[0].steps[0].ops[0].op: unknown operation \"explode\", expected one of rename, retype,"
                + " add, remove, move_into_section, move_out_of_section, split, merge");
    }

    private static String entry() {
        return "{\"type\": \"a\", \"version\": 1, \"minimum\": 1, \"schema\": {\"vmsd_name\": \"a\", \"version\": 1,"
                + " \"fields\": []}, \"steps\": []}";
    }

    private static String type(String schema, String steps) {
        return "{\"vmstate_schemas\": 1, \"types\": [{\"type\": \"a\", \"version\": 1, \"schema\": " + schema
                + ", \"steps\": " + steps + "}]}";
    }

    private static void refused(String json, String message) {
        assertThatThrownBy(() -> SchemaExport.read(json)).isInstanceOf(MalformedStreamException.class)
                .hasMessage(message);
    }
}
