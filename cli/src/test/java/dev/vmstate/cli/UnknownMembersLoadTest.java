package dev.vmstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.Machine;
import dev.vmstate.device.MachineStreams;
import dev.vmstate.device.SampleMachines;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.Formats;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitables;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #6: a stream from a newer build whose {@code serial} section (same version) carries members
 * this build does not know. Optional ones are skipped with a note, a present must-understand one
 * is refused naming its path, in every self-describing format; legacy follows QEMU's rule that
 * an unknown subsection is fatal.
 */
class UnknownMembersLoadTest {
    @TempDir
    Path dir;

    /** sample-pc with com1's section extended by a field and two sections a newer build would add. */
    private Path write(String format, boolean criticalPresent) throws Exception {
        return write(format, true, criticalPresent, true);
    }

    private Path write(String format, boolean withField, boolean criticalPresent, boolean withDescription)
            throws Exception {
        Machine m = SampleMachines.populatedSamplePc(DeviceRegistry.load());
        Path file = dir.resolve("newer." + format);
        try (OutputStream out = Files.newOutputStream(file);
             StreamWriter w = Formats.builtIn().get(format).openWriter(out, WriteOptions.defaults())) {
            MachineStreams.save(m, new StreamWriter() {
                @Override
                public void write(StreamRecord r) {
                    if (!withDescription && r instanceof dev.vmstate.stream.Description) {
                        return;
                    }
                    w.write(r instanceof DeviceSection d && d.idstr().equals("serial")
                            ? extend(d, withField, criticalPresent) : r);
                }

                @Override
                public void close() {
                }
            });
        }
        return file;
    }

    private static DeviceSection extend(DeviceSection d, boolean withField, boolean criticalPresent) {
        Schema body = new Schema("serial/extra", 1, 1, List.of(Field.scalar("level", Kind.U8, null)));
        List<Field> members = new ArrayList<>(d.schema().members());
        if (withField) {
            members.add(Field.scalar("rx_timeout_ns", Kind.U64, null));
        }
        members.add(Field.section("serial/extra", body));
        members.add(Field.section("serial/inflight", new Schema("serial/inflight", 1, 1,
                List.of(Field.scalar("level", Kind.U8, null)))).withMustUnderstand(true));
        Schema schema = new Schema(d.schema().name(), d.schema().version(), d.schema().minimumVersion(), members);
        Map<String, StateTree> values = new LinkedHashMap<>(Visitables.toTree("serial", d.state()).members());
        if (withField) {
            values.put("rx_timeout_ns", new IntValue(Kind.U64, 1_000_000));
        }
        StructValue level = new StructValue("serial/extra", Map.of("level", new IntValue(Kind.U8, 3)));
        values.put("serial/extra", new SectionValue(1, level));
        if (criticalPresent) {
            values.put("serial/inflight", new SectionValue(1, level));
        }
        return new DeviceSection(d.sectionId(), d.idstr(), d.instanceId(), d.version(), d.footer(), schema,
                new GenericState(schema, new StructValue("serial", values)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "cbor", "asn1-ber", "asn1-der"})
    void optionalUnknownMembersAreSkippedAndReported(String format) throws Exception {
        Cli.Result r = Cli.run("load", write(format, false).toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("com1 <- serial/0 v3 (skipped unknown serial.rx_timeout_ns, serial.serial/extra)")
                .contains("devices loaded into models: 6");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "cbor", "asn1-ber", "asn1-der"})
    void aPresentMustUnderstandSectionIsRefusedWithItsPath(String format) throws Exception {
        Cli.Result r = Cli.run("load", write(format, true).toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(3);
        assertThat(r.err()).contains("unknown must-understand section serial.serial/inflight").contains("serial/0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "cbor"})
    void convertKeepsUnknownMembers(String format) throws Exception {
        Path in = write(format, true);
        Path out = dir.resolve("kept.json");
        assertThat(Cli.run("convert", in.toString(), out.toString(), "--to", "json").code()).isZero();
        assertThat(Files.readString(out)).contains("serial/inflight").contains("\"must_understand\":true")
                .contains("rx_timeout_ns");
    }

    /**
     * A legacy stream with its vmdesc carries vmstate's whole schema (docs/formats/legacy.md), so
     * the flags decide, as in the other formats.
     */
    @Test
    void legacyWithItsDescriptionFollowsTheFlags() throws Exception {
        Cli.Result skipped = Cli.run("load", write("legacy", true, false, true).toString());
        assertThat(skipped.code()).as(skipped.toString()).isZero();
        assertThat(skipped.out()).contains("com1 <- serial/0 v3 (skipped unknown serial.rx_timeout_ns, serial.serial/extra)");
        Cli.Result refused = Cli.run("load", write("legacy", true, true, true).toString());
        assertThat(refused.code()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.err()).contains("unknown must-understand section serial.serial/inflight");
    }

    /**
     * Without a description a legacy stream is read with this build's layout, and QEMU's rule
     * applies: an unknown subsection is fatal, whatever its flag, since nothing says how long it is.
     */
    @Test
    void legacyWithoutADescriptionRefusesAnUnknownSubsection() throws Exception {
        Cli.Result r = Cli.run("load", write("legacy", false, false, false).toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(3);
        assertThat(r.err()).contains("unknown subsection \"serial/extra\"").contains("QEMU's rule")
                .contains("serial/0");
    }
}
