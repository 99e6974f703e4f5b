package dev.vmstate.format.json;

import dev.vmstate.testkit.EveryKind;
import static dev.vmstate.format.json.Fixtures.bytes;
import static dev.vmstate.format.json.Fixtures.read;
import static dev.vmstate.format.json.Fixtures.text;
import static dev.vmstate.format.json.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.spi.SectionCrc;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.StreamRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonCrcTest {
    private static final WriteOptions CRC = WriteOptions.defaults().withCrc32c(true);

    @Test
    void eachDeviceSectionCarriesTheCrcOfItsBodyEncoding() {
        List<StreamRecord> records = Fixtures.fullStream(true);
        String s = text(write(records, CRC));
        assertThat(s).contains("\"features\":[\"crc32c\"]");
        long crc = SectionCrc.of(new EveryKind());
        assertThat(s).contains(String.format("\"footer\":true,\"crc32c\":\"0x%08X\",\"schema\":", crc));
        Fixtures.assertSameRecords(read(bytes(s)), records);
        assertThat(text(write(read(bytes(s)), CRC))).isEqualTo(s);
        assertThat(text(write(records))).doesNotContain("crc32c");
    }

    @Test
    void aChangedValueFailsNamingTheSection() {
        String s = text(write(Fixtures.fullStream(true), CRC));
        int second = s.indexOf("\"idstr\":\"com1\",\"instance_id\":1");
        int u8 = s.indexOf("\"u8\":200", second);
        String changed = s.substring(0, u8) + "\"u8\":201" + s.substring(u8 + 8);
        MalformedStreamException e = catchThrowableOfType(MalformedStreamException.class, () -> read(bytes(changed)));
        assertThat(e.section()).isEqualTo("com1/1");
        assertThat(e.getOriginalMessage()).matches(
                "section com1/1 fails its CRC32C check: stream says 0x[0-9A-F]{8}, state gives 0x[0-9A-F]{8}");
        assertThat(e.offset()).isEqualTo(bytes(s.substring(0, s.lastIndexOf("{\"record\":\"device\"", second))).length);
    }

    @Test
    void theFeatureRequiresTheMember() {
        String s = text(write(Fixtures.fullStream(true), CRC)).replaceFirst("\"crc32c\":\"0x[0-9A-F]{8}\",", "");
        MalformedStreamException e = catchThrowableOfType(MalformedStreamException.class, () -> read(bytes(s)));
        assertThat(e.getOriginalMessage()).isEqualTo(
                "missing member \"crc32c\" in a device record of a stream with feature crc32c");
        assertThat(e.section()).isEqualTo("com1/0");
    }
}
