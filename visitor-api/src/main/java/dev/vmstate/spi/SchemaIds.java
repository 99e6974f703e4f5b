package dev.vmstate.spi;

import dev.vmstate.schema.Schema;
import dev.vmstate.spi.SchemaCache.Encoded;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The schema ids a writer has given in one stream: by instance first, the cheap look-up, then by
 * encoding (another instance of an equal schema encodes equally and shares the id). A machine
 * has a handful of device types, so the first {@value #LINEAR} ids are kept in arrays and found
 * by a scan, which costs less per stream than building hash maps; past that, maps take over.
 *
 * <p>A writer asks {@link #ofInstance}, then, on a miss, {@link #ofEncoding} with the schema's
 * {@link SchemaCache#encode encoding}; a schema with neither gets {@link #next()}, and the writer
 * {@link #put records} the id once the record that carries it is written.
 *
 * <p>Not thread-safe; one per writer.
 *
 * @since 0.1
 */
public final class SchemaIds {
    private static final int LINEAR = 16;

    private Schema[] schemas = new Schema[4];
    private Encoded[] encodings = new Encoded[4];
    /** Distinct schema ids given: 0 .. count - 1. */
    private int count;
    /** Instances seen, each with its id: more than {@link #count} when equal schemas come as several instances. */
    private int instances;
    private int[] ids = new int[4];
    private Map<Schema, Integer> byInstance;
    private Map<Encoded, Integer> byEncoding;

    /** No ids yet: the first new schema gets 0. */
    public SchemaIds() {
    }

    /** The id of this very instance, or -1. */
    public int ofInstance(Schema s) {
        if (byInstance != null) {
            Integer id = byInstance.get(s);
            return id == null ? -1 : id;
        }
        for (int i = 0; i < instances; i++) {
            if (schemas[i] == s) {
                return ids[i];
            }
        }
        return -1;
    }

    /** The id of a schema encoded as {@code e}, or -1. */
    public int ofEncoding(Encoded e) {
        if (byEncoding != null) {
            Integer id = byEncoding.get(e);
            return id == null ? -1 : id;
        }
        for (int i = 0; i < instances; i++) {
            if (encodings[i] != null && encodings[i].equals(e)) {
                return ids[i];
            }
        }
        return -1;
    }

    /** The id the next new schema gets. */
    public int next() {
        return count;
    }

    /**
     * Records that {@code s} has {@code id}; {@code added} is its encoding when the id is new
     * (then {@code id == next()}), else null.
     */
    public void put(Schema s, int id, Encoded added) {
        if (added != null) {
            count++;
        }
        if (byInstance != null) {
            byInstance.put(s, id);
            if (added != null) {
                byEncoding.put(added, id);
            }
            return;
        }
        if (instances == schemas.length) {
            int n = instances * 2;
            schemas = Arrays.copyOf(schemas, n);
            encodings = Arrays.copyOf(encodings, n);
            ids = Arrays.copyOf(ids, n);
        }
        schemas[instances] = s;
        encodings[instances] = added;
        ids[instances] = id;
        instances++;
        if (instances > LINEAR) {
            byInstance = new IdentityHashMap<>();
            byEncoding = new HashMap<>();
            for (int i = 0; i < instances; i++) {
                byInstance.put(schemas[i], ids[i]);
                if (encodings[i] != null) {
                    byEncoding.put(encodings[i], ids[i]);
                }
            }
        }
    }
}
