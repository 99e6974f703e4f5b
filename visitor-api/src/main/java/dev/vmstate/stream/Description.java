package dev.vmstate.stream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The description trailer (QEMU's vmdesc, {@code QEMU_VM_VMDESCRIPTION}): the JSON that says how
 * every device section is laid out, exactly as it was read, so a conversion carries it byte for
 * byte. {@link #generate()} instead asks the writer to produce it from the sections it wrote
 * (what a save does); a format that has no description of its own records the request.
 *
 * @param json the JSON bytes, or {@code null} for "generate"
 * @since 0.1
 */
public record Description(byte[] json) implements StreamRecord {
    public Description {
        json = json == null ? null : json.clone();
    }

    /** Asks the writer to generate the description from what it wrote. */
    public static Description generate() {
        return new Description(null);
    }

    /** Whether this is a request to generate rather than given JSON. */
    public boolean isGenerate() {
        return json == null;
    }

    public static Description of(String json) {
        return new Description(json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] json() {
        return json == null ? null : json.clone();
    }

    /** The JSON as text. */
    public String text() {
        return json == null ? null : new String(json, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Description d && Arrays.equals(d.json, json);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(json);
    }
}
