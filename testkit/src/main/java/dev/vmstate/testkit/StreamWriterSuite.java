package dev.vmstate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.StreamIoException;
import dev.vmstate.error.StreamWriteException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.machine.DeviceNode;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.GenericState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every binary format's {@link StreamWriter} must do with records it cannot write and
 * outputs that fail, inherited by a format's tests as {@link FormatConformanceSuite} is: a
 * refused record (out of order, a state that does not fit its schema, text UTF-8 cannot carry)
 * fails with the exact {@link StreamWriteException} message and leaves no trace in the output;
 * an output failure is a {@link StreamIoException} that stops the writer; {@code close} flushes
 * and never closes the output; a stream closed before its end record fails to read.
 *
 * <p>The messages are the shared ones of {@code RecordOrder} and the visitors, so every format
 * says the same thing; a format whose writer says otherwise fails here by name.
 */
public abstract class StreamWriterSuite {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** The format under test. */
    protected abstract WireFormat format();

    /** The lower-case hex of the last bytes of a stream of a header for machine "m" and an end record. */
    protected abstract String endOfStreamHex();

    private List<StreamRecord> read(byte[] stream) {
        return SampleStreams.read(format(), stream, ReadOptions.defaults());
    }

    /** Writes {@code ok}, then checks {@code bad} is refused with {@code message} and adds nothing. */
    private void refused(List<StreamRecord> ok, StreamRecord bad, String message) {
        out.reset();
        try (StreamWriter w = format().openWriter(out, WriteOptions.defaults())) {
            ok.forEach(w::write);
            StreamWriteException e = assertThrows(StreamWriteException.class, () -> w.write(bad), "writing " + bad);
            assertEquals(message, e.getOriginalMessage());
            assertEquals(format().name(), e.format());
            if (ok.isEmpty()) {
                w.write(StreamHeader.of(null, null));
            }
            w.write(new EndOfState());
        }
        // The refused record left no trace: the stream reads as if it had never been offered.
        assertEquals(Math.max(1, ok.size()) + 1, read(out.toByteArray()).size());
    }

    @Test
    public void recordsOutOfOrderAreRefusedAndWriteNothing() {
        StreamHeader h = StreamHeader.of("sample-pc", null);
        refused(List.of(), new EndOfState(), "end record before the header record; a stream starts with a header");
        refused(List.of(h), h, "second header record");
        refused(List.of(h), new RamRecord.Eos(), "eos record outside an iterative section");
        refused(List.of(h), new SectionEnd(1, true), "section_end record outside an iterative section");
        refused(List.of(h), Description.generate(), "description record before the end record");
        refused(List.of(h), new IterativeSection(IterativeSection.SectionType.PART, 4, null, 0, 0),
                "iterative part chunk of section 4, which no start chunk announced");
        refused(List.of(h), new RamRecord.Page("b", 0, false, RamRecord.Encoding.ZERO, new byte[2]),
                "zero page with 2 fill bytes, expected 1");
        refused(List.of(h), new IterativeSection(IterativeSection.SectionType.END, 4, null, 3, 0),
                "iterative end chunk with instance id 3 and version 0; only a start chunk carries them");
        refused(List.of(), StreamHeader.of("pc\uDC00", null),
                "string holds an unpaired surrogate U+DC00, which UTF-8 cannot carry");
        DeviceTree tree = new DeviceTree("m", List.of(DeviceNode.of("d", "t", null, Map.of("p", "x\uD800"))));
        refused(List.of(), StreamHeader.of("m", tree), "string holds an unpaired surrogate U+D800, which UTF-8 "
                + "cannot carry");
    }

    @Test
    public void aStateThatDoesNotFitItsSchemaIsRefused() {
        out.reset();
        try (StreamWriter w = format().openWriter(out, WriteOptions.defaults())) {
            w.write(StreamHeader.of("sample-pc", null));
            StreamWriteException e = assertThrows(StreamWriteException.class, () -> w.write(
                    new DeviceSection(0, "com1", 0, 3, true, EveryRecord.SMALL, new EveryKind())));
            // the state is written as it is walked: the first member the schema does not have is named
            assertEquals("state does not fit its schema: member(s) flag not in the schema", e.getOriginalMessage());
            assertEquals("com1/0", e.section());
            EveryKind bad = new EveryKind();
            bad.u8 = 256;
            e = assertThrows(StreamWriteException.class, () -> w.write(
                    new DeviceSection(0, "com1", 0, 3, true, EveryRecord.EVERY_KIND, bad)));
            assertEquals("invalid value 256 for uint8, expected 0..255", e.getOriginalMessage());
            assertEquals("u8", e.path());
            e = assertThrows(StreamWriteException.class, () -> w.write(new DeviceSection(0, "dev", 0, 2, true,
                    EveryRecord.SMALL, new GenericState(EveryRecord.SMALL, EveryRecord.small(1, "a\uD800b")))));
            assertEquals("string holds an unpaired surrogate U+D800, which UTF-8 cannot carry", e.getOriginalMessage());
            assertEquals("label", e.path());
            w.write(new EndOfState());
        }
        assertEquals(2, read(out.toByteArray()).size());
    }

    @Test
    public void closingBeforeTheEndLeavesAStreamThatFailsToRead() {
        out.reset();
        try (StreamWriter w = format().openWriter(out, WriteOptions.defaults())) {
            w.write(StreamHeader.of("sample-pc", null));
        }
        MalformedStreamException e = assertThrows(MalformedStreamException.class, () -> read(out.toByteArray()));
        // each format names its end record its own way: "end" (cbor), end ([9] NULL) (asn1), ...
        assertTrue(e.getMessage().startsWith("the stream ends without an "), e.getMessage());
        assertTrue(e.getMessage().contains("end"), e.getMessage());
    }

    @Test
    public void writeAfterCloseIsRefused() {
        StreamWriter w = format().openWriter(new ByteArrayOutputStream(), WriteOptions.defaults());
        w.close();
        w.close();
        StreamWriteException e = assertThrows(StreamWriteException.class, () -> w.write(new EndOfState()));
        assertTrue(e.getMessage().startsWith("write after close"), e.getMessage());
    }

    @Test
    public void outputFailuresAreStreamIoExceptionsAndStopTheWriter() {
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }
        };
        StreamWriter w = format().openWriter(failing, WriteOptions.defaults());
        // a writer may buffer: a few raw pages fill any buffer and reach the output
        w.write(StreamHeader.of("sample-pc", null));
        w.write(new IterativeSection(IterativeSection.SectionType.START, 1, "ram", 0, 4));
        VmstateException e = assertThrows(VmstateException.class, () -> {
            for (int i = 0; i < 8; i++) {
                w.write(new RamRecord.Page("pc.ram", i * 4096L, i > 0, RamRecord.Encoding.RAW, EveryRecord.rawPage()));
            }
        });
        assertInstanceOf(StreamIoException.class, e);
        assertEquals("write failed: disk full", e.getOriginalMessage());
        assertInstanceOf(IOException.class, e.getCause());
        assertEquals(format().name(), e.format());
        StreamWriteException after = assertThrows(StreamWriteException.class, () -> w.write(new RamRecord.Eos()));
        assertTrue(after.getMessage().startsWith("the writer stopped at an earlier failure: write failed: disk full"),
                after.getMessage());
    }

    @Test
    public void closeNeverClosesTheOutputAndFlushesEverything() {
        boolean[] closed = {false};
        ByteArrayOutputStream o = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        try (StreamWriter w = format().openWriter(o, WriteOptions.defaults())) {
            w.write(StreamHeader.of("m", null));
            w.write(new EndOfState());
        }
        assertFalse(closed[0]);
        String hex = HexFormat.of().formatHex(o.toByteArray());
        assertTrue(hex.endsWith(endOfStreamHex()), "the stream ends with " + endOfStreamHex() + ": " + hex);
        assertEquals(2, read(o.toByteArray()).size());
    }
}
