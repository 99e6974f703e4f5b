package dev.vmstate.format.asn1;

import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import java.util.Arrays;

/**
 * Schema values, encoded and decoded, shared by all writers and readers of the JVM (#5, as #4 did
 * for cbor): a stream carries each schema once, but a process that writes or reads many streams of
 * the same machine would otherwise encode and parse the same schemas for every one of them.
 *
 * <p>Small {@value #WAYS}-way tables of immutable entries, so a look-up neither locks nor allocates: a
 * racing writer at worst replaces an entry, and a miss only costs the work the cache saves. The
 * writers' tables (one per encoding) are keyed by the schema instance; the readers' (one per
 * encoding) by the {@code Plain} value's bytes, compared in full, so a hit is exactly the schema
 * those bytes decode to. Each holds at most {@value #SLOTS} schemas.
 */
final class SchemaCache {
    private static final int SLOTS = 1024;
    /**
     * Each key may sit in any of this many consecutive slots: with one slot per key, two schemas
     * of one machine landing on the same slot would evict each other on every stream, and every
     * stream would encode or parse them again.
     */
    private static final int WAYS = 4;

    /** A schema's {@code Plain} encoding ({@code SchemaJson.toMap}), with the hash of those bytes. */
    static final class Encoded {
        final Schema schema;
        final byte[] bytes;
        final int hash;

        Encoded(Schema schema, byte[] bytes) {
            this.schema = schema;
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
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

    private static final Encoded[] WRITTEN_DER = new Encoded[SLOTS];
    private static final Encoded[] WRITTEN_BER = new Encoded[SLOTS];
    private static final Encoded[] READ_DER = new Encoded[SLOTS];
    private static final Encoded[] READ_BER = new Encoded[SLOTS];

    private SchemaCache() {
    }

    /** The {@code Plain} encoding of {@code s}; fails (a {@code StreamWriteException}) on text UTF-8 cannot carry. */
    static Encoded encode(Schema s, boolean der) {
        Encoded[] table = der ? WRITTEN_DER : WRITTEN_BER;
        int slot = System.identityHashCode(s);
        for (int i = 0; i < WAYS; i++) {
            Encoded e = table[(slot + i) & (SLOTS - 1)];
            if (e != null && e.schema == s) {
                return e;
            }
        }
        Asn1Out o = new Asn1Out(der);
        o.plain(SchemaJson.toMap(s));
        Encoded e = new Encoded(s, Arrays.copyOf(o.buffer(), o.length()));
        store(table, slot, e);
        return e;
    }

    /**
     * The schema a reader made from {@code buf[from, to)} before, or null. A DER reader looks only
     * at what DER readers remembered: bytes a BER reader took may hold what DER refuses (a BOOLEAN
     * 0x01, a constructed string) that the DER reader's walk over them would not notice.
     */
    static Schema decoded(byte[] buf, int from, int to, boolean der) {
        Schema s = find(READ_DER, buf, from, to);
        return s != null || der ? s : find(READ_BER, buf, from, to);
    }

    private static Schema find(Encoded[] table, byte[] buf, int from, int to) {
        int slot = slot(buf, from, to);
        for (int i = 0; i < WAYS; i++) {
            Encoded e = table[(slot + i) & (SLOTS - 1)];
            if (e != null && Arrays.equals(e.bytes, 0, e.bytes.length, buf, from, to)) {
                return e.schema;
            }
        }
        return null;
    }

    /** Remembers that {@code buf[from, to)}, read by a DER or a BER reader, decodes to {@code s}, which passed every limit-independent check. */
    static void remember(byte[] buf, int from, int to, Schema s, boolean der) {
        store(der ? READ_DER : READ_BER, slot(buf, from, to), new Encoded(s, Arrays.copyOfRange(buf, from, to)));
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
