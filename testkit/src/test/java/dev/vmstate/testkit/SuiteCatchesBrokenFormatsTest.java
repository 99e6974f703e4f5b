package dev.vmstate.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.spi.WireFormat;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The conformance suite fails each format that breaks one of its rules, with a message that says which. */
class SuiteCatchesBrokenFormatsTest {

    /** The suite over {@code format}, with few tries: each broken format fails on its first sample. */
    static final class Suite extends FormatConformanceSuite {
        private final WireFormat format;
        private final Duration hang;
        private final int tries;

        Suite(WireFormat format) {
            this(format, Duration.ofSeconds(60), 10);
        }

        Suite(WireFormat format, Duration hang, int tries) {
            this.format = format;
            this.hang = hang;
            this.tries = tries;
        }

        @Override
        protected WireFormat format() {
            return format;
        }

        @Override
        protected int tries() {
            return tries;
        }

        /** Pinned, so that ten tries find each bug whatever -Dvmstate.seed a run is given. */
        @Override
        protected long seed() {
            return DEFAULT_SEED;
        }

        @Override
        protected Duration hangTimeout() {
            return hang;
        }
    }

    private static void fails(Executable check, String... messageParts) {
        assertThatThrownBy(check::execute).isInstanceOf(AssertionError.class).hasMessageContainingAll(messageParts);
    }

    @Test
    void indexOutOfBoundsOnTruncationIsCaught() {
        Suite s = new Suite(new BrokenFormats.CopiesFrames(false));
        fails(s::everyTruncationFailsWithItsOffset, "ArrayIndexOutOfBoundsException", "only throw a VmstateException",
                "-Dvmstate.seed=");
        // A flipped bit reaches the unchecked copy in only some samples: give it enough of them.
        fails(new Suite(new BrokenFormats.CopiesFrames(false), Duration.ofSeconds(60), 40)::bitFlipsDecodeOrFailCleanly,
                "where a reader may only throw a VmstateException");
    }

    @Test
    void allocatingADeclaredLengthIsCaught() {
        Suite s = new Suite(new BrokenFormats.CopiesFrames(true));
        // Truncation alone does not show it: the declared lengths are honest there.
        assertThatCode(s::everyTruncationFailsWithItsOffset).doesNotThrowAnyException();
        fails(s::hostileLengthsFailWithoutAllocating, "allocated", "more than the budget");
    }

    @Test
    void lostFieldsAreCaught() {
        // Only a stream without footers shows it: half the samples, so give it enough of them.
        fails(new Suite(new BrokenFormats.ForgetsFooters(), Duration.ofSeconds(60), 100)::roundTripsArbitrarySchemasAndValues,
                "footer is true, expected false", "Seed was");
    }

    @Test
    void nonDeterministicBytesAreCaught() {
        fails(new Suite(new BrokenFormats.RandomFingerprint())::rewriteIsByteIdentical,
                "writing the same records twice gave other bytes");
    }

    @Test
    void errorsWithoutOffsetsAreCaught() {
        fails(new Suite(new BrokenFormats.LosesOffsets())::everyTruncationFailsWithItsOffset,
                "the error's offset -1 is outside");
    }

    @Test
    void acceptingATruncatedStreamIsCaught() {
        fails(new Suite(new BrokenFormats.AcceptsTruncation())::everyTruncationFailsWithItsOffset,
                "read without an error", "not an EndOfState");
    }

    @Test
    void hangsAreCaught() {
        fails(new Suite(new BrokenFormats.Hangs(), Duration.ofSeconds(2), 10)::bitFlipsDecodeOrFailCleanly,
                "no answer within 2 s", "the reader hangs on sample stream #0 with");
    }

    @Test
    void sniffingEverythingIsCaught() {
        fails(new Suite(new BrokenFormats.ClaimsEverything())::sniffRecognisesItsOwnStreamsOnly,
                "sniff claims random bytes");
        fails(new Suite(new BrokenFormats.ClaimsEverything())::envelopeStartsTheStream, "QEMU savevm");
    }

    @Test
    void losingUnknownSectionsIsCaught() {
        Suite s = new Suite(new BrokenFormats.NeedsRegistry());
        // Given the schemas it wrote, as a schema-less format is by default, it reads them back.
        assertThatCode(s::roundTripsArbitrarySchemasAndValues).doesNotThrowAnyException();
        fails(s::unknownSectionsSurvive, "no schema for section");
    }

    @Test
    void writingOutOfOrderIsCaught() {
        fails(new Suite(new BrokenFormats.AnyOrder())::writerRejectsRecordsOutOfOrder,
                "a device section before the header succeeded");
    }
}
