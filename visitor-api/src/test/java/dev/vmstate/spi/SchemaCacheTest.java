package dev.vmstate.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.visitor.Kind;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shared schema cache: hits, misses, what a failure leaves behind, and the two properties
 * the formats rely on (#4): keys that share a set do not evict each other every time, and a
 * look-up that hits neither locks nor allocates.
 */
class SchemaCacheTest {
    private static final Consumer<Schema> NO_CHECK = s -> { };

    /** The encoder the caches below use: the schema's compact JSON, counted. */
    private final AtomicInteger encoded = new AtomicInteger();
    private final SchemaCache cache = new SchemaCache(s -> {
        encoded.incrementAndGet();
        return SchemaJson.toJson(s).getBytes(StandardCharsets.UTF_8);
    });

    private static Schema schema(String name) {
        return new Schema(name, 1, 1, List.of(Field.scalar("x", Kind.U32, null)));
    }

    @Test
    void encodeMakesTheEncodingOncePerInstance() {
        Schema a = schema("a");
        SchemaCache.Encoded e = cache.encode(a);
        assertThat(cache.encode(a)).isSameAs(e);
        assertThat(encoded).hasValue(1);
        assertThat(e.schema()).isSameAs(a);
        assertThat(e.bytes()).isEqualTo(SchemaJson.toJson(a).getBytes(StandardCharsets.UTF_8));
        assertThat(e.fingerprint()).isEqualTo(Envelope.fingerprint(List.of(a))).isSameAs(e.fingerprint());

        // another instance of an equal schema is another key, with an equal encoding: what SchemaIds matches on
        Schema a2 = schema("a");
        SchemaCache.Encoded e2 = cache.encode(a2);
        assertThat(e2).isNotSameAs(e).isEqualTo(e).hasSameHashCodeAs(e);
        assertThat(encoded).hasValue(2);
        assertThat(cache.encode(schema("b"))).isNotEqualTo(e);
    }

    @Test
    void whatTheEncoderThrowsReachesTheCallerAndLeavesNoEntry() {
        AtomicInteger calls = new AtomicInteger();
        SchemaCache failing = new SchemaCache(s -> {
            calls.incrementAndGet();
            throw new IllegalStateException("cannot encode " + s.name());
        });
        Schema a = schema("a");
        assertThatThrownBy(() -> failing.encode(a)).hasMessage("cannot encode a");
        assertThatThrownBy(() -> failing.encode(a)).hasMessage("cannot encode a");
        assertThat(calls).hasValue(2);
    }

    @Test
    void decodedFindsExactlyTheBytesRemembered() {
        Schema a = schema("a");
        byte[] bytes = "{\"name\": \"a\", the rest of a schema's encoding}".getBytes(StandardCharsets.UTF_8);
        assertThat(cache.decoded(bytes, 0, bytes.length)).isNull();
        // remembered from inside a larger buffer, found inside another
        byte[] record = new byte[bytes.length + 10];
        System.arraycopy(bytes, 0, record, 7, bytes.length);
        cache.remember(record, 7, 7 + bytes.length, a);
        byte[] other = new byte[bytes.length + 3];
        System.arraycopy(bytes, 0, other, 3, bytes.length);
        assertThat(cache.decoded(other, 3, other.length)).isSameAs(a);
        assertThat(cache.decoded(bytes, 0, bytes.length)).isSameAs(a);
        // the copy is the cache's: changing the buffer it came from changes nothing
        Arrays.fill(record, (byte) 0);
        assertThat(cache.decoded(bytes, 0, bytes.length)).isSameAs(a);
        // a prefix, or one byte other in the middle (which the slot hash does not see), is a miss
        assertThat(cache.decoded(bytes, 0, bytes.length - 1)).isNull();
        byte[] changed = bytes.clone();
        changed[bytes.length / 2] ^= 1;
        assertThat(cache.decoded(changed, 0, changed.length)).isNull();
    }

    @Test
    void encodingsLongerThanTheLimitAreNotRemembered() {
        byte[] big = new byte[SchemaCache.MAX_REMEMBERED + 1];
        cache.remember(big, 0, big.length, schema("big"));
        assertThat(cache.decoded(big, 0, big.length)).isNull();
        cache.remember(big, 1, big.length, schema("fits"));
        assertThat(cache.decoded(big, 1, big.length)).isNotNull();
    }

    @Test
    void resolvedChecksEachInstanceOnceAndAFailedCheckLeavesNoEntry() {
        Schema a = schema("a");
        AtomicInteger checks = new AtomicInteger();
        Consumer<Schema> check = s -> {
            checks.incrementAndGet();
            if (s.name().equals("bad")) {
                throw new IllegalArgumentException("bad schema");
            }
        };
        byte[] f = cache.resolved(a, check);
        assertThat(f).isEqualTo(Envelope.fingerprint(List.of(a)));
        assertThat(cache.resolved(a, check)).isSameAs(f);
        assertThat(checks).hasValue(1);

        Schema bad = schema("bad");
        assertThatThrownBy(() -> cache.resolved(bad, check)).hasMessage("bad schema");
        assertThatThrownBy(() -> cache.resolved(bad, check)).hasMessage("bad schema");
        assertThat(checks).hasValue(3);
        // the writer's table is another: resolving computed no encoding
        assertThat(encoded).hasValue(0);
    }

    @Test
    void eachInstanceIsItsOwnCache() {
        SchemaCache other = new SchemaCache(s -> new byte[] {1});
        Schema a = schema("a");
        byte[] bytes = {1, 2, 3};
        cache.remember(bytes, 0, 3, a);
        assertThat(other.decoded(bytes, 0, 3)).isNull();
        assertThat(other.encode(a).bytes()).containsExactly(1);
        assertThat(cache.encode(a).bytes()).isNotEqualTo(new byte[] {1});
    }

    // ---------------------------------------------------------------- sets

    /** {@code n} different encodings whose slots are the same, so they compete for one set of ways. */
    private static List<byte[]> collidingBytes(int n) {
        Map<Integer, List<byte[]>> bySlot = new HashMap<>();
        for (int i = 0; ; i++) {
            byte[] b = ("{\"name\": \"dev" + i + "\", \"version\": 1}").getBytes(StandardCharsets.UTF_8);
            List<byte[]> same = bySlot.computeIfAbsent(SchemaCache.slot(b, 0, b.length) & (SchemaCache.SLOTS - 1),
                    k -> new ArrayList<>());
            same.add(b);
            if (same.size() == n) {
                return same;
            }
        }
    }

    /** {@code n} schema instances whose identity hashes give the same slot. */
    private static List<Schema> collidingSchemas(int n) {
        Map<Integer, List<Schema>> bySlot = new HashMap<>();
        for (int i = 0; ; i++) {
            Schema s = schema("dev" + i);
            List<Schema> same = bySlot.computeIfAbsent(System.identityHashCode(s) & (SchemaCache.SLOTS - 1),
                    k -> new ArrayList<>());
            same.add(s);
            if (same.size() == n) {
                return same;
            }
        }
    }

    /**
     * Reads {@code keys} in turn for {@code rounds} rounds as a reader does, remembering each miss;
     * returns the misses of the last round.
     */
    private int readInTurn(List<byte[]> keys, int rounds) {
        int misses = 0;
        for (int round = 0; round < rounds; round++) {
            misses = 0;
            for (byte[] k : keys) {
                if (cache.decoded(k, 0, k.length) == null) {
                    misses++;
                    cache.remember(k, 0, k.length, schema(new String(k, StandardCharsets.UTF_8)));
                }
            }
        }
        return misses;
    }

    @Test
    void fourKeysOfOneSetAllStay() {
        List<byte[]> keys = collidingBytes(SchemaCache.WAYS);
        assertThat(readInTurn(keys, 1)).isEqualTo(SchemaCache.WAYS);
        assertThat(readInTurn(keys, 10)).isZero();

        List<Schema> schemas = collidingSchemas(SchemaCache.WAYS);
        schemas.forEach(cache::encode);
        encoded.set(0);
        for (int round = 0; round < 10; round++) {
            schemas.forEach(cache::encode);
            schemas.forEach(s -> cache.resolved(s, NO_CHECK));
        }
        assertThat(encoded).hasValue(0);
    }

    @Test
    void fiveKeysTakingTurnsInOneSetDoNotThrash() {
        // least recently used would evict each key just before its turn: five misses a round
        List<byte[]> keys = collidingBytes(SchemaCache.WAYS + 1);
        readInTurn(keys, 1);
        assertThat(readInTurn(keys, 20)).as("misses per round of 5 keys in 4 ways").isLessThanOrEqualTo(2);

        List<Schema> schemas = collidingSchemas(SchemaCache.WAYS + 1);
        schemas.forEach(cache::encode);
        for (int round = 0; round < 20; round++) {
            encoded.set(0);
            schemas.forEach(cache::encode);
        }
        assertThat(encoded.get()).as("encodings per round of 5 schemas in 4 ways").isLessThanOrEqualTo(2);
    }

    @Test
    void aHitAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        Schema a = schema("a");
        byte[] record = ("xx" + SchemaJson.toJson(a) + "yy").getBytes(StandardCharsets.UTF_8);
        int from = 2;
        int to = record.length - 2;
        cache.remember(record, from, to, a);
        cache.encode(a);
        cache.resolved(a, NO_CHECK);
        int rounds = 200_000;
        long sink = 0;
        for (int i = 0; i < rounds; i++) { // warm up: let the JIT compile and inline
            sink += cache.decoded(record, from, to).version() + cache.encode(a).bytes().length
                    + cache.resolved(a, NO_CHECK).length;
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < rounds; i++) {
            sink += cache.decoded(record, from, to).version() + cache.encode(a).bytes().length
                    + cache.resolved(a, NO_CHECK).length;
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(sink).isPositive();
        // one allocation of any kind per look-up would be millions of bytes
        assertThat(allocated).as("bytes allocated by %d rounds of three hits", rounds).isLessThan(10_000);
    }

    @Test
    void racingReadersAndWritersNeverSeeAWrongSchema() throws Exception {
        // twelve keys for one set of four ways: constant eviction, every hit checked against its key
        List<byte[]> keys = collidingBytes(12);
        Map<String, Schema> byText = new HashMap<>();
        for (byte[] k : keys) {
            String text = new String(k, StandardCharsets.UTF_8);
            byText.put(text, schema(text));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> hits = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                hits.add(pool.submit(() -> {
                    int n = 0;
                    for (int i = 0; i < 200_000; i++) {
                        byte[] k = keys.get((i * 7 + seed) % keys.size());
                        String text = new String(k, StandardCharsets.UTF_8);
                        Schema s = cache.decoded(k, 0, k.length);
                        if (s == null) {
                            cache.remember(k, 0, k.length, byText.get(text));
                        } else if (s != byText.get(text)) {
                            throw new AssertionError("bytes of " + text + " gave " + s.name());
                        } else {
                            n++;
                        }
                    }
                    return n;
                }));
            }
            int total = 0;
            for (Future<Integer> h : hits) {
                total += h.get();
            }
            assertThat(total).isPositive();
        } finally {
            pool.shutdownNow();
        }
    }
}
