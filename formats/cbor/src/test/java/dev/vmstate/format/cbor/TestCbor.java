package dev.vmstate.format.cbor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A minimal CBOR encoder for hand-made test input, independent of the writer under test:
 * {@code String} is a text string, {@code byte[]} a byte string, {@code Integer}/{@code Long} an
 * integer in preferred serialization, {@code Boolean} and {@code null} themselves, a {@code List} or {@code Map} (in its order) a container, {@link Raw}
 * exactly its bytes; {@link #map} and {@link #array} nest.
 */
final class TestCbor {
    /** Bytes inserted as they are. */
    record Raw(byte[] bytes) {
    }

    private TestCbor() {
    }

    static Raw raw(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return new Raw(b);
    }

    /** A definite-length map of the key-value pairs {@code kv}. */
    static Raw map(Object... kv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        head(out, 5, kv.length / 2);
        for (Object o : kv) {
            encode(out, o);
        }
        return new Raw(out.toByteArray());
    }

    static Raw array(Object... items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        head(out, 4, items.length);
        for (Object o : items) {
            encode(out, o);
        }
        return new Raw(out.toByteArray());
    }

    /** The concatenation of the items: a CBOR sequence. */
    static byte[] seq(Object... items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o : items) {
            encode(out, o);
        }
        return out.toByteArray();
    }

    /** A stream: the default envelope, then the items. */
    static byte[] stream(Object... items) {
        return CborMalformedInputTest.withEnvelope(seq(items));
    }

    /** A valid header record with no configuration and no device tree. */
    static Raw header() {
        return map("record", "header", "stream_version", 3, "machine_type", "pc", "configuration_extra",
                new byte[0], "device_tree", null);
    }

    static Raw end() {
        return map("record", "end");
    }

    private static void encode(ByteArrayOutputStream out, Object o) {
        if (o == null) {
            out.write(0xF6);
        } else if (o instanceof Raw r) {
            out.writeBytes(r.bytes());
        } else if (o instanceof Boolean b) {
            out.write(b ? 0xF5 : 0xF4);
        } else if (o instanceof Integer || o instanceof Long) {
            long v = ((Number) o).longValue();
            if (v < 0) {
                head(out, 1, -1 - v);
            } else {
                head(out, 0, v);
            }
        } else if (o instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            head(out, 3, b.length);
            out.writeBytes(b);
        } else if (o instanceof byte[] b) {
            head(out, 2, b.length);
            out.writeBytes(b);
        } else if (o instanceof List<?> l) {
            head(out, 4, l.size());
            l.forEach(x -> encode(out, x));
        } else if (o instanceof java.util.Map<?, ?> m) {
            head(out, 5, m.size());
            m.forEach((k, v) -> {
                encode(out, k);
                encode(out, v);
            });
        } else {
            throw new IllegalArgumentException("no CBOR for " + o.getClass());
        }
    }

    private static void head(ByteArrayOutputStream out, int major, long arg) {
        int m = major << 5;
        if (arg < 24) {
            out.write(m | (int) arg);
        } else if (arg < 0x100) {
            out.write(m | 24);
            out.write((int) arg);
        } else if (arg < 0x1_0000) {
            out.write(m | 25);
            out.write((int) (arg >> 8));
            out.write((int) arg);
        } else if (arg < 0x1_0000_0000L) {
            out.write(m | 26);
            for (int i = 3; i >= 0; i--) {
                out.write((int) (arg >> (8 * i)));
            }
        } else {
            out.write(m | 27);
            for (int i = 7; i >= 0; i--) {
                out.write((int) (arg >> (8 * i)));
            }
        }
    }
}
