package dev.vmstate.format.cbor;

import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.spi.Envelope;
import java.util.Arrays;
import java.util.List;

/**
 * Schema items, encoded and decoded, shared by all writers and readers of the JVM (#4): a stream
 * carries each schema once, but a process that writes or reads many streams of the same machine
 * would otherwise encode and parse the same schemas for every one of them.
 *
 * <p>Three small {@value #WAYS}-way tables of immutable entries, so a look-up neither locks nor
 * allocates: a racing writer at worst replaces an entry, and a miss only costs the work the cache
 * saves. The writer's table (schema item bytes) and the by-reference reader's (fingerprints of
 * registry schemas) are keyed by the schema instance; the reader's by the schema item's bytes,
 * compared in full, so a hit is exactly the schema those bytes decode to. Each holds at most
 * {@value #SLOTS} schemas.
 */
final class SchemaCache {
    private static final int SLOTS = 1024;
    /**
     * Each key may sit in any of this many consecutive slots: with one slot per key, two schemas
     * of one machine landing on the same slot would evict each other on every stream, and every
     * stream would encode, parse or hash them again.
     */
    private static final int WAYS = 4;

    /** A schema's encoding (the CBOR of {@code SchemaJson.toMap}), with the hash of those bytes. */
    static final class Encoded {
        final Schema schema;
        final byte[] bytes;
        final int hash;
        /** {@link Envelope#fingerprint} of the schema alone, made on first use: a by-reference stream's schema item. */
        private volatile byte[] fingerprint;

        Encoded(Schema schema, byte[] bytes) {
            this.schema = schema;
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        /** The schema's fingerprint; the array is shared, never modify it. */
        byte[] fingerprint() {
            byte[] f = fingerprint;
            if (f == null) {
                f = Envelope.fingerprint(List.of(schema));
                fingerprint = f;
            }
            return f;
        }

        // Equal bytes are equal schemas (SchemaJson.toMap keeps everything), so a stream's table can be keyed by them.
        @Override
        public boolean equals(Object o) {
            return o instanceof Encoded e && e.hash == hash && Arrays.equals(e.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static final Encoded[] WRITTEN = new Encoded[SLOTS];
    private static final Encoded[] READ = new Encoded[SLOTS];
    /** A reader's registry schemas with their fingerprints, by instance: what a by-reference item is checked against. */
    private static final Encoded[] RESOLVED = new Encoded[SLOTS];

    private SchemaCache() {
    }

    /** The encoding of {@code s}; fails (a {@code StreamWriteException}) on text UTF-8 cannot carry. */
    static Encoded encode(Schema s) {
        int slot = System.identityHashCode(s);
        Encoded e = byInstance(WRITTEN, slot, s);
        if (e != null) {
            return e;
        }
        CborOut o = new CborOut();
        o.plain(SchemaJson.toMap(s));
        e = new Encoded(s, Arrays.copyOf(o.buffer(), o.length()));
        store(WRITTEN, slot, e);
        return e;
    }

    /**
     * The fingerprint of a schema a reader found in its registry, computed once per instance, when
     * its member names are also checked to be unique (loading by position needs that; it fails
     * with the path otherwise).
     */
    static byte[] resolved(Schema s) {
        int slot = System.identityHashCode(s);
        Encoded e = byInstance(RESOLVED, slot, s);
        if (e == null) {
            StateDecoder.checkSchema(s, "$");
            e = new Encoded(s, new byte[0]);
            store(RESOLVED, slot, e);
        }
        return e.fingerprint();
    }

    /** The schema a reader made from {@code buf[from, to)} before, or null. */
    static Schema decoded(byte[] buf, int from, int to) {
        int slot = slot(buf, from, to);
        for (int i = 0; i < WAYS; i++) {
            Encoded e = READ[(slot + i) & (SLOTS - 1)];
            if (e != null && Arrays.equals(e.bytes, 0, e.bytes.length, buf, from, to)) {
                return e.schema;
            }
        }
        return null;
    }

    /** Remembers that {@code buf[from, to)} decodes to {@code s}, which passed every limit-independent check. */
    static void remember(byte[] buf, int from, int to, Schema s) {
        store(READ, slot(buf, from, to), new Encoded(s, Arrays.copyOfRange(buf, from, to)));
    }

    /**
     * The table slot of the bytes {@code b[from, to)}: from the length and the first and last 48
     * bytes only (the schema's name and version lead the map, its last member ends it). A hit is
     * compared in full anyway, so a cheap hash costs at most a miss.
     */
    private static int slot(byte[] b, int from, int to) {
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
     * all are taken, into one chosen by the entry's hash: a plain write of an immutable entry, so
     * a racing reader sees the old entry or the new one, never half of either.
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
