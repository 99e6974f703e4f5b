package dev.vmstate.spi;

import dev.vmstate.schema.Schema;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Schemas encoded and decoded by one wire encoding, shared by all writers and readers of it in
 * the JVM (#4, #5): a stream carries each schema once, but a process that writes or reads many
 * streams of the same machine would otherwise encode, parse and fingerprint the same schemas for
 * every one of them. A format keeps one instance per encoding in a static field, since bytes one
 * encoding accepts may break the rules of another (a BER schema value is not DER).
 *
 * <p>Three small {@value #WAYS}-way tables of immutable entries, each holding at most
 * {@value #SLOTS} schemas: the writer's ({@link #encode}) and the by-reference reader's
 * ({@link #resolved}) keyed by the schema instance, the reader's ({@link #decoded}) by the
 * encoded bytes, compared in full, so a hit is exactly the schema those bytes decode to.
 *
 * <p>Thread-safe without locks: a look-up neither locks nor allocates, and a racing writer at
 * worst replaces an entry, so a miss costs only the work the cache saves.
 *
 * @since 0.1
 */
public final class SchemaCache {
    /** Encodings longer than this are not {@linkplain #remember remembered}: an entry keeps a copy of the bytes. */
    public static final int MAX_REMEMBERED = 64 * 1024;
    static final int SLOTS = 1024;
    /**
     * Each key may sit in any of this many consecutive slots: with one slot per key, two schemas
     * of one machine landing on the same slot would evict each other on every stream, and every
     * stream would encode, parse or hash them again (#4).
     */
    static final int WAYS = 4;

    /**
     * A schema with its encoding, and the hash of those bytes. Equal bytes are equal schemas (the
     * encoding keeps everything), so a writer can key its table of one stream's schemas by them
     * ({@link SchemaIds}). Immutable and thread-safe.
     *
     * @since 0.1
     */
    public static final class Encoded {
        private final Schema schema;
        private final byte[] bytes;
        private final int hash;
        /** {@link Envelope#fingerprint} of the schema alone, made on first use: a by-reference stream's schema item. */
        private volatile byte[] fingerprint;

        Encoded(Schema schema, byte[] bytes) {
            this.schema = schema;
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        /** The schema encoded. */
        public Schema schema() {
            return schema;
        }

        /** Its encoding; the array is shared, never modify it. */
        public byte[] bytes() {
            return bytes;
        }

        /** {@link Envelope#fingerprint} of the schema alone, made once; the array is shared, never modify it. */
        public byte[] fingerprint() {
            byte[] f = fingerprint;
            if (f == null) {
                f = Envelope.fingerprint(List.of(schema));
                fingerprint = f;
            }
            return f;
        }

        /** Equal bytes. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Encoded e && e.hash == hash && Arrays.equals(e.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final Function<Schema, byte[]> encoder;
    private final Encoded[] written = new Encoded[SLOTS];
    private final Encoded[] read = new Encoded[SLOTS];
    /** A reader's registry schemas with their fingerprints, by instance: what a by-reference item is checked against. */
    private final Encoded[] resolved = new Encoded[SLOTS];

    /**
     * A cache of the encoding {@code encoder} makes. It must return a new array on each call (the
     * cache keeps it), and equal bytes only for equal schemas (encode all of
     * {@code SchemaJson.toMap}); what it throws reaches the caller of {@link #encode}.
     */
    public SchemaCache(Function<Schema, byte[]> encoder) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /** The encoding of {@code s}, made by the encoder unless this cache still holds the one it made for this instance. */
    public Encoded encode(Schema s) {
        int slot = System.identityHashCode(s);
        Encoded e = byInstance(written, slot, s);
        if (e == null) {
            e = new Encoded(s, encoder.apply(s));
            store(written, slot, e);
        }
        return e;
    }

    /**
     * The fingerprint of a schema a reader found in its registry, computed once per instance;
     * {@code check} (the format's own test that it can load {@code s}, such as unique member
     * names) runs when the entry is made, and what it throws leaves no entry. Every call on one
     * cache passes the same check. The array is shared, never modify it.
     */
    public byte[] resolved(Schema s, Consumer<Schema> check) {
        int slot = System.identityHashCode(s);
        Encoded e = byInstance(resolved, slot, s);
        if (e == null) {
            check.accept(s);
            e = new Encoded(s, new byte[0]);
            e.fingerprint();
            store(resolved, slot, e);
        }
        return e.fingerprint();
    }

    /** The schema {@link #remember remembered} for the bytes {@code buf[from, to)}, or null. */
    public Schema decoded(byte[] buf, int from, int to) {
        int slot = slot(buf, from, to);
        for (int i = 0; i < WAYS; i++) {
            Encoded e = read[(slot + i) & (SLOTS - 1)];
            if (e != null && Arrays.equals(e.bytes, 0, e.bytes.length, buf, from, to)) {
                return e.schema;
            }
        }
        return null;
    }

    /**
     * Remembers that {@code buf[from, to)} decodes to {@code s}, which passed every check that does
     * not depend on a reader's limits; a reader still checks its limits on a hit. Does nothing
     * for more than {@value #MAX_REMEMBERED} bytes.
     */
    public void remember(byte[] buf, int from, int to, Schema s) {
        if (to - from <= MAX_REMEMBERED) {
            store(read, slot(buf, from, to), new Encoded(s, Arrays.copyOfRange(buf, from, to)));
        }
    }

    /**
     * The table slot of the bytes {@code b[from, to)}: from the length and the first and last 48
     * bytes only (a schema's name and version lead its encoding, its last member ends it). A hit is
     * compared in full anyway, so a cheap hash costs at most a miss.
     */
    static int slot(byte[] b, int from, int to) {
        int h = to - from;
        for (int i = from, stop = Math.min(to, from + 48); i < stop; i++) {
            h = 31 * h + b[i];
        }
        for (int i = Math.max(from + 48, to - 48); i < to; i++) {
            h = 31 * h + b[i];
        }
        h ^= h >>> 16;
        return h;
    }

    /** The entry of {@code s} among the {@value #WAYS} slots from {@code slot}, or null. */
    private static Encoded byInstance(Encoded[] table, int slot, Schema s) {
        for (int i = 0; i < WAYS; i++) {
            Encoded e = table[(slot + i) & (SLOTS - 1)];
            if (e != null && e.schema == s) {
                return e;
            }
        }
        return null;
    }

    /**
     * Puts {@code e} into the first free of the {@value #WAYS} slots from {@code slot}, or, when
     * all are taken, into the one the entry's hash picks: five keys taking turns in one set then
     * contend only for the slots their hashes pick, where a least-recently-used choice would evict
     * every key just before its turn. A plain write of an immutable entry, so a racing reader sees
     * the old entry or the new one, never half of either.
     */
    private static void store(Encoded[] table, int slot, Encoded e) {
        for (int i = 0; i < WAYS; i++) {
            int at = (slot + i) & (SLOTS - 1);
            if (table[at] == null) {
                table[at] = e;
                return;
            }
        }
        table[(slot + (e.hash & (WAYS - 1))) & (SLOTS - 1)] = e;
    }
}
