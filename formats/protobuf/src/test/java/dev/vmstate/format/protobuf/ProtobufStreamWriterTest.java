package dev.vmstate.format.protobuf;

import dev.vmstate.testkit.EveryKind;
import static dev.vmstate.format.protobuf.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.StreamIoException;
import dev.vmstate.error.StreamWriteException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.machine.DeviceNode;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.tree.GenericState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtobufStreamWriterTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private StreamWriter writer() {
        return Fixtures.FORMAT.openWriter(out, WriteOptions.defaults());
    }

    /** Writes {@code ok}, then checks {@code bad} is refused with {@code message} and adds nothing. */
    private void refused(List<StreamRecord> ok, StreamRecord bad, String message) {
        out.reset();
        try (StreamWriter w = writer()) {
            ok.forEach(w::write);
            StreamWriteException e = catchThrowableOfType(StreamWriteException.class, () -> w.write(bad));
            assertThat(e).as("writing %s", bad).isNotNull();
            assertThat(e.getOriginalMessage()).isEqualTo(message);
            assertThat(e.format()).isEqualTo("protobuf");
            if (ok.isEmpty()) {
                w.write(StreamHeader.of(null, null));
            }
            w.write(new EndOfState());
        }
        // The refused record left no trace: the stream reads as if it had never been offered.
        assertThat(read(out.toByteArray())).hasSize(Math.max(1, ok.size()) + 1);
    }

    @Test
    void recordsOutOfOrderAreRefusedAndWriteNothing() {
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
    void aStateThatDoesNotFitItsSchemaIsRefused() {
        StreamHeader h = StreamHeader.of("sample-pc", null);
        out.reset();
        try (StreamWriter w = writer()) {
            w.write(h);
            StreamWriteException e = catchThrowableOfType(StreamWriteException.class, () -> w.write(
                    new DeviceSection(0, "com1", 0, 3, true, EveryRecord.SMALL, new EveryKind())));
            // the state is written as it is walked: the first member the schema does not have is named
            assertThat(e.getOriginalMessage()).isEqualTo("state does not fit its schema: member(s) flag not in the schema");
            assertThat(e.section()).isEqualTo("com1/0");
            EveryKind bad = new EveryKind();
            bad.u8 = 256;
            e = catchThrowableOfType(StreamWriteException.class, () -> w.write(
                    new DeviceSection(0, "com1", 0, 3, true, EveryRecord.EVERY_KIND, bad)));
            assertThat(e.getOriginalMessage()).isEqualTo("invalid value 256 for uint8, expected 0..255");
            assertThat(e.path()).isEqualTo("u8");
            e = catchThrowableOfType(StreamWriteException.class, () -> w.write(new DeviceSection(0, "dev", 0, 2, true,
                    EveryRecord.SMALL, new GenericState(EveryRecord.SMALL, EveryRecord.small(1, "a\uD800b")))));
            assertThat(e.getOriginalMessage()).isEqualTo(
                    "string holds an unpaired surrogate U+D800, which UTF-8 cannot carry");
            assertThat(e.path()).isEqualTo("label");
            w.write(new EndOfState());
        }
        assertThat(read(out.toByteArray())).hasSize(2);
    }

    @Test
    void closingBeforeTheEndLeavesAStreamThatFailsToRead() {
        try (StreamWriter w = writer()) {
            w.write(StreamHeader.of("sample-pc", null));
        }
        assertThatThrownBy(() -> read(out.toByteArray())).isInstanceOf(MalformedStreamException.class)
                .hasMessageStartingWith("the stream ends without an \"end\" record");
    }

    @Test
    void writeAfterCloseIsRefused() {
        StreamWriter w = writer();
        w.close();
        w.close();
        assertThatThrownBy(() -> w.write(new EndOfState())).isInstanceOf(StreamWriteException.class)
                .hasMessageStartingWith("write after close");
    }

    @Test
    void outputFailuresAreStreamIoExceptionsAndStopTheWriter() {
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
        StreamWriter w = Fixtures.FORMAT.openWriter(failing, WriteOptions.defaults());
        // the writer buffers 8 KiB: a few raw pages fill it and reach the output
        w.write(StreamHeader.of("sample-pc", null));
        w.write(new IterativeSection(IterativeSection.SectionType.START, 1, "ram", 0, 4));
        VmstateException e = catchThrowableOfType(VmstateException.class, () -> {
            for (int i = 0; i < 8; i++) {
                w.write(new RamRecord.Page("pc.ram", i * 4096L, i > 0, RamRecord.Encoding.RAW, EveryRecord.rawPage()));
            }
        });
        assertThat(e).isInstanceOf(StreamIoException.class);
        assertThat(e.getOriginalMessage()).isEqualTo("write failed: disk full");
        assertThat(e.getCause()).isInstanceOf(IOException.class);
        assertThat(e.format()).isEqualTo("protobuf");
        assertThatThrownBy(() -> w.write(new RamRecord.Eos())).isInstanceOf(StreamWriteException.class)
                .hasMessageStartingWith("the writer stopped at an earlier failure: write failed: disk full");
    }

    @Test
    void closeNeverClosesTheOutputAndFlushesEverything() {
        boolean[] closed = {false};
        ByteArrayOutputStream o = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        try (StreamWriter w = Fixtures.FORMAT.openWriter(o, WriteOptions.defaults())) {
            w.write(StreamHeader.of("m", null));
            w.write(new EndOfState());
        }
        assertThat(closed[0]).isFalse();
        // The end record is the last: 2 bytes, Record field 10 (end), an empty End message.
        assertThat(Fixtures.hex(o.toByteArray())).endsWith("02" + "5200");
        assertThat(read(o.toByteArray())).hasSize(2);
    }
}
