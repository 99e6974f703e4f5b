package dev.vmstate.format.asn1;

import static dev.vmstate.format.asn1.Fixtures.BER;
import static dev.vmstate.format.asn1.Fixtures.DER;
import static dev.vmstate.format.asn1.Fixtures.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.error.VersionException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.tree.StateTree;
import dev.vmstate.visitor.Kind;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The messages of docs/formats/asn1.md section 6 that no other test pins, each from a crafted input. */
class Asn1ErrorMessagesTest {
    static VmstateException fails(WireFormat f, byte[] bytes) {
        VmstateException e = catchThrowableOfType(VmstateException.class, () -> Fixtures.read(f, bytes));
        assertThat(e).as("reading must fail").isNotNull();
        assertThat(e.format()).isEqualTo(f.name());
        return e;
    }

    /** A header record, then a value {@code build} encodes as DER, after the envelope. */
    static byte[] headerThen(Consumer<Asn1Out> build) {
        Asn1Out o = new Asn1Out(true);
        build.accept(o);
        return DerRulesTest.concat(Fixtures.write(DER, List.of(StreamHeader.of(null, null))),
                Arrays.copyOf(o.buffer(), o.length()));
    }

    /** The DER stream of {@code records} with the value {@code which} picks written as {@code bytes}. */
    static byte[] edit(List<StreamRecord> records, Predicate<Tlv> which, byte[] bytes) {
        byte[] stream = Fixtures.write(DER, records);
        int body = SampleStreams.bodyStart(stream);
        return DerRulesTest.concat(Arrays.copyOf(stream, body), Tlv.writeAll(Tlv.parseAll(stream, body),
                Tlv.Style.DER, t -> which.test(t) ? bytes : null));
    }

    static Predicate<Tlv> content(String hex) {
        byte[] c = unhex(hex);
        return t -> t.content() != null && Arrays.equals(t.content(), c);
    }

    @Test
    void textThatIsNotUtf8() {
        VmstateException e = fails(DER, Fixtures.withEnvelope(DER, unhex("a0 0b 02 01 03 0c 04 61 62 63 c0 04 00")));
        assertThat(e.getOriginalMessage()).isEqualTo("UTF8String is not valid UTF-8: byte 0xC0 at index 3");
    }

    @Test
    void aDeviceTreeTheModelRefuses() {
        // DeviceTree { "m", { DeviceNode { "a b", "t", {}, {} } } }
        byte[] e0 = unhex("a0 1a 02 01 03 04 00 30 13 0c 01 6d 30 0e 30 0c 0c 03 61 20 62 0c 01 74 31 00 30 00");
        VmstateException e = fails(DER, Fixtures.withEnvelope(DER, e0));
        assertThat(e.getOriginalMessage()).isEqualTo("invalid device tree: invalid device id \"a b\": use 1-64 letters, "
                + "digits, '-', '_' or '.'");
    }

    @Test
    void aPropertyTwice() {
        byte[] bytes = Fixtures.withEnvelope(DER, new byte[0]);
        Asn1Out o = new Asn1Out(true);
        o.open(Asn1Constants.HEADER);
        o.integer(Asn1Constants.INTEGER, 3);
        o.octets(Asn1Constants.OCTET_STRING, new byte[0]);
        o.open(Asn1Constants.SEQUENCE);
        o.utf8(Asn1Constants.UTF8_STRING, "m");
        o.open(Asn1Constants.SEQUENCE);
        o.open(Asn1Constants.SEQUENCE);
        o.utf8(Asn1Constants.UTF8_STRING, "d");
        o.utf8(Asn1Constants.UTF8_STRING, "t");
        o.open(Asn1Constants.SET);
        for (int i = 0; i < 2; i++) {
            o.open(Asn1Constants.SEQUENCE);
            o.utf8(Asn1Constants.UTF8_STRING, "irq");
            o.integer(Asn1Constants.INTEGER, 4);
            o.close();
        }
        o.close();
        o.open(Asn1Constants.SEQUENCE);
        o.close();
        o.close();
        o.close();
        o.close();
        o.close();
        VmstateException e = fails(DER, DerRulesTest.concat(bytes, Arrays.copyOf(o.buffer(), o.length())));
        assertThat(e.getOriginalMessage()).isEqualTo("property \"irq\" appears twice in one device node");
    }

    @Test
    void schemasTheReaderRefuses() {
        Map<String, Object> field = new LinkedHashMap<>();
        field.put("name", "a");
        field.put("type", "uint7");
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("vmsd_name", "x");
        schema.put("version", 1L);
        schema.put("fields", List.of(field));
        VmstateException e = fails(DER, headerThen(o -> {
            o.open(Asn1Constants.SCHEMA);
            o.integer(Asn1Constants.INTEGER, 0);
            o.plain(schema);
            o.close();
        }));
        assertThat(e.getOriginalMessage()).isEqualTo("invalid schema: $.fields[0].type: unknown type \"uint7\"");
        e = fails(DER, headerThen(o -> {
            o.open(Asn1Constants.SCHEMA);
            o.integer(Asn1Constants.INTEGER, 0);
            o.open(Asn1Constants.PLAIN_MAP);
            for (String name : new String[] {"x", "y"}) {
                o.open(Asn1Constants.SEQUENCE);
                o.utf8(Asn1Constants.UTF8_STRING, "vmsd_name");
                o.utf8(Asn1Constants.UTF8_STRING, name);
                o.close();
            }
            o.close();
            o.close();
        }));
        assertThat(e.getOriginalMessage()).isEqualTo("key \"vmsd_name\" appears twice in one Plain map");
        e = fails(DER, headerThen(o -> {
            o.open(Asn1Constants.SCHEMA);
            o.integer(Asn1Constants.INTEGER, 1);
            o.plain(schema);
            o.close();
        }));
        assertThat(e.getOriginalMessage()).isEqualTo("schema id 1: expected 0; a stream numbers its schema values 0, "
                + "1, 2, ... in order");
        e = fails(DER, headerThen(o -> {
            o.open(Asn1Constants.DEVICE);
            o.integer(Asn1Constants.INTEGER, 0);
            o.utf8(Asn1Constants.UTF8_STRING, "d");
            o.integer(Asn1Constants.INTEGER, 0);
            o.integer(Asn1Constants.INTEGER, 1);
            o.bool(true);
            o.integer(Asn1Constants.INTEGER, 0);
            o.open(Asn1Constants.SEQUENCE);
            o.close();
            o.close();
        }));
        assertThat(e.getOriginalMessage()).isEqualTo("schema id 0: no schema value before it has this id");
        assertThat(e.section()).isEqualTo("d/0");
    }

    @Test
    void anUnknownFeature() {
        byte[] env = new Envelope("asn1-der", new byte[32], List.of("zstd")).toBytes();
        VmstateException e = fails(DER, env);
        assertThat(e).isInstanceOf(VersionException.class);
        assertThat(e.getOriginalMessage()).isEqualTo("feature \"zstd\" is not supported by this build (it reads "
                + "crc32c)");
    }

    @Test
    void brokenConstructedStrings() {
        // BER: a machine type whose segment is an INTEGER
        VmstateException e = fails(BER, Fixtures.withEnvelope(BER, unhex("a0 0a 02 01 03 2c 03 02 01 00 04 00")));
        assertThat(e.getOriginalMessage()).isEqualTo("found INTEGER (0x02) inside a constructed string, expected an "
                + "OCTET STRING segment (X.690 8.7.3.2)");
        // BER: a command's data of indefinite length, with no end-of-contents before the record ends
        byte[] head = Fixtures.write(BER, List.of(StreamHeader.of(null, null)));
        e = fails(BER, DerRulesTest.concat(head, unhex("a8 0b 02 01 01 24 80 04 01 aa 04 01 bb")));
        assertThat(e.getOriginalMessage()).isEqualTo("a constructed value of indefinite length has no "
                + "end-of-contents octets (00 00) before the end of its container (X.690 8.1.5)");
        assertThat(e.offset()).isEqualTo(head.length + 13);
    }

    @Test
    void stateValuesTheSchemaDoesNotAllow() {
        List<StreamRecord> records = Asn1GoldenTest.records().subList(0, 2);
        List<StreamRecord> all = new java.util.ArrayList<>(records);
        all.add(new dev.vmstate.stream.EndOfState());
        // buffer[4] with 3 octets
        VmstateException e = fails(DER, edit(all, content("00 10 20 ff"), unhex("04 03 00 10 20")));
        assertThat(e).isInstanceOf(SchemaMismatchException.class);
        assertThat(e.getOriginalMessage()).isEqualTo("buffer of length 3, expected 4");
        assertThat(e.path()).isEqualTo("fixed");
        // enum code 5 where the schema has 0, 1 and 7
        Tlv[] link = new Tlv[1];
        byte[] stream = Fixtures.write(DER, all);
        Tlv device = Tlv.parseAll(stream, SampleStreams.bodyStart(stream)).stream().filter(t -> t.id() == 0xA2)
                .findFirst().orElseThrow();
        List<Tlv> state = device.children().get(device.children().size() - 1).children();
        link[0] = state.get(18);
        e = fails(DER, edit(all, t -> t.offset() == link[0].offset(), unhex("02 01 05")));
        assertThat(e.getOriginalMessage()).isEqualTo("invalid enum code 5, expected one of [0, 1, 7]");
        assertThat(e.path()).isEqualTo("link");
        // the pending section at version 4, its schema's being 1
        Tlv section = state.get(19);
        e = fails(DER, edit(all, t -> t.offset() == section.offset(), unhex("64 08 02 01 04 30 03 02 01 2a")));
        assertThat(e).isInstanceOf(VersionException.class);
        assertThat(e.getOriginalMessage()).isEqualTo("section version 4 is newer than the supported 1");
        assertThat(e.path()).isEqualTo("everykind/pending");
        // a Float64 of 4 octets
        Schema f = new Schema("f", 1, 1, List.of(Field.scalar("x", Kind.F64, null)));
        List<StreamRecord> one = EveryRecord.oneSection(f, new StateTree.StructValue("f",
                Map.of("x", new StateTree.F64Value(1.5))));
        e = fails(DER, edit(one, t -> t.id() == 0x41, unhex("41 04 3f f8 00 00")));
        assertThat(e.getOriginalMessage()).isEqualTo("Float64 of 4 content octets, expected 8");
        assertThat(e).isInstanceOf(MalformedStreamException.class);
    }
}
