package dev.vmstate.testkit;

import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.error.StreamWriteException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.spi.FormatCapabilities;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.spi.WireFormat;
import dev.vmstate.spi.WriteOptions;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.StreamRecord;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Random;

/**
 * Formats that each break one rule of the conformance suite, built on {@link TestFormat}, so
 * that {@code SuiteCatchesBrokenFormatsTest} can show the suite notices. None is registered.
 */
final class BrokenFormats {
    private BrokenFormats() {
    }

    /** {@link TestFormat} with every method delegated, for the broken variants to override one of. */
    abstract static class Delegating implements WireFormat {
        final TestFormat good = new TestFormat();

        @Override
        public String name() {
            return good.name();
        }

        @Override
        public FormatCapabilities capabilities() {
            return good.capabilities();
        }

        @Override
        public boolean sniff(byte[] head, int length) {
            return good.sniff(head, length);
        }

        @Override
        public StreamWriter openWriter(OutputStream out, WriteOptions options) {
            return good.openWriter(out, options);
        }

        @Override
        public StreamReader openReader(ByteSource in, ReadOptions options) {
            return good.openReader(in, options);
        }
    }

    /** A reader whose {@code next} goes through {@code step} with the good reader. */
    interface Step {
        StreamRecord next(StreamReader good);
    }

    static StreamReader reader(StreamReader good, Step step) {
        return new StreamReader() {
            @Override
            public StreamRecord next() {
                return step.next(good);
            }

            @Override
            public long position() {
                return good.position();
            }
        };
    }

    /**
     * Reads the whole input, then walks the record frames by raw array indexing and copies each
     * payload into an array of its declared length; with {@code checked}, index errors become
     * {@link MalformedStreamException}s and the length is checked against the limit first — but
     * the array is still allocated before its bytes are known to exist.
     */
    static final class CopiesFrames extends Delegating {
        private final boolean checked;

        CopiesFrames(boolean checked) {
            this.checked = checked;
        }

        @Override
        public StreamReader openReader(ByteSource in, ReadOptions options) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (!in.atEnd()) {
                all.write(in.readU8());
            }
            byte[] b = all.toByteArray();
            int p = 0;
            try {
                p = 7 + (((b[5] & 0xFF) << 8) | (b[6] & 0xFF));
                while (p < b.length) {
                    int len = ((b[p + 1] & 0xFF) << 24) | ((b[p + 2] & 0xFF) << 16) | ((b[p + 3] & 0xFF) << 8)
                            | (b[p + 4] & 0xFF);
                    long declared = len & 0xFFFF_FFFFL;
                    if (checked) {
                        options.limits().checkSectionSize(declared);
                    }
                    byte[] payload = new byte[checked ? (int) declared : len];
                    System.arraycopy(b, p + 5, payload, 0, payload.length);
                    p += 5 + len;
                }
            } catch (IndexOutOfBoundsException | NegativeArraySizeException e) {
                if (!checked) {
                    throw e;
                }
                throw (MalformedStreamException) new MalformedStreamException("record runs past the end").atOffset(p);
            } catch (VmstateException e) {
                throw e.atOffset(p);
            }
            return good.openReader(ByteSource.of(b), options);
        }
    }

    /** Writes every section with a footer, whatever the record says. */
    static final class ForgetsFooters extends Delegating {
        @Override
        public StreamWriter openWriter(OutputStream out, WriteOptions options) {
            StreamWriter w = good.openWriter(out, options);
            return new StreamWriter() {
                @Override
                public void write(StreamRecord r) {
                    w.write(r instanceof DeviceSection s ? new DeviceSection(s.sectionId(), s.idstr(), s.instanceId(),
                            s.version(), true, s.schema(), s.state()) : r);
                }

                @Override
                public void close() {
                    w.close();
                }
            };
        }
    }

    /** Puts a random schema fingerprint in every envelope: the same records give other bytes. */
    static final class RandomFingerprint extends Delegating {
        private final Random random = new Random();

        @Override
        public StreamWriter openWriter(OutputStream out, WriteOptions options) {
            byte[] fp = new byte[32];
            synchronized (random) {
                random.nextBytes(fp);
            }
            return good.openWriter(out, options.withSchemaFingerprint(fp));
        }
    }

    /** Drops the offset of every error. */
    static final class LosesOffsets extends Delegating {
        @Override
        public StreamReader openReader(ByteSource in, ReadOptions options) {
            return reader(good.openReader(in, options), r -> {
                try {
                    return r.next();
                } catch (VmstateException e) {
                    throw new MalformedStreamException(e.getOriginalMessage());
                }
            });
        }
    }

    /** Takes the end of its input for the end of the stream. */
    static final class AcceptsTruncation extends Delegating {
        @Override
        public StreamReader openReader(ByteSource in, ReadOptions options) {
            return reader(good.openReader(in, options), r -> {
                try {
                    return r.next();
                } catch (MalformedStreamException e) {
                    return null;
                }
            });
        }
    }

    /** Spins on bad input until interrupted, as a reader looping on a zero length would. */
    static final class Hangs extends Delegating {
        @Override
        public StreamReader openReader(ByteSource in, ReadOptions options) {
            return reader(good.openReader(in, options), r -> {
                try {
                    return r.next();
                } catch (VmstateException e) {
                    try {
                        while (true) {
                            Thread.sleep(10);
                        }
                    } catch (InterruptedException stop) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            });
        }
    }

    /** Claims every stream. */
    static final class ClaimsEverything extends Delegating {
        @Override
        public boolean sniff(byte[] head, int length) {
            return true;
        }
    }

    /**
     * Says it is schema-less and, like a legacy reader that ignores the description trailer,
     * cannot read a section the schema source does not know.
     */
    static final class NeedsRegistry extends Delegating {
        @Override
        public FormatCapabilities capabilities() {
            return new FormatCapabilities(false, false, true, true);
        }

        @Override
        public StreamReader openReader(ByteSource in, ReadOptions options) {
            return reader(good.openReader(in, options), r -> {
                StreamRecord rec = r.next();
                if (rec instanceof DeviceSection s && options.schemas().find(s.idstr(), s.instanceId(), s.version()) == null) {
                    throw new SchemaMismatchException("no schema for section " + s.label());
                }
                return rec;
            });
        }
    }

    /** Writes records in any order. */
    static final class AnyOrder extends Delegating {
        @Override
        public StreamWriter openWriter(OutputStream out, WriteOptions options) {
            StreamWriter w = good.openWriter(out, options);
            return new StreamWriter() {
                @Override
                public void write(StreamRecord r) {
                    try {
                        w.write(r);
                    } catch (StreamWriteException ignored) {
                        // the bug under test: misuse passes silently
                    }
                }

                @Override
                public void close() {
                    w.close();
                }
            };
        }
    }
}
