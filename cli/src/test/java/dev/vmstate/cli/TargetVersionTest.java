package dev.vmstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #6 at the command line: {@code vmstate convert --target-version TYPE=N} downgrades sections
 * for an older peer through the types' compat steps, refuses to lose values unless
 * {@code --allow-loss}, and a later convert or load brings older sections back up.
 */
class TargetVersionTest {
    @TempDir
    Path dir;

    private Path legacy;

    @BeforeEach
    void save() {
        legacy = dir.resolve("pc.legacy");
        Cli.Result r = Cli.run("save", "--format", "legacy", legacy.toString());
        assertThat(r.code()).as(r.toString()).isZero();
    }

    @Test
    void aLosslessDowngradeComesBackUpByteForByte() throws IOException {
        Path old = dir.resolve("pit-v2.json");
        Cli.Result down = Cli.run("convert", legacy.toString(), old.toString(), "--to", "json",
                "--target-version", "i8254=2");
        assertThat(down.code()).as(down.toString()).isZero();
        assertThat(down.err()).isEmpty();
        assertThat(Cli.run("dump", old.toString()).out()).contains("device section 2: i8254/0 v2 (i8254 v2)");
        assertThat(Cli.run("load", old.toString()).out()).contains("pit <- i8254/0 v2 (upgraded to v3)");
        // a plain convert upgrades what is older than this build's model: the original bytes again
        Path back = dir.resolve("back.legacy");
        assertThat(Cli.run("convert", old.toString(), back.toString(), "--to", "legacy").code()).isZero();
        assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(legacy));
    }

    @Test
    void aLossyDowngradeFailsNamingPathValueAndVersionAndLeavesNoFile() {
        Path old = dir.resolve("rtc-v1.legacy");
        Cli.Result r = Cli.run("convert", legacy.toString(), old.toString(), "--to", "legacy",
                "--target-version", "mc146818rtc=1");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("vmstate: downgrade to version 1 would lose ")
                .contains("(at mc146818rtc.next_alarm_time)")
                .endsWith("--allow-loss drops such values and reports each");
        assertThat(old).doesNotExist();
    }

    @Test
    void allowLossReportsEveryDroppedValue() {
        Path old = dir.resolve("rtc-v1.legacy");
        Cli.Result r = Cli.run("convert", legacy.toString(), old.toString(), "--to", "legacy",
                "--target-version", "mc146818rtc=1,i8254=2", "--allow-loss");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.errLines()).hasSize(4).allMatch(l -> l.startsWith("vmstate: dropped mc146818rtc."))
                .anyMatch(l -> l.startsWith("vmstate: dropped mc146818rtc.base_rtc = 1672531200 for mc146818rtc v1"));
        assertThat(Cli.run("dump", old.toString()).out()).contains("device section 1: mc146818rtc/0 v1")
                .contains("device section 2: i8254/0 v2");
        assertThat(Cli.run("load", old.toString()).out()).contains("rtc <- mc146818rtc/0 v1 (upgraded to v3)")
                .contains("devices loaded into models: 6");
    }

    @Test
    void unknownTypesAndVersionsOutsideTheRangeAreUsageErrors() {
        Cli.Result unknown = Cli.run("convert", legacy.toString(), dir.resolve("x").toString(), "--to", "json",
                "--target-version", "rtc=1");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--target-version: unknown device type \"rtc\"; known: i8254, mc146818rtc");
        Cli.Result range = Cli.run("convert", legacy.toString(), dir.resolve("x").toString(), "--to", "json",
                "--target-version", "mc146818rtc=0");
        assertThat(range.code()).isEqualTo(2);
        assertThat(range.err()).contains("--target-version: mc146818rtc supports versions 1..3, not 0");
    }

    @Test
    void schemaVersionPrintsAnOlderVersionsLayout() {
        Cli.Result v1 = Cli.run("schema", "mc146818rtc", "--version", "1");
        assertThat(v1.code()).as(v1.toString()).isZero();
        assertThat(v1.out()).startsWith("mc146818rtc v1 (minimum 1)").contains("next_periodic_time")
                .doesNotContain("irq_coalesced").doesNotContain("base_rtc");
        assertThat(Cli.run("schema", "mc146818rtc", "--version", "2").out()).contains("irq_coalesced")
                .doesNotContain("base_rtc");
        assertThat(Cli.run("schema", "i8254", "--version", "2", "--json").out())
                .doesNotContain("channels[0].irq_disabled").contains("\"version\": 2");
        Cli.Result none = Cli.run("schema", "mc146818rtc", "--version", "0");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("mc146818rtc has versions 1..3, not 0");
        // -V still prints vmstate's own version
        assertThat(Cli.run("schema", "serial", "-V").out()).startsWith("vmstate ");
    }
}
