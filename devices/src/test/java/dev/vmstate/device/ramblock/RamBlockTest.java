package dev.vmstate.device.ramblock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Event;
import dev.vmstate.visitor.RecordingVisitor;
import dev.vmstate.visitor.TreeInVisitor;
import dev.vmstate.visitor.TreeOutVisitor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RamBlockTest {
    @Test
    void resetStateRecordsEveryField() {
        assertThat(RecordingVisitor.record(new RamBlock())).containsExactly(
                Event.str("idstr", ""), Event.u64("offset", 0), Event.u64("used_length", 0),
                Event.u64("max_length", 0), Event.u32("page_size", 4096), Event.u64("align", 0),
                Event.u32("flags", 0), Event.varray("dirty_bitmap"), Event.u64("dirty_sync_count", 0),
                Event.f64("dirty_rate_pages_per_sec", 0.0));
    }

    @Test
    void configureSizesTheBitmapOneBitPerPage() {
        RamBlock r = new RamBlock();
        r.configure(Map.of("idstr", "pc.ram", "size", 16L << 20, "max-size", 32L << 20));

        assertThat(r.pages()).isEqualTo(4096);
        assertThat(r.dirtyBitmap).hasSize(64);
        assertThat(r.maxLength).isEqualTo(32L << 20);
        assertThat(r.flags & RamBlock.RAM_RESIZEABLE).isNotZero();
        r.markDirty(4095);
        r.markDirty(0);
        assertThat(r.dirtyPages()).isEqualTo(2);
        assertThat(r.dirtyBitmap[63]).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void configureRejectsSizesThatAreNotWholePagesOrTooLarge() {
        RamBlock r = new RamBlock();
        assertThatThrownBy(() -> r.configure(Map.of("size", 5000L)))
                .isInstanceOfSatisfying(SchemaMismatchException.class,
                        e -> assertThat(e.path()).isEqualTo("properties.size"));
        assertThatThrownBy(() -> r.configure(Map.of("size", 1L << 50)))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageStartingWith("invalid value 1125899906842624, expected 0..68719476736");
        assertThatThrownBy(() -> r.configure(Map.of("page-size", 12288L)))
                .isInstanceOf(SchemaMismatchException.class);
    }

    @Test
    void unsignedAndFloatingValuesRoundTripBitExact() {
        RamBlock source = new RamBlock();
        source.configure(Map.of("size", 1L << 20));
        source.offset = 0xFFFF_FFFF_FFFF_F000L; // u64 above Long.MAX_VALUE
        source.dirtyBitmap[3] = -1L;
        source.dirtyRatePagesPerSec = Double.NaN;
        StructValue tree = TreeOutVisitor.toTree("vs-ramblock", source);

        RamBlock target = TreeInVisitor.load(tree, new RamBlock());

        assertThat(target.offset).isEqualTo(source.offset);
        assertThat(target.dirtyBitmap).isEqualTo(source.dirtyBitmap);
        assertThat(target.dirtyRatePagesPerSec).isNaN();
        assertThat(TreeOutVisitor.toTree("vs-ramblock", target)).isEqualTo(tree);
    }
}
