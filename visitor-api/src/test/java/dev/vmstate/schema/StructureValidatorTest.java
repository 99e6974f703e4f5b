package dev.vmstate.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.visitor.AllKinds;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructureValidatorTest {

    /** Broken on purpose: the 'extra' field exists only in mode 3. */
    static final class ValueDependent implements Visitable {
        int mode;
        int extra;

        @Override
        public void visit(Visitor v) {
            mode = v.u8("mode", mode);
            if (mode == 3 || mode > 100) {
                extra = v.u16("extra", extra);
            }
        }
    }

    /** Broken inside a list element. */
    static final class Port implements Visitable {
        boolean wide;
        long value;

        @Override
        public void visit(Visitor v) {
            wide = v.bool("wide", wide);
            value = wide ? v.u64("value", value) : v.u32("value", value & 0xFFFF_FFFFL);
        }
    }

    static final class Ports implements Visitable {
        List<Port> ports = new ArrayList<>();

        @Override
        public void visit(Visitor v) {
            ports = v.list("ports", ports, Port::new);
        }
    }

    static final class FieldAfterSection implements Visitable {
        int a;
        int b;

        @Override
        public void visit(Visitor v) {
            v.section("x/opt", a != 0, s -> a = s.u8("a", a));
            b = v.u8("b", b);
        }
    }

    @Test
    void wellFormedDeviceHasNoProblems() {
        assertThat(StructureValidator.validate("allkinds", AllKinds::new).problems()).isEmpty();
    }

    @Test
    void valueDependentFieldSetIsReportedWithItsPath() {
        StructureReport r = StructureValidator.validate("vd", ValueDependent::new);
        assertThat(r.isValid()).isFalse();
        assertThat(r.problems()).extracting(StructureReport.Problem::path).containsExactly("vd.extra");
        assertThat(r.problems().get(0).message()).contains("depends on a value");
    }

    @Test
    void valueDependentKindInsideAListIsReported() {
        StructureReport r = StructureValidator.validate("ports", Ports::new);
        assertThat(r.isValid()).isFalse();
        assertThat(r.problems().get(0).path()).startsWith("ports.ports").endsWith("value");
    }

    @Test
    void fieldAfterSectionIsReported() {
        StructureReport r = StructureValidator.validate("fas", FieldAfterSection::new);
        assertThat(r.problems()).extracting(StructureReport.Problem::path).contains("fas.b");
    }
}
