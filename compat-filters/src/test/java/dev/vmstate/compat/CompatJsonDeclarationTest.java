package dev.vmstate.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.internal.Json;
import dev.vmstate.internal.JsonValues;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A chain's declaration (#6, the static checker's export): transforms are named instead of
 * refused, and read back as schema-neutral placeholders that fail when a state meets them.
 */
class CompatJsonDeclarationTest {
    private static final String DECLARED = "{\"op\": \"transform\", \"path\": [], \"name\": \"period-us-to-ns\","
            + " \"lossless\": false}";

    @Test
    void aTransformIsDeclaredByNamePathAndFlag() {
        Map<String, Object> m = CompatJson.declaration(ExampleChains.timer());
        List<Object> steps = JsonValues.array(m.get("steps"), "$");
        List<Object> ops = JsonValues.array(JsonValues.object(steps.get(2), "$").get("ops"), "$");
        assertThat(Json.compact(ops.get(ops.size() - 1)))
                .isEqualTo(DECLARED);
        // everything else is the chain file's layout
        Map<String, Object> file = JsonValues.object(Json.parse(CompatJson.write(ExampleChains.timerDeclarative())), "$");
        assertThat(JsonValues.array(file.get("steps"), "$").subList(0, 2)).isEqualTo(steps.subList(0, 2));
    }

    @Test
    void aDeclarationReadsBackIntoTheSameSchemasAndSteps() {
        CompatChain java = ExampleChains.timer();
        Map<String, Object> m = JsonValues.object(Json.parse(Json.pretty(CompatJson.declaration(java))), "$");
        CompatChain read = CompatJson.readDeclaration(m, ExampleChains.TIMER, "$");
        for (int v = java.minimumVersion(); v <= java.version(); v++) {
            assertThat(read.schemaAt(v)).isEqualTo(java.schemaAt(v));
        }
        assertThat(read.steps().stream().map(Step::describe).toList())
                .isEqualTo(java.steps().stream().map(Step::describe).toList());
        assertThat(CompatJson.declaration(read)).isEqualTo(CompatJson.declaration(java));
        Transform t = (Transform) read.steps().get(2).ops().get(4);
        assertThat(t.declaredOnly()).isTrue();
        assertThat(t).isEqualTo(Transform.declared("period-us-to-ns", List.of(), false));
        assertThat(((Transform) java.steps().get(2).ops().get(4)).declaredOnly()).isFalse();
    }

    @Test
    void convertingAStateThroughADeclaredTransformFailsClearly() {
        CompatChain read = CompatJson.readDeclaration(CompatJson.declaration(ExampleChains.timer()),
                ExampleChains.TIMER, "$");
        StructValue v2 = Zero.of(read.schemaAt(2));
        String message = "transform period-us-to-ns needs its code; this chain was read from JSON for checking only";
        assertThatThrownBy(() -> read.upgrade(v2, 2)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> read.downgrade(Zero.of(read.schemaAt(3)), 0, true))
                .isInstanceOf(UnsupportedOperationException.class).hasMessage(message);
        // the steps below the transform still convert
        assertThat(read.schemaAt(1)).isEqualTo(ExampleChains.timer().schemaAt(1));
    }

    @Test
    void aChainFileStillRefusesTransformsBothWays() {
        assertThatThrownBy(() -> CompatJson.write(ExampleChains.timer())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("a transform is code and has no JSON form");
        String file = "{\"type\": \"vs-timer\", \"minimum\": 2, \"steps\": [{\"from\": 2, \"ops\": [" + DECLARED
                + "]}]}";
        assertThatThrownBy(() -> CompatJson.read(file, ExampleChains.TIMER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("$.steps[0].ops[0]: a transform needs code, so it cannot come from JSON;"
                        + " declare it in Java next to the device");
    }

    @Test
    void declarationErrorsNameTheirPlaceUnderTheGivenRoot() {
        String noName = "{\"type\": \"vs-timer\", \"minimum\": 2, \"steps\": [{\"from\": 2, \"ops\": ["
                + "{\"op\": \"transform\", \"path\": [], \"lossless\": true}]}]}";
        assertThatThrownBy(() -> CompatJson.readDeclaration(JsonValues.object(Json.parse(noName), "$"),
                ExampleChains.TIMER, "$.types[4]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("$.types[4].steps[0].ops[0].name: expected a string, found null");
        String noFlag = "{\"type\": \"vs-timer\", \"minimum\": 2, \"steps\": [{\"from\": 2, \"ops\": ["
                + "{\"op\": \"transform\", \"path\": [], \"name\": \"t\", \"lossless\": \"yes\"}]}]}";
        assertThatThrownBy(() -> CompatJson.readDeclaration(JsonValues.object(Json.parse(noFlag), "$"),
                ExampleChains.TIMER, "$.types[4]"))
                .hasMessage("$.types[4].steps[0].ops[0].lossless: expected true or false, found the string \"yes\"");
        String badPath = "{\"type\": \"vs-timer\", \"minimum\": 2, \"steps\": [{\"from\": 2, \"ops\": ["
                + "{\"op\": \"transform\", \"path\": [\"nope\"], \"name\": \"t\", \"lossless\": true}]}]}";
        assertThatThrownBy(() -> CompatJson.readDeclaration(JsonValues.object(Json.parse(badPath), "$"),
                ExampleChains.TIMER, "$.types[4]"))
                .hasMessageStartingWith("$.types[4].steps[0].ops[0]: ");
        String wrongType = "{\"type\": \"vs-other\", \"steps\": []}";
        assertThatThrownBy(() -> CompatJson.readDeclaration(JsonValues.object(Json.parse(wrongType), "$"),
                ExampleChains.TIMER, "$.types[4]"))
                .hasMessage("$.types[4].type: the file is for vs-other, not vs-timer");
    }
}
