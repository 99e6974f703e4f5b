package dev.vmstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.error.LimitExceededException;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.spi.Envelope;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.Command;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.IterativeSection.SectionType;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The records the conformance suite does not write: RAM sections, commands, a given description. */
class TestFormatTest {
    private final TestFormat format = new TestFormat();

    @Test
    void everyRecordKindRoundTrips() {
        byte[] page = new byte[RamRecord.PAGE_SIZE];
        Arrays.fill(page, (byte) 0x5A);
        List<StreamRecord> records = List.of(
                new StreamHeader(3, null, new byte[] {5, 0, 0, 0, 1}, null),
                new IterativeSection(SectionType.START, 2, "ram", 0, 4),
                new RamRecord.Blocks(1 << 20, List.of(new RamRecord.Block("pc.ram", 1 << 20))),
                new RamRecord.Page("pc.ram", 0, false, RamRecord.Encoding.RAW, page),
                new RamRecord.Page("pc.ram", 4096, true, RamRecord.Encoding.ZERO, new byte[] {0}),
                new RamRecord.Page("pc.ram", 8192, true, RamRecord.Encoding.XBZRLE, new byte[] {1, 2, 3}),
                new RamRecord.Eos(),
                new SectionEnd(2, true),
                new IterativeSection(SectionType.END, 2, null, 0, 0),
                new RamRecord.Eos(),
                new SectionEnd(2, false),
                new Command(8, new byte[] {0, 1}),
                new EndOfState(),
                Description.of("{\"page_size\": 4096, \"devices\": []}"));
        byte[] bytes = SampleStreams.write(format, records, WriteOptions.defaults());
        assertThat(SampleStreams.differences(records, SampleStreams.read(format, bytes, ReadOptions.defaults())))
                .isEmpty();
    }

    @Test
    void anotherFormatsEnvelopeIsRefused() {
        byte[] other = new Envelope("cbor", new byte[32], List.of()).toBytes();
        assertThat(format.sniff(other, other.length)).isFalse();
        assertThatThrownBy(() -> SampleStreams.read(format, other, ReadOptions.defaults()))
                .isInstanceOf(MalformedStreamException.class)
                .hasMessageContaining("the envelope names format \"cbor\", expected \"test-tlv\"");
    }

    @Test
    void limitsAreEnforcedBeforeReading() {
        byte[] bytes = SampleStreams.write(format, SampleStreams.sample(Schemas.draw(new Random(4))).records(),
                WriteOptions.defaults());
        ReadOptions tight = ReadOptions.defaults().withLimits(ReadLimits.builder().maxSectionSize(16).build());
        assertThatThrownBy(() -> SampleStreams.read(format, bytes, tight))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("from ReadLimits.maxSectionSize()")
                .satisfies(e -> assertThat(((LimitExceededException) e).offset()).isPositive());
    }
}
