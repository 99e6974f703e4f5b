package dev.vmstate.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.testkit.Arbitraries;
import dev.vmstate.testkit.EveryKind;
import dev.vmstate.testkit.Properties;
import dev.vmstate.visitor.Visitables;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chains as JSON files: the layout, round trips, and errors that name their place in the file. */
class CompatJsonTest {
    static String resource(String name) throws IOException {
        try (InputStream in = CompatJsonTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theTimersDeclarativeChainIsTheDocumentedFile() throws IOException {
        String json = CompatJson.write(ExampleChains.timerDeclarative());
        assertThat(json + "\n").isEqualTo(resource("vs-timer-compat.json"));
    }

    @Test
    void readingAFileGivesTheChainDeclaredInJava() throws IOException {
        CompatChain read = CompatJson.read(resource("vs-timer-compat.json"), ExampleChains.TIMER);
        CompatChain java = ExampleChains.timerDeclarative();
        assertThat(read.steps()).isEqualTo(java.steps());
        for (int v = 0; v <= 3; v++) {
            assertThat(read.schemaAt(v)).isEqualTo(java.schemaAt(v));
        }
        assertThat(CompatJson.write(read)).isEqualTo(CompatJson.write(java));
    }

    @Test
    void rtcRoundTrips() {
        CompatChain rtc = ExampleChains.rtc();
        CompatChain read = CompatJson.read(CompatJson.write(rtc), ExampleChains.RTC);
        assertThat(read.steps()).isEqualTo(rtc.steps());
        assertThat(read.minimumVersion()).isEqualTo(1);
    }

    @Test
    void defaultsOfEveryKindRoundTrip() {
        // A struct of testkit's every-kind device as the default: scalars of each kind, strings,
        // bytes, buffers, arrays, enums, nested structs, struct arrays, lists and sections.
        Schema everyKind = Visitables.describe("every", 1, 1, new EveryKind());
        Field field = Field.struct("every", everyKind, 0);
        Schema current = new Add(List.of("every"), field, Zero.of(field), null).up(ExampleChains.TIMER);
        Properties.qt().forAll(Arbitraries.states(everyKind)).checkAssert(v -> {
            CompatChain chain = CompatChain.of(current).minimum(2).step(2, s -> s.add("every", field, v)).build();
            CompatChain read = CompatJson.read(CompatJson.write(chain), current);
            assertThat(((Add) read.steps().get(0).ops().get(0)).defaultValue()).isEqualTo(v);
        });
    }

    @Test
    void transformsHaveNoJsonForm() {
        assertThatThrownBy(() -> CompatJson.write(ExampleChains.timer()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vs-timer step 2->3, op 4: transform period-us-to-ns at (root) (lossy):"
                        + " a transform is code and has no JSON form");
        String json = "{\"type\": \"vs-timer\", \"minimum\": 3, \"steps\": [{\"from\": 3, \"ops\": ["
                + "{\"op\": \"transform\", \"path\": []}]}]}";
        assertThatThrownBy(() -> CompatJson.read(json, ExampleChains.TIMER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("$.steps[0].ops[0]: a transform needs code, so it cannot come from JSON;"
                        + " declare it in Java next to the device");
    }

    @Test
    void theFileWrittenByHandIsTheSameChain() throws IOException {
        CompatChain read = CompatJson.read(resource("vs-timer-compat-by-hand.json"), ExampleChains.TIMER);
        assertThat(read.steps()).isEqualTo(ExampleChains.timerDeclarative().steps());
    }

    private static void refused(String steps, String message) {
        String json = "{\"type\": \"vs-timer\", \"version\": 3, \"minimum\": 2, \"steps\": [" + steps + "]}";
        assertThatThrownBy(() -> CompatJson.read(json, ExampleChains.TIMER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    private static String step(String... ops) {
        return "{\"from\": 2, \"ops\": [" + String.join(", ", ops) + "]}";
    }

    @Test
    void errorsNameTheirPlaceInTheFile() {
        refused(step("{\"op\": \"rename\", \"path\": [\"period_ns\"], \"to\": \"p\"}",
                        "{\"op\": \"add\", \"path\": [\"n\"], \"field\": {\"name\": \"n\", \"type\": \"uint9\"},"
                        + " \"default\": 0}"),
                "$.steps[0].ops[1].field.type: unknown type \"uint9\"");
        refused(step("{\"op\": \"add\", \"path\": [\"n\"], \"field\": {\"name\": \"n\", \"type\": \"uint8\","
                        + " \"size\": 1}, \"default\": 300}"),
                "$.steps[0].ops[0].default: invalid value 300 for uint8, expected 0..255");
        refused(step("{\"op\": \"add\", \"path\": [\"n\"], \"field\": {\"name\": \"n\", \"type\": \"uint8\","
                        + " \"size\": 1}}"),
                "$.steps[0].ops[0].default: missing; a uint8 needs the value the other version stands for");
        refused(step("{\"op\": \"swap\", \"path\": []}"),
                "$.steps[0].ops[0].op: unknown operation \"swap\", expected one of rename, retype, add, remove,"
                        + " move_into_section, move_out_of_section, split, merge");
        refused(step("{\"op\": \"rename\", \"path\": [\"a\", 7], \"to\": \"b\"}"),
                "$.steps[0].ops[0].path[1]: expected a member name, found 7");
        refused(step("{\"op\": \"rename\", \"path\": [\"a\"]}"),
                "$.steps[0].ops[0].to: expected a string, found null");
        refused(step("{\"op\": \"retype\", \"path\": [\"a\"], \"from\": \"uint8\", \"to\": \"string\"}"),
                "$.steps[0].ops[0]: retype of a from uint8 to string: only integer kinds can be retyped");
        refused(step("{\"op\": \"split\", \"path\": [\"a\"], \"type\": \"uint16\", \"parts\": ["
                        + "{\"name\": \"x\", \"type\": \"uint8\", \"shift\": 99, \"bits\": 8}]}"),
                "$.steps[0].ops[0].parts[0].shift: 99 is not a bit position or count (0..64)");
    }

    @Test
    void chainErrorsNameTheStepAndOperationInTheFile() {
        refused(step("{\"op\": \"rename\", \"path\": [\"count\"], \"to\": \"c\"}",
                        "{\"op\": \"rename\", \"path\": [\"nope\"], \"to\": \"x\"}"),
                "$.steps[0].ops[1]: vs-timer step 2->3, op 1 (rename nope to x): no member x in vs-timer"
                        + " (members: ctrl_lo, ctrl_hi, count, status, period_ns, y, channels, vs-timer/extra,"
                        + " vs-timer/latch)");
        refused(step() + ", " + step(), "$.steps[1]: vs-timer: two steps from version 2");
        refused("", "$.steps: vs-timer: no step 2->3; steps must cover every version from the minimum 2 to 3");
    }

    @Test
    void theFileMustBeForThisDeviceAndBuild() {
        assertThatThrownBy(() -> CompatJson.read("{\"type\": \"serial\", \"steps\": []}", ExampleChains.TIMER))
                .hasMessage("$.type: the file is for serial, not vs-timer");
        assertThatThrownBy(() -> CompatJson.read("{\"type\": \"vs-timer\", \"version\": 2}", ExampleChains.TIMER))
                .hasMessage("$.version: the file is for version 2 of vs-timer, this build has version 3");
        assertThatThrownBy(() -> CompatJson.read("{\"type\": ", ExampleChains.TIMER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("$: invalid JSON");
        assertThatThrownBy(() -> CompatJson.read("[]", ExampleChains.TIMER))
                .hasMessage("$: expected a JSON object, found an array");
    }
}
