package dev.vmstate.device.pit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Event;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.RecordingVisitor;
import dev.vmstate.visitor.TreeInVisitor;
import dev.vmstate.visitor.TreeOutVisitor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class I8254Test {
    /** Channel 0's first transition at virtual time 0: half of 0x10000 ticks at 1.193182 MHz. */
    private static final long FIRST_TRANSITION = 0x1a30c2cL;

    private static List<Event> channel(int gate, long nextTransitionTime) {
        return List.of(Event.structStart("channels"),
                Event.i32("count", 0x10000), Event.u16("latched_count", 0), Event.u8("count_latched", 0),
                Event.u8("status_latched", 0), Event.u8("status", 0), Event.u8("read_state", 0),
                Event.u8("write_state", 0), Event.u8("write_latch", 0), Event.u8("rw_mode", 0),
                Event.u8("mode", 3), Event.u8("bcd", 0), Event.u8("gate", gate),
                Event.i64("count_load_time", 0), Event.i64("next_transition_time", nextTransitionTime),
                Event.structEnd());
    }

    @Test
    void resetStateRecordsTheQemuReferenceBody() {
        List<Event> expected = new ArrayList<>();
        expected.add(Event.u32("channels[0].irq_disabled", 0));
        expected.add(Event.listStart("channels", 3));
        expected.addAll(channel(1, FIRST_TRANSITION));
        expected.addAll(channel(1, 0));
        expected.addAll(channel(0, 0));
        expected.add(Event.listEnd());
        expected.add(Event.i64("channels[0].next_transition_time", FIRST_TRANSITION));

        assertThat(RecordingVisitor.record(new I8254())).containsExactlyElementsOf(expected);
    }

    @Test
    void schemaHasThreeMembersAndAChannelArrayOfThree() {
        Schema schema = I8254.TYPE.schema();
        assertThat(schema.version()).isEqualTo(3);
        assertThat(schema.minimumVersion()).isEqualTo(2);
        assertThat(schema.members()).extracting(Field::name)
                .containsExactly("channels[0].irq_disabled", "channels", "channels[0].next_transition_time");
        assertThat(schema.members()).extracting(Field::kind).containsExactly(Kind.U32, Kind.STRUCT, Kind.I64);

        Field channels = schema.member("channels");
        assertThat(channels.length()).as("array_len").isEqualTo(3);
        assertThat(channels.struct().name()).isEqualTo("pit channel");
        assertThat(channels.struct().version()).isEqualTo(2);
        assertThat(channels.struct().members()).hasSize(14);
        int channelBytes = channels.struct().members().stream().mapToInt(Field::size).sum();
        assertThat(channelBytes).isEqualTo(32);
        assertThat(4 + 3 * channelBytes + 8).as("QEMU's v3 body").isEqualTo(108);
    }

    @Test
    void channelZeroFieldsSavedOutsideTheArrayLoadIntoChannelZero() {
        I8254 source = new I8254();
        source.channel(0).irqDisabled = 1;
        StructValue tree = TreeOutVisitor.toTree("i8254", source);
        // The trailing copy of next_transition_time is read last, so it wins, as in QEMU.
        Map<String, StateTree> members = new LinkedHashMap<>(tree.members());
        members.put("channels[0].next_transition_time", new IntValue(Kind.I64, 123_456));

        I8254 target = TreeInVisitor.load(new StructValue("i8254", members), new I8254());

        assertThat(target.channel(0).irqDisabled).isEqualTo(1);
        assertThat(target.channel(0).nextTransitionTime).isEqualTo(123_456);
        assertThat(RecordingVisitor.record(target)).startsWith(Event.u32("channels[0].irq_disabled", 1));
    }

    @Test
    void rateGeneratorTransitionsEveryPeriod() {
        PitChannel c = new PitChannel();
        c.program(2, 11932, 1_000_000);

        long periodNs = 11932L * 1_000_000_000L / PitChannel.PIT_FREQ;
        assertThat(c.nextTransitionTime).isEqualTo(1_000_000 + 11933L * 1_000_000_000L / PitChannel.PIT_FREQ);
        assertThat(c.nextTransitionTime(1_000_000 + 3 * periodNs + 10_000))
                .isBetween(1_000_000 + 4 * periodNs, 1_000_000 + 4 * periodNs + 2_000);
        assertThat(c.writeLatch).isEqualTo(11932 & 0xFF);
        assertThat(c.rwMode).isEqualTo(PitChannel.RW_STATE_WORD0);
    }

    @Test
    void oneShotModesStopTransitioning() {
        PitChannel c = new PitChannel();
        c.program(0, 100, 0);
        assertThat(c.nextTransitionTime(1_000_000_000L)).isEqualTo(-1);
    }
}
