package dev.vmstate.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.compat.CompatChain;
import dev.vmstate.compat.Conversion;
import dev.vmstate.compat.Loss;
import dev.vmstate.compat.Step;
import dev.vmstate.device.nic.PciNic;
import dev.vmstate.device.ramblock.RamBlock;
import dev.vmstate.device.virtio.VirtioDevice;
import dev.vmstate.error.LossyDowngradeException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.testkit.Arbitraries;
import dev.vmstate.testkit.Properties;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.TreeInVisitor;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * #6: the invented histories of vmstate's own samples ({@code vs-pci-nic}, {@code vs-virtio-dev},
 * {@code vs-ramblock}, three versions each): the layout of every version, the populated sample-pc
 * state going down to every version without loss and coming back equal, what each step loses
 * when a state has a value the other version cannot carry, and which steps a raised minimum makes
 * removable.
 */
class SampleHistoriesTest {
    private static final DeviceRegistry REGISTRY = DeviceRegistry.load();
    private static final List<DeviceType<?>> OWN = List.of(PciNic.TYPE, VirtioDevice.TYPE, RamBlock.TYPE);

    private static List<String> layout(Schema s) {
        return s.members().stream().map(f -> f.name() + ":" + f.describe()).toList();
    }

    private static StructValue with(StructValue tree, String name, StateTree value) {
        Map<String, StateTree> m = new LinkedHashMap<>(tree.members());
        m.put(name, value);
        return new StructValue(tree.type(), m);
    }

    private static StructValue tree(Visitable device, DeviceType<?> type) {
        return Visitables.toTree(type.name(), device);
    }

    // ---- layouts and steps ------------------------------------------------------------------

    @Test
    void pciNicVersionsRenameImsThenMoveTheSfpFieldsIntoASection() {
        CompatChain c = PciNic.TYPE.compat();
        List<String> v3 = layout(c.schemaAt(3));
        assertThat(v3).containsSubsequence("rx_crc_errors:uint64", "vs-pci-nic/itr:section v1",
                "vs-pci-nic/sfp:section v1");
        assertThat(layout(c.schemaAt(3).member("vs-pci-nic/sfp").struct()))
                .containsExactly("sfp_rx_power_dbm:int8", "sfp_temperature:int16");
        List<String> v2 = layout(c.schemaAt(2));
        assertThat(v2.subList(v2.size() - 4, v2.size())).containsExactly("rx_crc_errors:uint64",
                "sfp_rx_power_dbm:int8", "sfp_temperature:int16", "vs-pci-nic/itr:section v1");
        assertThat(v2).contains("imask:uint32").doesNotContain("ims:uint32");
        List<String> v1 = layout(c.schemaAt(1));
        assertThat(v1).containsSubsequence("status:uint32", "ims:uint32", "rx_head:uint16")
                .doesNotContain("imask:uint32");
        assertThat(v1.size()).isEqualTo(v2.size());
        assertThat(c.schemaAt(1).member("ims").hint()).as("the rename keeps the hint")
                .isEqualTo(c.schemaAt(3).member("imask").hint());
        assertThat(c.steps()).extracting(Step::describe).containsExactly(
                "1 -> 2: rename ims to imask",
                "2 -> 3: add vs-pci-nic/sfp section v1, default absent;"
                        + " move sfp_rx_power_dbm into section vs-pci-nic/sfp;"
                        + " move sfp_temperature into section vs-pci-nic/sfp");
        assertThat(c.steps().get(0).lossless()).isTrue();
        // the step's Add alone could lose a present section going down; the moves before it leave
        // none (an emptied section goes), which the property test below checks on every state
    }

    @Test
    void virtioVersionsSplitTheStatusImageThenAddTheConfigGeneration() {
        CompatChain c = VirtioDevice.TYPE.compat();
        assertThat(layout(c.schemaAt(1)).subList(0, 5)).containsExactly("device_id:uint16",
                "device_features:uint64", "driver_features:uint64", "status_isr:uint16", "queue_sel:uint16");
        assertThat(layout(c.schemaAt(2)).subList(0, 6)).containsExactly("device_id:uint16",
                "device_features:uint64", "driver_features:uint64", "status:uint8", "isr:uint8", "queue_sel:uint16");
        assertThat(layout(c.schemaAt(3)).subList(0, 7)).containsExactly("device_id:uint16",
                "device_features:uint64", "driver_features:uint64", "status:uint8", "config_generation:uint8",
                "isr:uint8", "queue_sel:uint16");
        assertThat(c.steps()).extracting(Step::describe).containsExactly(
                "1 -> 2: split status_isr uint16 into status[0..7] uint8, isr[8..15] uint8",
                "2 -> 3: add config_generation uint8, default 0");
        assertThat(c.steps().get(0).lossless()).as("every bit lands in a part exactly as wide").isTrue();
    }

    @Test
    void ramBlockVersionsWidenTheSyncCountThenStoreThePageSizeInBytes() {
        CompatChain c = RamBlock.TYPE.compat();
        assertThat(layout(c.schemaAt(1))).containsExactly("idstr:string", "offset:uint64", "used_length:uint64",
                "max_length:uint64", "page_shift:uint32", "align:uint64", "flags:uint32", "dirty_bitmap:uint64[]",
                "dirty_sync_count:uint32", "dirty_rate_pages_per_sec:float64");
        assertThat(layout(c.schemaAt(2))).contains("page_shift:uint32", "dirty_sync_count:uint64");
        assertThat(layout(c.schemaAt(3))).contains("page_size:uint32", "dirty_sync_count:uint64");
        assertThat(c.steps()).extracting(Step::describe).containsExactly(
                "1 -> 2: retype dirty_sync_count uint32 -> uint64 (widen)",
                "2 -> 3: rename page_shift to page_size; transform page-shift-to-bytes at (root) (lossy)");
    }

    // ---- the populated sample-pc state ------------------------------------------------------

    @Test
    void thePopulatedSamplePcGoesDownToEveryVersionWithoutLossAndComesBackEqual() {
        Machine m = SampleMachines.populatedSamplePc(REGISTRY);
        for (String id : m.ids()) {
            DeviceType<?> t = m.type(id);
            if (!OWN.contains(t)) {
                continue;
            }
            StructValue now = tree(m.device(id), t);
            for (int v = t.minimumVersion(); v < t.version(); v++) {
                Conversion down = t.compat().downgrade(now, v, false);
                assertThat(down.lossless()).as(t + " to v" + v).isTrue();
                assertThat(t.compat().upgrade(down.tree(), v)).as(t + " from v" + v).isEqualTo(now);
            }
        }
    }

    @Test
    void thePopulatedStatesOlderVersionsHoldWhatTheStepsSay() {
        Machine m = SampleMachines.populatedSamplePc(REGISTRY);
        StructValue nic1 = PciNic.TYPE.compat().downgrade(tree(m.device("nic0"), PciNic.TYPE), 1, false).tree();
        assertThat(nic1.get("ims")).isEqualTo(new IntValue(Kind.U32, 0x9D));
        assertThat(nic1.get("sfp_rx_power_dbm")).isEqualTo(new IntValue(Kind.I8, -7));
        assertThat(nic1.get("sfp_temperature")).isEqualTo(new IntValue(Kind.I16, 0x2A80));
        assertThat(nic1.get(PciNic.SFP_SECTION)).isNull();

        StructValue vda1 = VirtioDevice.TYPE.compat()
                .downgrade(tree(m.device("vda"), VirtioDevice.TYPE), 1, false).tree();
        assertThat(vda1.get("status_isr")).as("ISR 0x01 over status 0x0F").isEqualTo(new IntValue(Kind.U16, 0x010F));

        StructValue ram1 = RamBlock.TYPE.compat().downgrade(tree(m.device("ram0"), RamBlock.TYPE), 1, false).tree();
        assertThat(ram1.get("page_shift")).isEqualTo(new IntValue(Kind.U32, 12));
        assertThat(ram1.get("dirty_sync_count")).isEqualTo(new IntValue(Kind.U32, 2));
    }

    // ---- vs-pci-nic: the section's presence follows the moved values ------------------------

    @Test
    void pciNicSfpSectionIsPresentExactlyWhenAMovedValueIsNotZero() {
        CompatChain c = PciNic.TYPE.compat();
        StructValue v2 = tree(new PciNic(), PciNic.TYPE);
        v2 = c.downgrade(v2, 2, false).tree();
        assertThat(c.upgrade(v2, 2).get(PciNic.SFP_SECTION)).as("all zero: absent").isNull();

        StructValue up = c.upgrade(with(v2, "sfp_temperature", new IntValue(Kind.I16, -256)), 2);
        SectionValue sfp = (SectionValue) up.get(PciNic.SFP_SECTION);
        assertThat(sfp.version()).isEqualTo(1);
        assertThat(sfp.body().members()).containsExactly(
                Map.entry("sfp_rx_power_dbm", new IntValue(Kind.I8, 0)),
                Map.entry("sfp_temperature", new IntValue(Kind.I16, -256)));
        PciNic loaded = TreeInVisitor.load(up, new PciNic());
        assertThat(loaded.sfpTemperature).isEqualTo(-256);
        assertThat(tree(loaded, PciNic.TYPE)).as("the device saves what the chain made").isEqualTo(up);
    }

    // ---- vs-virtio-dev ----------------------------------------------------------------------

    @Test
    void virtioConfigGenerationOtherThanZeroIsLostGoingBelowVersion3() {
        VirtioDevice d = new VirtioDevice();
        d.configGeneration = 5;
        StructValue now = tree(d, VirtioDevice.TYPE);
        assertThatThrownBy(() -> VirtioDevice.TYPE.compat().downgrade(now, 2, false))
                .isInstanceOf(LossyDowngradeException.class)
                .hasMessageContaining("version 2").hasMessageContaining("5")
                .hasMessageContaining("vs-virtio-dev.config_generation");
        Conversion down = VirtioDevice.TYPE.compat().downgrade(now, 1, true);
        assertThat(down.losses()).extracting(Loss::path).containsExactly("vs-virtio-dev.config_generation");
    }

    // ---- vs-ramblock: the lossy transform ---------------------------------------------------

    private static StructValue ramV2(long pageShift) {
        StructValue v2 = RamBlock.TYPE.compat().downgrade(tree(new RamBlock(), RamBlock.TYPE), 2, false).tree();
        return with(v2, "page_shift", new IntValue(Kind.U32, pageShift));
    }

    private static StructValue ramV3(long pageSize) {
        RamBlock r = new RamBlock();
        r.pageSize = pageSize;
        return tree(r, RamBlock.TYPE);
    }

    @Test
    void ramBlockPageShiftBecomesBytesAndComesBack() {
        CompatChain c = RamBlock.TYPE.compat();
        for (int shift = 0; shift <= 32; shift++) {
            StructValue up = c.upgrade(ramV2(shift), 2);
            long size = shift < 32 ? 1L << shift : 0;
            assertThat(up.get("page_size")).as("shift " + shift).isEqualTo(new IntValue(Kind.U32, size));
            Conversion down = c.downgrade(up, 2, false);
            assertThat(down.tree()).as("shift " + shift).isEqualTo(ramV2(shift));
        }
    }

    @Test
    void ramBlockShiftWithoutAU32SizeIsReportedAsALoss() {
        CompatChain c = RamBlock.TYPE.compat();
        for (long shift : new long[] {33, 63, 64, 0xFFFF_FFFFL}) {
            assertThatThrownBy(() -> c.upgrade(ramV2(shift), 2)).as("shift " + shift)
                    .isInstanceOf(LossyDowngradeException.class)
                    .hasMessageContaining("upgrade to version 3 would lose " + shift)
                    .hasMessageContaining("page-shift-to-bytes").hasMessageContaining("comes back as 32")
                    .hasMessageContaining("page_size");
            Conversion up = c.upgrade(ramV2(shift), 2, true);
            assertThat(up.tree().get("page_size")).isEqualTo(new IntValue(Kind.U32, 0));
            assertThat(up.losses()).singleElement().satisfies(l -> {
                assertThat(l.path()).isEqualTo("vs-ramblock.page_size");
                assertThat(l.value()).isEqualTo(new IntValue(Kind.U32, shift));
                assertThat(l.targetVersion()).isEqualTo(3);
            });
        }
    }

    @Test
    void ramBlockSizeThatIsNotAPowerOfTwoIsReportedAsALoss() {
        CompatChain c = RamBlock.TYPE.compat();
        for (long size : new long[] {4097, 6144, 0xFFFF_FFFFL, 3}) {
            assertThatThrownBy(() -> c.downgrade(ramV3(size), 2, false)).as("size " + size)
                    .isInstanceOf(LossyDowngradeException.class)
                    .hasMessageContaining("downgrade to version 2 would lose " + size + ": step 3->2, transform"
                            + " page-shift-to-bytes at (root) (lossy): comes back as")
                    .hasMessageContaining("at vs-ramblock.page_size");
            Conversion down = c.downgrade(ramV3(size), 2, true);
            long shift = Long.numberOfTrailingZeros(size);
            assertThat(down.tree().get("page_shift")).isEqualTo(new IntValue(Kind.U32, shift));
            assertThat(down.losses()).singleElement().satisfies(l -> {
                assertThat(l.path()).isEqualTo("vs-ramblock.page_size");
                assertThat(l.value()).isEqualTo(new IntValue(Kind.U32, size));
            });
        }
        assertThat(c.downgrade(ramV3(1L << 31), 2, false).tree().get("page_shift"))
                .isEqualTo(new IntValue(Kind.U32, 31));
    }

    @Test
    void ramBlockSyncCountAboveU32IsLostGoingToVersion1() {
        RamBlock r = new RamBlock();
        r.dirtySyncCount = 1L << 32;
        assertThatThrownBy(() -> RamBlock.TYPE.compat().downgrade(tree(r, RamBlock.TYPE), 1, false))
                .isInstanceOf(LossyDowngradeException.class).hasMessageContaining("4294967296")
                .hasMessageContaining("vs-ramblock.dirty_sync_count");
        assertThat(RamBlock.TYPE.compat().downgrade(tree(r, RamBlock.TYPE), 2, false).lossless()).isTrue();
    }

    // ---- every device state: down(x) then up gives x, or the losses say why not -------------

    @Test
    void everyDeviceStateComesBackFromEveryVersionOrItsLossesSayWhy() {
        for (DeviceType<?> t : OWN) {
            CompatChain c = t.compat();
            Properties.qt().forAll(Arbitraries.states(t.schema())).checkAssert(generated -> {
                // loaded into a device first: a state the device can really hold (sections as it decides)
                StructValue now = tree(TreeInVisitor.load(generated, t.create()), t);
                for (int v = t.minimumVersion(); v < t.version(); v++) {
                    Conversion down = c.downgrade(now, v, true);
                    assertThat(down.losses()).as(t + " to v" + v).extracting(Loss::path)
                            .containsExactlyInAnyOrderElementsOf(expectedLosses(t, now, v));
                    if (down.lossless()) {
                        assertThat(c.upgrade(down.tree(), v)).as(t + " from v" + v).isEqualTo(now);
                    }
                }
            });
        }
    }

    /** The paths a downgrade of {@code now} to {@code v} must report, from what each step cannot carry. */
    private static List<String> expectedLosses(DeviceType<?> t, StructValue now, int v) {
        List<String> out = new ArrayList<>();
        if (t == VirtioDevice.TYPE && v < 3 && value(now, "config_generation") != 0) {
            out.add("vs-virtio-dev.config_generation");
        }
        if (t == RamBlock.TYPE) {
            long size = value(now, "page_size");
            if (v < 3 && size != 0 && Long.bitCount(size) != 1) {
                out.add("vs-ramblock.page_size");
            }
            if (v < 2 && Long.compareUnsigned(value(now, "dirty_sync_count"), 0xFFFF_FFFFL) > 0) {
                out.add("vs-ramblock.dirty_sync_count");
            }
        }
        return out;
    }

    private static long value(StructValue tree, String name) {
        return ((IntValue) tree.get(name)).value();
    }

    // ---- raising the minimum ----------------------------------------------------------------

    @Test
    void raisingTheMinimumNamesExactlyTheStepsBelowIt() {
        for (DeviceType<?> t : REGISTRY.types()) {
            CompatChain c = t.compat();
            for (int newMin = 0; newMin <= t.version(); newMin++) {
                List<Integer> below = IntStream.range(t.minimumVersion(), Math.max(t.minimumVersion(), newMin))
                        .boxed().toList();
                assertThat(c.removableBelow(newMin)).as("%s with its minimum raised to %d", t.name(), newMin)
                        .extracting(Step::from).containsExactlyElementsOf(below);
            }
            int over = t.version() + 1;
            assertThatThrownBy(() -> c.removableBelow(over)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(t.name() + ": minimum version " + over + " above the current version " + t.version());
        }
    }

    @Test
    void theRemovableStepsOfOurSamplesReadAsTheirDescriptions() {
        assertThat(removable(PciNic.TYPE, 2)).isEqualTo("vs-pci-nic with minimum 2 no longer needs:"
                + " 1 -> 2: rename ims to imask");
        assertThat(removable(VirtioDevice.TYPE, 3)).isEqualTo("vs-virtio-dev with minimum 3 no longer needs:"
                + " 1 -> 2: split status_isr uint16 into status[0..7] uint8, isr[8..15] uint8"
                + " | 2 -> 3: add config_generation uint8, default 0");
        assertThat(removable(RamBlock.TYPE, 3)).isEqualTo("vs-ramblock with minimum 3 no longer needs:"
                + " 1 -> 2: retype dirty_sync_count uint32 -> uint64 (widen)"
                + " | 2 -> 3: rename page_shift to page_size; transform page-shift-to-bytes at (root) (lossy)");
        assertThat(removable(RamBlock.TYPE, 1)).isEqualTo("vs-ramblock with minimum 1 no longer needs: nothing");
    }

    private static String removable(DeviceType<?> t, int newMin) {
        List<Step> steps = t.compat().removableBelow(newMin);
        return t.name() + " with minimum " + newMin + " no longer needs: "
                + (steps.isEmpty() ? "nothing" : String.join(" | ", steps.stream().map(Step::describe).toList()));
    }

    @Test
    void theSectionTheStepAddsIsTheOneTheDeviceDescribes() {
        Field added = PciNic.TYPE.compat().schemaAt(3).member(PciNic.SFP_SECTION);
        assertThat(added).isEqualTo(PciNic.TYPE.schema().member(PciNic.SFP_SECTION));
        assertThat(PciNic.TYPE.compat().schemaAt(2).member(PciNic.SFP_SECTION)).isNull();
    }
}
