package dev.vmstate.format.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.device.pit.I8254;
import dev.vmstate.device.rtc.Mc146818Rtc;
import dev.vmstate.device.serial.Serial;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VersionException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.machine.DeviceNode;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Command;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.IterativeSection.SectionType;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.GenericState;
import dev.vmstate.visitor.DescribeVisitor;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitables;
import java.io.ByteArrayOutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LegacyFormatTest {
    static final LegacyFormat LEGACY = new LegacyFormat();
    static final HexFormat HEX = HexFormat.of();

    static Schema schema(String name, int version, int min, Visitable v) {
        return DescribeVisitor.describe(name, version, min, v);
    }

    static byte[] write(List<StreamRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (StreamWriter w = LEGACY.openWriter(out, WriteOptions.defaults())) {
            records.forEach(w::write);
        }
        return out.toByteArray();
    }

    static List<StreamRecord> read(byte[] stream, ReadOptions options) {
        List<StreamRecord> out = new ArrayList<>();
        StreamReader r = LEGACY.openReader(ByteSource.of(stream), options);
        for (StreamRecord rec; (rec = r.next()) != null; ) {
            out.add(rec);
        }
        return out;
    }

    static ReadOptions prepared(Path dir, byte[] stream) throws Exception {
        Path f = dir.resolve("s.mig");
        Files.write(f, stream);
        try (SeekableByteChannel ch = Files.newByteChannel(f)) {
            return LEGACY.prepare(ch, ReadOptions.defaults());
        }
    }

    @Test
    void serialResetSectionIsQemusBytes() {
        Serial serial = new Serial();
        byte[] s = write(List.of(StreamHeader.of("pc-i440fx-7.2", null),
                new DeviceSection(0x17, "serial", 0, 3, true, schema("serial", 3, 2, serial), serial),
                new EndOfState()));
        assertThat(HEX.formatHex(s)).isEqualTo("5145564d00000003" + "070000000d" + HEX.formatHex("pc-i440fx-7.2".getBytes())
                + "0400000017" + "06" + HEX.formatHex("serial".getBytes()) + "00000000" + "00000003"
                + "000c000001000860b00000" + "7e00000017" + "00");
    }

    /** #2/#3: the QEMU-shaped devices load QEMU 7.2's own sections and save them byte for byte. */
    @Test
    void qemuSectionsLoadIntoOurDevicesAndSaveIdentically() throws Exception {
        byte[] qemu = QemuStreams.read("pc-i440fx-7.2-devices.mig");
        Map<String, Visitable> devices = Map.of("serial", new Serial(), "mc146818rtc", new Mc146818Rtc(),
                "i8254", new I8254());
        Map<String, Integer> bodies = Map.of("serial", 11, "mc146818rtc", 245, "i8254", 108);
        for (var e : devices.entrySet()) {
            int at = QemuStreams.findFullSection(qemu, e.getKey());
            int bodyAt = at + 6 + e.getKey().length() + 8;
            byte[] body = Arrays.copyOfRange(qemu, bodyAt, bodyAt + bodies.get(e.getKey()));
            dev.vmstate.binary.BinaryBody.load(body, e.getValue());
            assertThat(dev.vmstate.binary.BinaryBody.save(e.getValue())).as(e.getKey()).isEqualTo(body);
            assertThat(qemu[bodyAt + body.length]).as(e.getKey() + " footer follows").isEqualTo((byte) 0x7e);
        }
    }

    static List<StreamRecord> sampleRecords() {
        Serial serial = new Serial();
        serial.state().scr = 0x5a;
        I8254 pit = new I8254();
        DeviceTree tree = new DeviceTree("sample-pc", List.of(
                DeviceNode.of("com1", "serial", "isa.0", Map.of("iobase", 0x3f8L)),
                DeviceNode.of("pit", "i8254", "isa.0", Map.of("iobase", 0x40L))));
        byte[] page = new byte[RamRecord.PAGE_SIZE];
        page[7] = 42;
        return List.of(StreamHeader.of("sample-pc", tree),
                new IterativeSection(SectionType.START, 2, "ram", 0, 4),
                new RamRecord.Blocks(0x3000, List.of(new RamRecord.Block("pc.ram", 0x2000), new RamRecord.Block("pc.rom", 0x1000))),
                new RamRecord.Eos(), new SectionEnd(2, true),
                new IterativeSection(SectionType.PART, 2, null, 0, 0),
                new RamRecord.Page("pc.ram", 0, false, RamRecord.Encoding.RAW, page),
                new RamRecord.Page("pc.ram", 0x1000, true, RamRecord.Encoding.ZERO, new byte[] {0}),
                new RamRecord.Page("pc.rom", 0, false, RamRecord.Encoding.XBZRLE, HEX.parseHex("0001c5")),
                new RamRecord.Eos(), new SectionEnd(2, true),
                new IterativeSection(SectionType.END, 2, null, 0, 0), new RamRecord.Eos(), new SectionEnd(2, true),
                new DeviceSection(0, "serial", 0, 3, true, schema("serial", 3, 2, serial), serial),
                new DeviceSection(1, "i8254", 0, 3, true, schema("i8254", 3, 2, pit), pit),
                new Command(2, HEX.parseHex("00000001")),
                new EndOfState(), Description.generate());
    }

    @Test
    void writeReadWriteIsByteIdenticalWithTheGeneratedVmdesc(@TempDir Path dir) throws Exception {
        byte[] first = write(sampleRecords());
        List<StreamRecord> read = read(first, prepared(dir, first));
        assertThat(read).hasSize(sampleRecords().size());
        assertThat(read.get(0)).isInstanceOf(StreamHeader.class);
        assertThat(((StreamHeader) read.get(0)).deviceTree()).isEqualTo(((StreamHeader) sampleRecords().get(0)).deviceTree());
        DeviceSection serial = (DeviceSection) read.get(14);
        assertThat(serial.state()).isInstanceOf(GenericState.class);
        assertThat(((GenericState) serial.state()).tree().toString()).contains("scr=90");
        assertThat(read.get(read.size() - 1)).isInstanceOf(Description.class);
        assertThat(write(read)).isEqualTo(first);
    }

    @Test
    void vmdescIsQemusCompactLayout(@TempDir Path dir) throws Exception {
        byte[] s = write(sampleRecords());
        Description d = (Description) read(s, prepared(dir, s)).get(sampleRecords().size() - 1);
        assertThat(d.text()).startsWith("{\"page_size\": 4096, \"devices\": [{\"name\": \"serial\", \"instance_id\": 0, "
                + "\"vmsd_name\": \"serial\", \"version\": 3, \"minimum_version\": 2, \"fields\": [{\"name\": \"state\", "
                + "\"type\": \"struct\", \"struct\": {\"vmsd_name\": \"serial\", \"version\": 3, \"fields\": [{\"name\": "
                + "\"divider\", \"type\": \"uint16\", \"size\": 2}");
        assertThat(d.text()).contains("{\"name\": \"channels\", \"array_len\": 3, \"type\": \"struct\", \"struct\": "
                + "{\"vmsd_name\": \"pit channel\", \"version\": 2, \"fields\": [{\"name\": \"count\", \"type\": \"int32\", "
                + "\"size\": 4}");
        assertThat(d.text()).contains("\"vmstate_device_tree\": {\"machine\": \"sample-pc\"");
    }

    @Test
    void schemaLessSectionWithoutDescriptionFailsNamingIt() {
        Serial serial = new Serial();
        byte[] s = write(List.of(StreamHeader.of("pc-i440fx-7.2", null),
                new DeviceSection(5, "serial", 0, 3, true, schema("serial", 3, 2, serial), serial), new EndOfState()));
        assertThatThrownBy(() -> read(s, ReadOptions.defaults()))
                .isInstanceOf(MalformedStreamException.class)
                .hasMessageContaining("no description for section serial/0 version 3")
                .satisfies(e -> assertThat(((VmstateException) e).offset()).isEqualTo(26));
        List<StreamRecord> r = read(s, ReadOptions.defaults().withSchemas((id, inst, v) -> schema("serial", 3, 2, serial)));
        assertThat(Visitables.toTree("serial", ((DeviceSection) r.get(1)).state()))
                .isEqualTo(Visitables.toTree("serial", serial));
    }

    @Test
    void badHeadersAreNamed() {
        assertThatThrownBy(() -> read(HEX.parseHex("5145564e00000003"), ReadOptions.defaults()))
                .isInstanceOf(MalformedStreamException.class).hasMessageContaining("not a QEMU migration stream");
        assertThatThrownBy(() -> read(HEX.parseHex("5145564d00000002"), ReadOptions.defaults()))
                .isInstanceOf(VersionException.class).hasMessageContaining("obsolete");
        assertThatThrownBy(() -> read(HEX.parseHex("5145564d0000000309"), ReadOptions.defaults()))
                .isInstanceOf(MalformedStreamException.class).hasMessageContaining("unknown section type 0x09")
                .satisfies(e -> assertThat(((VmstateException) e).offset()).isEqualTo(8));
        assertThatThrownBy(() -> read(HEX.parseHex("5145564d00000003"), ReadOptions.defaults()))
                .isInstanceOf(MalformedStreamException.class).hasMessageContaining("without QEMU_VM_EOF");
    }

    @Test
    void ramContinueWithoutBlockIsRejected() {
        byte[] s = HEX.parseHex("5145564d00000003" + "01" + "00000002" + "03" + "72616d" + "00000000" + "00000004"
                + "0000000000000028");
        assertThatThrownBy(() -> read(s, ReadOptions.defaults()))
                .isInstanceOf(MalformedStreamException.class).hasMessageContaining("CONTINUE flag but no previous block");
    }

    @Test
    void aPageOutsideItsBlockIsRejectedAsQemuDoes() {
        // START with one 0x2000-byte block "pc.ram", then a zero page at 0x2000: QEMU says "Illegal RAM offset"
        byte[] s = HEX.parseHex("5145564d00000003" + "01" + "00000002" + "03" + "72616d" + "00000000" + "00000004"
                + "0000000000002004" + "06" + HEX.formatHex("pc.ram".getBytes()) + "0000000000002000"
                + "0000000000000010" + "02" + "00000002" + "0000000000002002" + "06" + HEX.formatHex("pc.ram".getBytes())
                + "00");
        assertThatThrownBy(() -> read(s, ReadOptions.defaults())).isInstanceOf(MalformedStreamException.class)
                .hasMessageContaining("RAM page at offset 0x2000 of block \"pc.ram\", past its used length 0x2000")
                .hasMessageContaining("byte offset #61");
    }

    @Test
    void onceSectionsHaveFootersAMissingOneIsAnError() throws Exception {
        // a real stream whose serial section is one byte longer than QEMU's vmdesc says: a reader that took the
        // missing footer for "no footers" would go on reading the extra byte as a section type
        byte[] qemu = QemuStreams.read("pc-i440fx-7.2-devices.mig");
        int at = QemuStreams.findFullSection(qemu, "serial");
        int footerAt = at + 6 + "serial".length() + 8 + 11;
        byte[] bad = new byte[qemu.length + 1];
        System.arraycopy(qemu, 0, bad, 0, footerAt);
        bad[footerAt] = 0x04; // looks like a FULL section type
        System.arraycopy(qemu, footerAt, bad, footerAt + 1, qemu.length - footerAt);
        Path dir = Files.createTempDirectory("footer");
        ReadOptions options = prepared(dir, bad);
        assertThatThrownBy(() -> read(bad, options)).isInstanceOf(MalformedStreamException.class)
                .hasMessageContaining("no section footer (0x7E) but byte 0x04")
                .hasMessageContaining("serial/0").hasMessageContaining("byte offset #" + footerAt);
    }

    @Test
    void everyTruncationFailsWithAnOffsetOrEndsAtEof(@TempDir Path dir) throws Exception {
        byte[] full = write(sampleRecords());
        ReadOptions options = prepared(dir, full);
        for (int cut = 0; cut < full.length; cut++) {
            byte[] part = Arrays.copyOf(full, cut);
            try {
                List<StreamRecord> r = read(part, options);
                assertThat(r.get(r.size() - 1)).as("cut at %d reads without error", cut).isInstanceOf(EndOfState.class);
            } catch (VmstateException e) {
                assertThat(e.offset()).as("cut at %d: %s", cut, e.getMessage()).isBetween(0L, (long) cut);
            }
        }
    }
}
