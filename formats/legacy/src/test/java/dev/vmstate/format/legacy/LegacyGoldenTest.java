package dev.vmstate.format.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.compat.Conversion;
import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.DeviceType;
import dev.vmstate.device.Machine;
import dev.vmstate.device.MachineStreams;
import dev.vmstate.device.SampleMachines;
import dev.vmstate.machine.DeviceNode;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.testkit.HexAnnotator;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Visitables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * #3: golden legacy streams, one per sample device (the populated sample-pc state) and one of the
 * whole machine, each with an annotated {@code .hex.txt}. #6: a device type with a history keeps
 * one per supported version, {@code <type>-v<N>.legacy}: the state downgraded through its compat
 * chain and written with the schema of that version, as an older peer would receive it. A change
 * in the bytes fails with the first differing annotated lines; regenerate with
 * {@code -Dgolden.update=true} after checking the change is intended.
 */
class LegacyGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final boolean UPDATE = Boolean.getBoolean("golden.update");
    static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    /** vmstate's own samples: their populated state goes down to every version without loss. */
    static final Set<String> OWN = Set.of("vs-pci-nic", "vs-virtio-dev", "vs-ramblock");

    @Test
    void everySampleDeviceMatchesItsGoldenStreamAtEverySupportedVersion() throws IOException {
        Machine m = SampleMachines.populatedSamplePc(DeviceRegistry.load());
        Map<String, MachineStreams.SectionKey> keys = MachineStreams.sectionKeys(m);
        Set<String> expected = new TreeSet<>(Set.of("sample-pc.legacy"));
        for (String id : m.ids()) {
            DeviceType<?> t = m.type(id);
            DeviceNode node = m.tree().find(id);
            DeviceTree tree = new DeviceTree(m.machineType(), List.of(new DeviceNode(node.id(), node.type(), node.bus(),
                    node.properties(), List.of())));
            MachineStreams.SectionKey key = keys.get(id);
            StructValue current = Visitables.toTree(t.name(), m.device(id));
            for (int v = t.minimumVersion(); v <= t.version(); v++) {
                Conversion down = t.compat().downgrade(current, v, true);
                if (OWN.contains(t.name())) {
                    assertThat(down.losses()).as("%s v%d: the populated state goes down without loss", t.name(), v)
                            .isEmpty();
                }
                Schema schema = t.compat().schemaAt(v);
                DeviceSection section = new DeviceSection(0, key.idstr(), key.instanceId(), v, true, schema,
                        new GenericState(schema, down.tree()));
                byte[] bytes = stream(m.machineType(), tree, section);
                if (v == t.version()) {
                    DeviceSection own = new DeviceSection(0, key.idstr(), key.instanceId(), v, true, t.schema(),
                            m.device(id));
                    assertThat(bytes).as("%s at its current version: as the device saves itself", t.name())
                            .isEqualTo(stream(m.machineType(), tree, own));
                }
                String name = t.name() + "-v" + v;
                check(name, bytes, List.of(section));
                expected.add(name + ".legacy");
            }
        }
        try (Stream<Path> files = Files.list(GOLDEN)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".legacy")))
                    .as("golden streams in %s: one per device type and supported version, and sample-pc", GOLDEN)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** A one-section stream: header with the device's tree node, the section, EOF, the vmdesc trailer. */
    private static byte[] stream(String machineType, DeviceTree tree, DeviceSection section) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (StreamWriter w = new LegacyFormat().openWriter(out, WriteOptions.defaults())) {
            w.write(StreamHeader.of(machineType, tree));
            w.write(section);
            w.write(new EndOfState());
            w.write(Description.generate());
        }
        return out.toByteArray();
    }

    @Test
    void samplePcMatchesItsGoldenStream() throws IOException {
        Machine m = SampleMachines.populatedSamplePc(DeviceRegistry.load());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<DeviceSection> sections = new ArrayList<>();
        try (StreamWriter w = new LegacyFormat().openWriter(out, WriteOptions.defaults())) {
            MachineStreams.save(m, new StreamWriter() {
                @Override
                public void write(dev.vmstate.stream.StreamRecord r) {
                    if (r instanceof DeviceSection d) {
                        sections.add(d);
                    }
                    w.write(r);
                }

                @Override
                public void close() {
                }
            });
        }
        check("sample-pc", out.toByteArray(), sections);
    }

    /** Compares with the golden file, or writes it (and its annotation) with -Dgolden.update=true. */
    static void check(String name, byte[] actual, List<DeviceSection> sections) throws IOException {
        Path bin = GOLDEN.resolve(name + ".legacy");
        Path txt = GOLDEN.resolve(name + ".legacy.hex.txt");
        String annotated = annotate(actual, sections);
        if (UPDATE) {
            Files.createDirectories(GOLDEN);
            Files.write(bin, actual);
            Files.writeString(txt, annotated);
            return;
        }
        assertThat(bin).as("golden file %s (create it with -Dgolden.update=true)", bin).exists();
        byte[] golden = Files.readAllBytes(bin);
        if (!java.util.Arrays.equals(golden, actual)) {
            List<String> want = Files.readAllLines(txt);
            List<String> got = annotated.lines().toList();
            StringBuilder sb = new StringBuilder(name + ": bytes differ from " + bin + " at offset "
                    + java.util.Arrays.mismatch(golden, actual) + "; first differing annotated lines:");
            for (int i = 0, shown = 0; i < Math.max(want.size(), got.size()) && shown < 6; i++) {
                String w = i < want.size() ? want.get(i) : "(none)";
                String g = i < got.size() ? got.get(i) : "(none)";
                if (!w.equals(g)) {
                    sb.append("\n  golden: ").append(w).append("\n  actual: ").append(g);
                    shown++;
                }
            }
            throw new AssertionError(sb.toString());
        }
        assertThat(Files.readString(txt)).as("annotation of %s", name).isEqualTo(annotated);
    }

    /** One line per header item, the bodies field by field, the trailer's length. */
    static String annotate(byte[] stream, List<DeviceSection> sections) {
        StringBuilder sb = new StringBuilder();
        ByteSource in = ByteSource.of(stream);
        line(sb, in, 8, "QEVM magic, version 3");
        in.readU8();
        int n = in.readBe32();
        sb.append(String.format("%-50s %s%n", "07 " + HEX.formatHex(java.nio.ByteBuffer.allocate(4).putInt(n).array()),
                "QEMU_VM_CONFIGURATION, machine name length " + n));
        line(sb, in, n, "machine \"" + new String(stream, 13, n, StandardCharsets.UTF_8) + "\"");
        for (DeviceSection d : sections) {
            int idLen = d.idstr().getBytes(StandardCharsets.UTF_8).length;
            line(sb, in, 1 + 4 + 1 + idLen + 4 + 4, "QEMU_VM_SECTION_FULL id " + d.sectionId() + " \"" + d.idstr()
                    + "\" instance " + d.instanceId() + " version " + d.version());
            String body = HexAnnotator.annotate(d.state(), "  ");
            sb.append(body);
            in.skip(dev.vmstate.binary.BinaryBody.save(d.state()).length);
            line(sb, in, 5, "QEMU_VM_SECTION_FOOTER id " + d.sectionId());
        }
        line(sb, in, 1, "QEMU_VM_EOF");
        if (!in.atEnd()) {
            line(sb, in, 5, "QEMU_VM_VMDESCRIPTION and its be32 length");
            long rest = stream.length - in.position();
            sb.append(String.format("%-50s %s%n", "(" + rest + " bytes)", "vmdesc JSON, compact, QEMU's key order"));
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, ByteSource in, int n, String what) {
        byte[] b = new byte[n];
        in.readFully(b);
        String hex = n > 16 ? HEX.formatHex(b, 0, 16) + " ..." : HEX.formatHex(b);
        sb.append(String.format("%-50s %s%n", hex, what));
    }
}
