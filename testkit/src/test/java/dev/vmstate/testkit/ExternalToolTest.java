package dev.vmstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class ExternalToolTest {
    @Test
    void findsAProgramOnThePath() {
        assertThat(ExternalTool.find("sh")).isPresent();
        assertThat(ExternalTool.find("no-such-program-vmstate")).isEmpty();
    }

    @Test
    void missingToolSkipsLocallyAndFailsUnderCi() {
        assertThat(ExternalTool.missing("qemu-system-x86_64", "Debian's qemu-system-x86", false))
                .isInstanceOf(TestAbortedException.class);
        assertThat(ExternalTool.missing("qemu-system-x86_64", "Debian's qemu-system-x86", true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("install it in .ci/run");
        assertThat(ExternalTool.isCi(Map.of("CI", "true"))).isTrue();
        assertThat(ExternalTool.isCi(Map.of())).isFalse();
    }
}
