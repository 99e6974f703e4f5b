package dev.vmstate.schema;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.error.LimitExceededException;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.visitor.AllKinds;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitables;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaLimitsTest {
    static final ReadLimits DEFAULTS = ReadLimits.defaults();

    @Test
    void ordinarySchemasPass() {
        assertThatCode(() -> SchemaLimits.check(Visitables.describe("allkinds", 1, 1, new AllKinds()), DEFAULTS))
                .doesNotThrowAnyException();
    }

    @Test
    void aSchemaThatPassedUnderOneLimitsIsCheckedAgainUnderOthers() {
        Schema s = new Schema("blob", 1, 1, List.of(Field.buffer("b", 4096)));
        for (int i = 0; i < 3; i++) { // remembered after the first pass
            assertThatCode(() -> SchemaLimits.check(s, DEFAULTS)).doesNotThrowAnyException();
        }
        ReadLimits strict = ReadLimits.builder().maxBytesLength(1024).build();
        for (int i = 0; i < 3; i++) { // a failure is never remembered as a pass
            assertThatThrownBy(() -> SchemaLimits.check(s, strict)).isInstanceOf(LimitExceededException.class)
                    .hasMessageContaining("ReadLimits.maxBytesLength()");
        }
    }

    @Test
    void hugeBufferInAStreamSchemaIsRefusedBeforeAllocation() {
        Schema s = new Schema("evil", 1, 1, List.of(Field.scalar("a", Kind.U8, null),
                Field.struct("inner", new Schema("inner", 1, 1, List.of(Field.buffer("blob", Integer.MAX_VALUE))), 0)));
        assertThatThrownBy(() -> SchemaLimits.check(s, DEFAULTS))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("ReadLimits.maxBytesLength()")
                .hasMessageContaining("inner.blob");
    }

    @Test
    void hugeArraysAndStructArraysAreRefused() {
        Schema arr = new Schema("evil", 1, 1, List.of(Field.array("regs", Kind.U64, 100_000_000)));
        assertThatThrownBy(() -> SchemaLimits.check(arr, DEFAULTS)).isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("ReadLimits.maxListLength()");
        Schema el = new Schema("el", 1, 1, List.of(Field.buffer("b", 4096)));
        Schema structs = new Schema("evil", 1, 1, List.of(Field.struct("many", el, 1_000_000)));
        assertThatThrownBy(() -> SchemaLimits.check(structs, DEFAULTS)).isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("ReadLimits.maxSectionSize()");
    }

    @Test
    void listOfZeroByteElementsIsRefused() {
        Schema empty = new Schema("empty", 1, 1, List.of(Field.section("empty/opt",
                new Schema("empty/opt", 1, 1, List.of(Field.scalar("x", Kind.U8, null))))));
        Schema s = new Schema("evil", 1, 1, List.of(Field.list("items", empty)));
        assertThatThrownBy(() -> SchemaLimits.check(s, DEFAULTS)).isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("take no bytes").hasMessageContaining("items");
    }
}
