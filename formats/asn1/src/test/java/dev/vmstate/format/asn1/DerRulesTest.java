package dev.vmstate.format.asn1;

import static dev.vmstate.format.asn1.Fixtures.BER;
import static dev.vmstate.format.asn1.Fixtures.DER;
import static dev.vmstate.format.asn1.Fixtures.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.testkit.EveryRecord;
import dev.vmstate.testkit.SampleStreams;
import dev.vmstate.testkit.StreamMutations;
import dev.vmstate.visitor.Kind;
import dev.vmstate.stream.StreamRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Issue #5: the {@code asn1-der} reader refuses every input that is not DER, one test per rule,
 * each checking the message (which names the X.690 clause) and the absolute offset of the
 * offending value; the {@code asn1-ber} reader takes the same bytes, where BER allows them, and
 * reads the same records the DER stream holds.
 */
class DerRulesTest {
    static final List<StreamRecord> RECORDS = Asn1GoldenTest.records();
    static final byte[] STREAM = Fixtures.write(DER, RECORDS);
    static final int BODY = SampleStreams.bodyStart(STREAM);
    static final List<Tlv> VALUES = Tlv.parseAll(STREAM, BODY);

    /** The stream with the value {@code which} picks written as {@code how} makes it, the lengths around it DER. */
    static byte[] edit(Predicate<Tlv> which, Function<Tlv, byte[]> how) {
        byte[] body = Tlv.writeAll(VALUES, Tlv.Style.DER, t -> which.test(t) ? how.apply(t) : null);
        return concat(Arrays.copyOf(STREAM, BODY), body);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** {@code stream} with its envelope naming {@code format} ("asn1-der" and "asn1-ber" have the same length). */
    static byte[] named(byte[] stream, String format) {
        byte[] out = stream.clone();
        System.arraycopy(format.getBytes(StandardCharsets.US_ASCII), 0, out, 8, format.length());
        return out;
    }

    /** The content octets of {@code t} as they are in the stream. */
    static byte[] content(Tlv t) {
        return Arrays.copyOfRange(STREAM, t.end() - contentLength(t), t.end());
    }

    private static int contentLength(Tlv t) {
        int l = STREAM[t.offset() + 1] & 0xFF;
        return t.end() - t.offset() - 2 - (l > 0x80 ? l & 0x7F : 0);
    }

    static Tlv device() {
        return VALUES.stream().filter(v -> v.id() == 0xA2).findFirst().orElseThrow();
    }

    static Tlv state() {
        List<Tlv> c = device().children();
        return c.get(c.size() - 1);
    }

    static Tlv member(int i) {
        return state().children().get(i);
    }

    static VmstateException derFails(byte[] bytes) {
        VmstateException e = catchThrowableOfType(VmstateException.class, () -> Fixtures.read(DER, bytes));
        assertThat(e).as("the DER reader must refuse it").isInstanceOf(MalformedStreamException.class);
        assertThat(e.format()).isEqualTo("asn1-der");
        return e;
    }

    /** The BER reader reads {@code bytes} (renamed) as the records the DER stream holds. */
    static void berReadsTheSameRecords(byte[] bytes) {
        Fixtures.assertSameRecords(Fixtures.read(BER, named(bytes, "asn1-ber")), RECORDS);
    }

    @Test
    void aShortLengthInTheLongFormIsRefused() {
        Tlv u8 = member(5);
        assertThat(Fixtures.hex(content(u8))).isEqualTo("00c8");
        byte[] bad = edit(t -> t == u8, t -> unhex("02 81 02 00 c8"));
        VmstateException e = derFails(bad);
        assertThat(e.getOriginalMessage()).isEqualTo("length 2 in 2 octet(s) after identifier 0x02 is not minimal: "
                + "DER encodes a length in the fewest octets, below 128 in the short form (X.690 10.1)");
        assertThat(e.offset()).isEqualTo(StreamMutations.indexOf(bad, unhex("02 81 02 00 c8")));
        assertThat(e.section()).isEqualTo("com1/0");
        assertThat(e.path()).isEqualTo("u8");
        berReadsTheSameRecords(bad);
    }

    @Test
    void aLengthWithALeadingZeroOctetIsRefused() {
        Tlv end = VALUES.stream().filter(v -> v.id() == 0xA7).findFirst().orElseThrow();
        byte[] bad = edit(t -> t == end, t -> concat(unhex("a7 82 00 06"), content(t)));
        VmstateException e = derFails(bad);
        assertThat(e.getOriginalMessage()).isEqualTo("length 6 in 3 octet(s) after identifier 0xA7 is not minimal: "
                + "DER encodes a length in the fewest octets, below 128 in the short form (X.690 10.1)");
        assertThat(e.offset()).isEqualTo(StreamMutations.indexOf(bad, unhex("a7 82 00 06")));
        berReadsTheSameRecords(bad);
    }

    @Test
    void anIndefiniteLengthIsRefused() {
        Tlv state = state();
        byte[] bad = edit(t -> t == state, t -> concat(unhex("30 80"), content(t), unhex("00 00")));
        VmstateException e = derFails(bad);
        assertThat(e.getOriginalMessage()).isEqualTo("indefinite length (0x80) after identifier 0x30: DER uses the "
                + "definite form only (X.690 10.1)");
        assertThat(e.offset()).isEqualTo(StreamMutations.indexOf(bad, unhex("30 80 01 01 ff")));
        assertThat(e.section()).isEqualTo("com1/0");
        berReadsTheSameRecords(bad);
        // ... and on a record, where the framer meets it before any decoding
        Tlv description = VALUES.get(VALUES.size() - 1);
        byte[] top = edit(t -> t == description, t -> unhex("aa 80 00 00"));
        e = derFails(top);
        assertThat(e.getOriginalMessage()).isEqualTo("indefinite length (0x80) after identifier 0xAA: DER uses the "
                + "definite form only (X.690 10.1)");
        assertThat(e.offset()).isEqualTo(top.length - 4);
        berReadsTheSameRecords(top);
    }

    @Test
    void aBooleanOtherThan00OrFFIsRefused() {
        Tlv flag = member(0);
        byte[] bad = edit(t -> t == flag, t -> unhex("01 01 01"));
        VmstateException e = derFails(bad);
        assertThat(e.getOriginalMessage()).isEqualTo("BOOLEAN content octet 0x01: DER encodes TRUE as 0xFF and FALSE "
                + "as 0x00 (X.690 11.1)");
        assertThat(e.offset()).isEqualTo(state().offset() + 3);
        assertThat(e.path()).isEqualTo("flag");
        berReadsTheSameRecords(bad);
        // BER: any non-zero octet is TRUE
        berReadsTheSameRecords(edit(t -> t == flag, t -> unhex("01 01 5a")));
    }

    @Test
    void aNonMinimalIntegerIsRefusedByBothReaders() {
        Tlv u8 = member(5);
        byte[] bad = edit(t -> t == u8, t -> unhex("02 03 00 00 c8"));
        VmstateException e = derFails(bad);
        assertThat(e.getOriginalMessage()).isEqualTo("INTEGER starting 0x00 0x00 is not minimal: the first 9 bits of "
                + "its content octets must not all be equal (X.690 8.3.2)");
        assertThat(e.offset()).isEqualTo(StreamMutations.indexOf(bad, unhex("02 03 00 00 c8")));
        assertThat(e.path()).isEqualTo("u8");
        // X.690 8.3.2 is a BER rule too: the BER reader refuses it the same way
        VmstateException b = catchThrowableOfType(VmstateException.class,
                () -> Fixtures.read(BER, named(bad, "asn1-ber")));
        assertThat(b.getOriginalMessage()).isEqualTo(e.getOriginalMessage());
        assertThat(b.offset()).isEqualTo(e.offset());
        Tlv i8 = member(1);
        byte[] negative = edit(t -> t == i8, t -> unhex("02 02 ff fd"));
        assertThat(derFails(negative).getOriginalMessage()).startsWith("INTEGER starting 0xFF 0xFD is not minimal");
    }

    @Test
    void anUnsortedSetOfIsRefused() {
        Tlv props = VALUES.get(0).find(t -> t.id() == 0x31 && t.children().size() == 3);
        List<Tlv> reversed = new ArrayList<>(props.children());
        Collections.reverse(reversed);
        byte[] bad = edit(t -> t == props, t -> {
            byte[] elements = Tlv.writeAll(reversed, Tlv.Style.DER);
            return concat(new byte[] {0x31, (byte) elements.length}, elements);
        });
        VmstateException e = derFails(bad);
        assertThat(e.getOriginalMessage()).isEqualTo("SET OF Property not in ascending order of the elements' "
                + "encodings: this element sorts before the one before it (X.690 11.6)");
        // [chardev, enabled, iobase]: "enabled" (30 0C ...) sorts before "chardev" (30 12 ...)
        assertThat(e.offset()).isEqualTo(StreamMutations.indexOf(bad, unhex("30 0c 0c 07") /* "enabled" */));
        berReadsTheSameRecords(bad);
    }

    @Test
    void aConstructedStringIsRefused() {
        Tlv name = member(10);
        byte[] text = name.content();
        byte[] bad = edit(t -> t == name, t -> concat(new byte[] {0x2C, (byte) (text.length + 4), 0x04, 7},
                Arrays.copyOf(text, 7), new byte[] {0x04, (byte) (text.length - 7)}, Arrays.copyOfRange(text, 7,
                        text.length)));
        VmstateException e = derFails(bad);
        assertThat(e.getOriginalMessage()).isEqualTo("constructed UTF8String (identifier 0x2C): DER encodes a string "
                + "in the primitive form only (X.690 10.2)");
        assertThat(e.offset()).isEqualTo(StreamMutations.indexOf(bad, new byte[] {0x2C, (byte) (text.length + 4), 0x04, 7}));
        assertThat(e.path()).isEqualTo("name");
        berReadsTheSameRecords(bad);
        Tlv blob = member(11);
        // two segments, the second itself constructed: 24 09 | 04 01 01 | 24 04 (04 02 02 AB)
        byte[] bytes = edit(t -> t == blob, t -> concat(unhex("24 09 04 01"), Arrays.copyOf(blob.content(), 1),
                unhex("24 04 04 02"), Arrays.copyOfRange(blob.content(), 1, 3)));
        assertThat(derFails(bytes).getOriginalMessage()).isEqualTo("constructed OCTET STRING (identifier 0x24): DER "
                + "encodes a string in the primitive form only (X.690 10.2)");
        berReadsTheSameRecords(bytes);
    }

    @Test
    void aSchemaABerReaderTookIsNotTakenAsDerFromTheCache() {
        // a schema value whose "vmsd_name" is a constructed UTF8String: BER, and cached by the BER reader
        Schema s = new Schema("cached-ber", 1, 1, List.of(Field.scalar("x", Kind.U8, null)));
        List<StreamRecord> records = EveryRecord.oneSection(s, new dev.vmstate.tree.StateTree.StructValue("cached-ber",
                java.util.Map.of("x", new dev.vmstate.tree.StateTree.IntValue(Kind.U8, 1))));
        byte[] der = Fixtures.write(DER, records);
        int body = SampleStreams.bodyStart(der);
        byte[] name = "cached-ber".getBytes(StandardCharsets.US_ASCII);
        byte[] bad = concat(Arrays.copyOf(der, body), Tlv.writeAll(Tlv.parseAll(der, body), Tlv.Style.DER,
                t -> t.id() == 0x0C && Arrays.equals(t.content(), name)
                        ? concat(new byte[] {0x2C, (byte) (name.length + 2), 0x04, (byte) name.length}, name) : null));
        Fixtures.assertSameRecords(Fixtures.read(BER, named(bad, "asn1-ber")), records);
        VmstateException e = derFails(bad);
        assertThat(e.getOriginalMessage()).startsWith("constructed UTF8String (identifier 0x2C)");
    }

    @Test
    void theBerWritersOwnOutputIsNotDer() {
        byte[] ber = named(Fixtures.write(BER, RECORDS), "asn1-der");
        VmstateException e = derFails(ber);
        assertThat(e.getOriginalMessage()).isEqualTo("indefinite length (0x80) after identifier 0xA0: DER uses the "
                + "definite form only (X.690 10.1)");
        assertThat(e.offset()).isEqualTo(BODY);
    }

    /** Every combination of BER's freedoms reads as the same records; the DER reader refuses all but DER itself. */
    @Test
    void everyBerStyleReadsAsTheSameRecords() {
        List<StreamRecord> records = EveryRecord.stream(true);
        byte[] der = Fixtures.write(DER, records);
        int body = SampleStreams.bodyStart(der);
        List<Tlv> values = Tlv.parseAll(der, body);
        for (int bits = 0; bits < 16; bits++) {
            Tlv.Style s = new Tlv.Style((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0);
            byte[] stream = concat(Arrays.copyOf(der, body), Tlv.writeAll(values, s));
            Fixtures.assertSameRecords(Fixtures.read(BER, named(stream, "asn1-ber")), records);
            if (bits == 0) {
                assertThat(stream).isEqualTo(der);
                continue;
            }
            VmstateException e = derFails(stream);
            assertThat(e.getOriginalMessage()).as("style %s", s).containsPattern("X\\.690 1[01]\\.[12]");
        }
    }
}
