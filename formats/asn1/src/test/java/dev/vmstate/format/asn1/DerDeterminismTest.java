package dev.vmstate.format.asn1;

import static dev.vmstate.format.asn1.Fixtures.BER;
import static dev.vmstate.format.asn1.Fixtures.DER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.format.json.JsonFormat;
import dev.vmstate.format.legacy.LegacyFormat;
import dev.vmstate.machine.DeviceNode;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.Arbitraries;
import dev.vmstate.testkit.EveryKind;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.Properties;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.tree.GenericState;
import dev.vmstate.visitor.TreeOutVisitor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue #5: DER is canonical. The same state gives the same {@code asn1-der} bytes whichever path
 * it took: saved from the device, from a generic tree of it, or read from a {@code legacy},
 * {@code json} or {@code asn1-ber} stream first and then written as DER; and whatever order the
 * device tree's properties were declared in.
 */
class DerDeterminismTest {
    static final WireFormat LEGACY = new LegacyFormat();
    static final WireFormat JSON = new JsonFormat();

    static DeviceTree tree(boolean reversed) {
        List<Object[]> props = new ArrayList<>(List.of(new Object[] {"iobase", 1016L},
                new Object[] {"chardev", "serial0"}, new Object[] {"enabled", Boolean.TRUE}, new Object[] {"irq", 4L}));
        if (reversed) {
            java.util.Collections.reverse(props);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        props.forEach(p -> m.put((String) p[0], p[1]));
        return new DeviceTree("sample-pc", List.of(DeviceNode.of("com1", "everykind", "isa.0", m)));
    }

    static List<StreamRecord> records(boolean devices, boolean reversedTree) {
        EveryKind second = new EveryKind();
        second.pendingNeeded = false;
        second.u64 = 0x8000_0000_0000_0001L;
        second.f64 = Double.longBitsToDouble(0x7FF0_0000_0000_0001L);
        List<StreamRecord> r = new ArrayList<>();
        r.add(new StreamHeader(3, "sample-pc", new byte[0], tree(reversedTree)));
        for (EveryKind d : List.of(new EveryKind(), second)) {
            int id = r.size() - 1;
            r.add(new DeviceSection(id, "com1", id, 3, true, EveryRecord.EVERY_KIND, devices ? d
                    : new GenericState(EveryRecord.EVERY_KIND, TreeOutVisitor.toTree("everykind", d))));
        }
        r.add(new EndOfState());
        r.add(Description.generate());
        return r;
    }

    /** {@code records} as read back, with the description a legacy writer generated asked for again. */
    static List<StreamRecord> generateAgain(List<StreamRecord> records) {
        List<StreamRecord> out = new ArrayList<>(records);
        if (out.get(out.size() - 1) instanceof Description) {
            out.set(out.size() - 1, Description.generate());
        }
        return out;
    }

    static byte[] der(List<StreamRecord> records) {
        return Fixtures.write(DER, records, WriteOptions.defaults().withCrc32c(true));
    }

    /** Through {@code via} and back, then DER. */
    static byte[] through(WireFormat via, List<StreamRecord> records, ReadOptions options) {
        byte[] bytes = SampleStreams.write(via, records, WriteOptions.defaults());
        return der(generateAgain(SampleStreams.read(via, bytes, options)));
    }

    @Test
    void theSameStateGivesTheSameBytesWhicheverPathItTook() {
        byte[] direct = der(records(true, false));
        String expected = Fixtures.hex(direct);
        assertThat(Fixtures.hex(der(records(false, false)))).as("from a generic tree").isEqualTo(expected);
        assertThat(Fixtures.hex(der(records(true, true)))).as("properties declared in another order")
                .isEqualTo(expected);
        assertThat(Fixtures.hex(through(JSON, records(true, true), ReadOptions.defaults()))).as("via json")
                .isEqualTo(expected);
        assertThat(Fixtures.hex(through(BER, records(true, true), ReadOptions.defaults()))).as("via asn1-ber")
                .isEqualTo(expected);
        assertThat(Fixtures.hex(through(DER, records(false, true), ReadOptions.defaults()))).as("via asn1-der")
                .isEqualTo(expected);
        // legacy carries no schema of its own: it reads with the device model's, as a destination does
        ReadOptions withSchemas = ReadOptions.defaults().withSchemas(SampleStreams.schemaSource(
                List.of(EveryRecord.EVERY_KIND)));
        assertThat(Fixtures.hex(through(LEGACY, records(true, false), withSchemas))).as("via legacy")
                .isEqualTo(expected);
    }

    @Test
    void randomStatesGiveTheSameBytesViaJsonAndLegacy() {
        Schema schema = Asn1PropertyTest.WIDE;
        ReadOptions withSchemas = ReadOptions.defaults().withSchemas(SampleStreams.schemaSource(List.of(schema)));
        Properties.qt().forAll(Arbitraries.states(schema)).checkAssert(tree -> {
            List<StreamRecord> records = List.of(StreamHeader.of("sample-pc", null),
                    new DeviceSection(0, "wide", 0, schema.version(), true, schema, new GenericState(schema, tree)),
                    new EndOfState());
            byte[] direct = der(records);
            assertThat(through(JSON, records, ReadOptions.defaults())).isEqualTo(direct);
            assertThat(through(LEGACY, records, withSchemas)).isEqualTo(direct);
            assertThat(through(BER, records, ReadOptions.defaults())).isEqualTo(direct);
        });
    }
}
