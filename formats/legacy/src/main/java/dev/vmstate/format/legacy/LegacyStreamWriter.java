package dev.vmstate.format.legacy;

import static dev.vmstate.format.legacy.LegacyConstants.*;

import dev.vmstate.binary.BinarySaveVisitor;
import dev.vmstate.binary.ByteSink;
import dev.vmstate.error.StreamIoException;
import dev.vmstate.error.StreamWriteException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.stream.Command;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes QEMU's savevm stream version 3 as QEMU 7.2 does (docs/formats/legacy.md): each record is
 * encoded into a reused buffer and handed to the output, so nothing beyond one section is held.
 * Device bodies are the vmstate body encoding; a {@link Description#generate()} request produces
 * QEMU's vmdesc from the sections written, with the device tree as an extra key.
 *
 * <p>Not thread-safe.
 *
 * @since 0.1
 */
public final class LegacyStreamWriter implements StreamWriter {
    private enum State { START, SECTIONS, RAM, ENDED, DESCRIBED }

    private final OutputStream out;
    private final ByteSink buf = new ByteSink(4096);
    private final BinarySaveVisitor body = new BinarySaveVisitor(buf);
    private final List<LegacyDescription.Entry> described = new ArrayList<>();
    private DeviceTree tree;
    private State state = State.START;
    private int ramSection = -1;

    LegacyStreamWriter(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(StreamRecord record) {
        buf.reset();
        if (record instanceof StreamHeader h) {
            expect(state == State.START, record);
            header(h);
            state = State.SECTIONS;
        } else if (record instanceof DeviceSection d) {
            expect(state == State.SECTIONS, record);
            device(d);
        } else if (record instanceof IterativeSection s) {
            expect(state == State.SECTIONS, record);
            iterative(s);
            state = State.RAM;
        } else if (record instanceof RamRecord r) {
            expect(state == State.RAM, record);
            ram(r);
        } else if (record instanceof SectionEnd e) {
            expect(state == State.RAM && e.sectionId() == ramSection, record);
            if (e.footer()) {
                buf.writeU8(QEMU_VM_SECTION_FOOTER).writeBe32(e.sectionId());
            }
            state = State.SECTIONS;
        } else if (record instanceof Command c) {
            expect(state == State.SECTIONS, record);
            byte[] data = c.data();
            if (data.length > 0xFFFF || c.command() < 0 || c.command() > 0xFFFF) {
                throw new StreamWriteException("command " + c.command() + " with " + data.length
                        + " bytes does not fit QEMU's be16 command and length");
            }
            buf.writeU8(QEMU_VM_COMMAND).writeBe16(c.command()).writeBe16(data.length).writeBytes(data);
        } else if (record instanceof EndOfState) {
            expect(state == State.SECTIONS, record);
            buf.writeU8(QEMU_VM_EOF);
            state = State.ENDED;
        } else if (record instanceof Description d) {
            expect(state == State.ENDED, record);
            byte[] json = d.isGenerate() ? LegacyDescription.build(described, tree) : d.json();
            buf.writeU8(QEMU_VM_VMDESCRIPTION).writeBe32(json.length).writeBytes(json);
            state = State.DESCRIBED;
        }
        flush();
    }

    private void expect(boolean ok, StreamRecord record) {
        if (!ok) {
            throw (StreamWriteException) new StreamWriteException("record " + record.getClass().getSimpleName()
                    + " out of order (writer state " + state + ")").inFormat(LegacyErrors.FORMAT);
        }
    }

    private void header(StreamHeader h) {
        buf.writeBe32(QEMU_VM_FILE_MAGIC).writeBe32(h.streamVersion());
        if (h.machineType() != null) {
            byte[] name = h.machineType().getBytes(StandardCharsets.UTF_8);
            buf.writeU8(QEMU_VM_CONFIGURATION).writeBe32(name.length).writeBytes(name).writeBytes(h.configurationExtra());
        } else if (h.configurationExtra().length > 0) {
            throw new StreamWriteException("configuration subsections without a configuration section");
        }
        tree = h.deviceTree();
    }

    private static byte[] idstr(String idstr) {
        byte[] b = idstr.getBytes(StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > 255) {
            throw new StreamWriteException("section id string \"" + idstr + "\" of " + b.length
                    + " bytes, expected 1..255");
        }
        return b;
    }

    private void device(DeviceSection d) {
        byte[] id = idstr(d.idstr());
        buf.writeU8(QEMU_VM_SECTION_FULL).writeBe32(d.sectionId()).writeU8(id.length).writeBytes(id)
                .writeBe32(d.instanceId()).writeBe32(d.version());
        int start = buf.size();
        try {
            d.state().visit(body);
        } catch (VmstateException e) {
            throw LegacyErrors.in(e, d.label());
        }
        // Keep the body, not a tree: measuring sizes for the vmdesc waits until one is asked for.
        described.add(new LegacyDescription.Entry(d.idstr(), d.instanceId(), d.schema(), buf.copy(start, buf.size())));
        if (d.footer()) {
            buf.writeU8(QEMU_VM_SECTION_FOOTER).writeBe32(d.sectionId());
        }
    }

    private void iterative(IterativeSection s) {
        switch (s.type()) {
            case START -> {
                if (!RAM_IDSTR.equals(s.idstr())) {
                    throw new StreamWriteException("iterative section \"" + s.idstr() + "\": only \"ram\" is modelled");
                }
                byte[] id = idstr(s.idstr());
                buf.writeU8(QEMU_VM_SECTION_START).writeBe32(s.sectionId()).writeU8(id.length).writeBytes(id)
                        .writeBe32(s.instanceId()).writeBe32(s.version());
                ramSection = s.sectionId();
            }
            case PART -> buf.writeU8(QEMU_VM_SECTION_PART).writeBe32(s.sectionId());
            case END -> buf.writeU8(QEMU_VM_SECTION_END).writeBe32(s.sectionId());
            default -> throw new IllegalStateException();
        }
        ramSection = s.sectionId();
    }

    private void ram(RamRecord r) {
        if (r instanceof RamRecord.Blocks b) {
            if ((b.totalBytes() & RAM_FLAGS_MASK) != 0) {
                throw new StreamWriteException("RAM total " + b.totalBytes() + " is not page-aligned");
            }
            buf.writeBe64(b.totalBytes() | RAM_SAVE_FLAG_MEM_SIZE);
            for (RamRecord.Block block : b.blocks()) {
                byte[] name = idstr(block.name());
                buf.writeU8(name.length).writeBytes(name).writeBe64(block.usedLength());
            }
        } else if (r instanceof RamRecord.Page p) {
            if ((p.offset() & RAM_FLAGS_MASK) != 0) {
                throw new StreamWriteException("page offset " + p.offset() + " is not page-aligned");
            }
            int flag = switch (p.encoding()) {
                case ZERO -> RAM_SAVE_FLAG_ZERO;
                case RAW -> RAM_SAVE_FLAG_PAGE;
                case XBZRLE -> RAM_SAVE_FLAG_XBZRLE;
            };
            buf.writeBe64(p.offset() | flag | (p.continued() ? RAM_SAVE_FLAG_CONTINUE : 0));
            if (!p.continued()) {
                byte[] name = idstr(p.block());
                buf.writeU8(name.length).writeBytes(name);
            }
            byte[] data = p.data();
            switch (p.encoding()) {
                case ZERO -> {
                    if (data.length != 1) {
                        throw new StreamWriteException("a zero page carries one fill byte, got " + data.length);
                    }
                    buf.writeBytes(data);
                }
                case RAW -> {
                    if (data.length != RamRecord.PAGE_SIZE) {
                        throw new StreamWriteException("a raw page carries " + RamRecord.PAGE_SIZE + " bytes, got "
                                + data.length);
                    }
                    buf.writeBytes(data);
                }
                case XBZRLE -> {
                    if (data.length > RamRecord.PAGE_SIZE) {
                        throw new StreamWriteException("an XBZRLE page of " + data.length + " bytes, expected at most "
                                + RamRecord.PAGE_SIZE);
                    }
                    buf.writeU8(ENCODING_FLAG_XBZRLE).writeBe16(data.length).writeBytes(data);
                }
                default -> throw new IllegalStateException();
            }
        } else if (r instanceof RamRecord.Eos) {
            buf.writeBe64(RAM_SAVE_FLAG_EOS);
        }
    }

    private void flush() {
        try {
            if (buf.size() > 0) {
                buf.writeTo(out);
            }
        } catch (IOException e) {
            throw (StreamIoException) new StreamIoException("write failed: " + e.getMessage(), e).inFormat(LegacyErrors.FORMAT);
        }
    }

    @Override
    public void close() {
        try {
            out.flush();
        } catch (IOException e) {
            throw (StreamIoException) new StreamIoException("flush failed: " + e.getMessage(), e).inFormat(LegacyErrors.FORMAT);
        }
    }
}
