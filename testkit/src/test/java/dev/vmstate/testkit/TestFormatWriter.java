package dev.vmstate.testkit;

import dev.vmstate.binary.BinarySaveVisitor;
import dev.vmstate.binary.ByteSink;
import dev.vmstate.error.StreamIoException;
import dev.vmstate.error.StreamWriteException;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.SectionCrc;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WriteOptions;
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

/**
 * Writes {@link TestFormat} streams: each record is encoded into a reusable buffer, then framed
 * with its tag and length, so nothing beyond one record is held. Not thread-safe.
 */
final class TestFormatWriter implements StreamWriter {
    private final OutputStream out;
    private final WriteOptions options;
    private final ByteSink payload = new ByteSink(4096);
    private final ByteSink frame = new ByteSink(16);
    /** 0: nothing written; 1: header written; 2: end of state written; 3: description written. */
    private int stage;

    TestFormatWriter(OutputStream out, WriteOptions options) {
        this.out = out;
        this.options = options;
    }

    // example:write
    @Override
    public void write(StreamRecord record) {
        checkOrder(record);
        payload.reset();
        char tag;
        if (record instanceof StreamHeader h) {
            tag = 'H';
            payload.writeBe32(h.streamVersion());
            optionalString(h.machineType());
            blob(h.configurationExtra());
            optionalString(h.deviceTree() == null ? null : h.deviceTree().toJson());
        } else if (record instanceof DeviceSection s) {
            tag = 'S';
            payload.writeBe32(s.sectionId());
            string(s.idstr());
            payload.writeBe32(s.instanceId()).writeBe32(s.version()).writeU8(s.footer() ? 1 : 0);
            string(SchemaJson.toJson(s.schema()));
            // The state saves itself: the device, or a GenericState replaying its tree.
            s.state().visit(new BinarySaveVisitor(payload));
            if (options.crc32c()) {
                payload.writeBe32((int) SectionCrc.of(s.state()));
            }
        } else {
            tag = other(record);
        }
        frame(tag);
    }
    // end:write

    private char other(StreamRecord record) {
        if (record instanceof IterativeSection i) {
            payload.writeU8(i.type().ordinal()).writeBe32(i.sectionId());
            optionalString(i.idstr());
            payload.writeBe32(i.instanceId()).writeBe32(i.version());
            return 'I';
        } else if (record instanceof RamRecord.Blocks b) {
            payload.writeBe64(b.totalBytes()).writeBe32(b.blocks().size());
            for (RamRecord.Block block : b.blocks()) {
                string(block.name());
                payload.writeBe64(block.usedLength());
            }
            return 'B';
        } else if (record instanceof RamRecord.Page p) {
            string(p.block());
            payload.writeBe64(p.offset()).writeU8(p.continued() ? 1 : 0).writeU8(p.encoding().ordinal());
            blob(p.data());
            return 'P';
        } else if (record instanceof RamRecord.Eos) {
            return 'Z';
        } else if (record instanceof SectionEnd e) {
            payload.writeBe32(e.sectionId()).writeU8(e.footer() ? 1 : 0);
            return 'F';
        } else if (record instanceof Command c) {
            payload.writeBe32(c.command());
            blob(c.data());
            return 'C';
        } else if (record instanceof EndOfState) {
            return 'E';
        } else if (record instanceof Description d) {
            payload.writeU8(d.isGenerate() ? 1 : 0);
            if (!d.isGenerate()) {
                blob(d.json());
            }
            return 'D';
        }
        throw new StreamWriteException("unknown record " + record.getClass().getName());
    }

    /** The order {@link StreamWriter} requires: a header first, only a description after the end of state. */
    private void checkOrder(StreamRecord record) {
        boolean header = record instanceof StreamHeader;
        if (stage == 0 && !header) {
            throw new StreamWriteException("a stream starts with its header, not a " + record.getClass().getSimpleName());
        }
        if (stage > 0 && header) {
            throw new StreamWriteException("a stream has one header");
        }
        if (stage == 2 && !(record instanceof Description) || stage == 3) {
            throw new StreamWriteException("only a description may follow the end of state, not a "
                    + record.getClass().getSimpleName());
        }
        if (record instanceof Description && stage != 2) {
            throw new StreamWriteException("a description follows the end of state");
        }
        if (stage == 0) {
            Envelope.of(TestFormat.NAME, options).write(frame);
            flushFrame();
        }
        stage = header ? 1 : record instanceof EndOfState ? 2 : record instanceof Description ? 3 : stage;
    }

    private void string(String s) {
        blob(s.getBytes(StandardCharsets.UTF_8));
    }

    private void optionalString(String s) {
        payload.writeU8(s == null ? 0 : 1);
        if (s != null) {
            string(s);
        }
    }

    private void blob(byte[] b) {
        payload.writeBe32(b.length).writeBytes(b);
    }

    private void frame(char tag) {
        frame.writeU8(tag).writeBe32(payload.size());
        flushFrame();
        try {
            out.write(payload.toByteArray());
        } catch (IOException e) {
            throw new StreamIoException("write failed: " + e.getMessage(), e);
        }
    }

    private void flushFrame() {
        try {
            out.write(frame.toByteArray());
        } catch (IOException e) {
            throw new StreamIoException("write failed: " + e.getMessage(), e);
        } finally {
            frame.reset();
        }
    }

    @Override
    public void close() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new StreamIoException("flush failed: " + e.getMessage(), e);
        }
    }
}
