package dev.vmstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.machine.DeviceTree;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class CliTest {
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void demoExitsZeroWithAnEmptyDiff() {
        Result r = run("demo");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("machine sample-pc, 6 devices").contains("diff: empty");
        assertThat(r.out()).containsPattern("total: 6 devices, \\d+ fields, \\d+ bytes");
    }

    @Test
    void devicesListsEveryTypeWithVersions() {
        Result r = run("devices");
        assertThat(r.code()).isZero();
        assertThat(r.out().lines()).hasSize(6);
        assertThat(r.out()).containsPattern("serial\\s+v3\\s+min 2").containsPattern("mc146818rtc\\s+v3\\s+min 1")
                .containsPattern("i8254\\s+v3\\s+min 2");
    }

    @Test
    void serialSchemaJsonListsQemuFieldsInOrder() {
        Result r = run("schema", "serial", "--json");
        assertThat(r.code()).isZero();
        Schema s = SchemaJson.fromJson(r.out());
        Schema state = s.member("state").struct();
        assertThat(state.fields()).extracting(f -> f.name()).containsExactly(
                "divider", "rbr", "ier", "iir", "lcr", "mcr", "lsr", "msr", "scr", "fcr_vmstate");
        assertThat(state.sections()).extracting(f -> f.name()).containsExactly("serial/thr_ipending", "serial/tsr",
                "serial/recv_fifo", "serial/xmit_fifo", "serial/fifo_timeout_timer", "serial/timeout_ipending",
                "serial/poll");
    }

    @Test
    void schemaTextAndUnknownType() {
        assertThat(run("schema", "i8254").out()).contains("channels").contains("struct pit channel[3]");
        Result r = run("schema", "no-such-device");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("unknown device type \"no-such-device\"").contains("serial");
    }

    @Test
    void machineJsonIsTheSampleTree() {
        Result r = run("machine", "--json");
        assertThat(r.code()).isZero();
        DeviceTree tree = DeviceTree.fromJson(r.out());
        assertThat(tree.machine()).isEqualTo("sample-pc");
        assertThat(tree.devices()).hasSize(6);
        assertThat(run("machine").out()).contains("machine sample-pc");
    }

    @Test
    void usageErrorsExitTwoWithoutStackTrace() {
        Result r = run("no-such-subcommand");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(run().code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("schema").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void everySubcommandHasHelpWithTheExitStatusTable() {
        for (String sub : new String[] {"devices", "schema", "machine", "demo", "formats", "save", "dump", "convert",
            "load"}) {
            Result r = run(sub, "--help");
            assertThat(r.code()).as(sub).isZero();
            assertThat(r.out()).as(sub).contains("Exit status:").containsPattern("3\\s+bad input").containsPattern("70\\s+internal error");
        }
        assertThat(run("--help").out()).contains("demo").contains("schema").contains("Exit status:")
                .contains("formats").contains("convert").contains("--plugins=DIR");
    }
}
