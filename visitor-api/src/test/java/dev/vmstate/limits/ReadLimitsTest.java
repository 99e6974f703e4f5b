package dev.vmstate.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.error.LimitExceededException;
import org.junit.jupiter.api.Test;

class ReadLimitsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        ReadLimits d = ReadLimits.defaults();
        assertThat(d.maxDepth()).isEqualTo(64);
        assertThat(d.maxSectionSize()).isEqualTo(256L << 20);
        assertThat(d.maxListLength()).isEqualTo(1 << 20);
        assertThat(d.maxStringLength()).isEqualTo(64 << 10);
        assertThat(d.maxBytesLength()).isEqualTo(16 << 20);
        assertThat(d.maxSectionCount()).isEqualTo(ReadLimits.UNLIMITED);
        assertThat(d.maxStreamSize()).isEqualTo(ReadLimits.UNLIMITED);
    }

    @Test
    void builderRejectsNegativeValuesNamingTheArgument() {
        assertThatThrownBy(() -> ReadLimits.builder().maxListLength(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxListLength must not be negative, got -1");
    }

    @Test
    void checksNameTheSetting() {
        ReadLimits l = ReadLimits.defaults().toBuilder().maxSectionSize(100).build();
        assertThatThrownBy(() -> l.checkSectionSize(101)).isInstanceOf(LimitExceededException.class)
                .hasMessage("section size (101) exceeds the maximum allowed (100, from ReadLimits.maxSectionSize())");
        l.checkSectionSize(100);
    }
}
