package dev.vmstate.compat.check;

import dev.vmstate.compat.CompatChain;
import dev.vmstate.compat.CompatJson;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.internal.Json;
import dev.vmstate.internal.JsonValues;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The device types of one build as one JSON document, the input of the static checker
 * ({@code vmstate schema --all --json}, then {@code vmstate check OLD NEW}): for each type its
 * current schema, its version range and its compat steps. The counterpart of QEMU's
 * {@code -dump-vmstate} file, with the history QEMU's file lacks:
 *
 * <pre>{@code
 * {
 *   "vmstate_schemas": 1,
 *   "producer": "vmstate 0.1.0",
 *   "types": [
 *     {"type": "mc146818rtc", "version": 3, "minimum": 1,
 *      "schema": {"vmsd_name": "mc146818rtc", "version": 3, "minimum_version": 1, "fields": [...]},
 *      "steps": [{"from": 1, "ops": [{"op": "add", "path": ["irq_coalesced"], ...}, ...]}, ...]},
 *     ...
 *   ]
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@code vmstate_schemas}: the version of this layout, 1; a reader refuses any other.</li>
 *   <li>{@code producer}: optional, the build that wrote the document (for people; not checked).</li>
 *   <li>{@code types}: one object per device type, sorted by name, each a chain in
 *       {@link CompatJson}'s layout ({@code type}, {@code version}, {@code minimum},
 *       {@code steps}) plus {@code schema}, the current schema in {@link SchemaJson}'s layout.
 *       A transform is declared by name, path and lossless flag
 *       ({@link CompatJson#declaration}); read back, it is a
 *       {@linkplain dev.vmstate.compat.Transform#declared placeholder} that changes no schema
 *       and fails if a state is ever converted through it.</li>
 * </ul>
 *
 * <p>Reading is strict: a wrong shape, an unknown operation, a step that does not fit the schema,
 * a type listed twice or a schema that disagrees with its entry's name or versions fails with a
 * {@link MalformedStreamException} whose message starts with the JSON path
 * ({@code $.types[2].steps[0].ops[1].field.type: unknown type "uint9"}).
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class SchemaExport {
    /** The key of the layout version, the document's first member. */
    public static final String FORMAT_KEY = "vmstate_schemas";
    /** The layout version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private final String producer;
    private final List<CompatChain> chains;

    private SchemaExport(String producer, List<CompatChain> chains) {
        this.producer = producer;
        this.chains = List.copyOf(chains);
    }

    /**
     * An export of {@code chains}, sorted by type name.
     *
     * @param producer the build, e.g. {@code vmstate 0.1.0}; {@code null} to leave it out
     * @throws IllegalArgumentException when a type appears twice
     */
    public static SchemaExport of(Collection<CompatChain> chains, String producer) {
        List<CompatChain> sorted = new ArrayList<>(chains);
        sorted.sort(Comparator.comparing(CompatChain::type));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).type().equals(sorted.get(i - 1).type())) {
                throw new IllegalArgumentException("device type " + sorted.get(i).type() + " is listed twice");
            }
        }
        return new SchemaExport(producer, sorted);
    }

    /** The build that wrote the export, or {@code null}. */
    public String producer() {
        return producer;
    }

    /** One chain per device type, in the document's order. */
    public List<CompatChain> chains() {
        return chains;
    }

    /** The chain of {@code type}, if the export has it. */
    public Optional<CompatChain> chain(String type) {
        return chains.stream().filter(c -> c.type().equals(type)).findFirst();
    }

    /** The document as a JSON object tree. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(FORMAT_KEY, (long) FORMAT_VERSION);
        if (producer != null) {
            m.put("producer", producer);
        }
        List<Object> types = new ArrayList<>();
        for (CompatChain c : chains) {
            Map<String, Object> chain = CompatJson.declaration(c);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("type", chain.get("type"));
            t.put("version", chain.get("version"));
            t.put("minimum", chain.get("minimum"));
            t.put("schema", SchemaJson.toMap(c.schemaAt(c.version())));
            t.put("steps", chain.get("steps"));
            types.add(t);
        }
        m.put("types", types);
        return m;
    }

    /** The document as indented JSON. */
    public String toJson() {
        return Json.pretty(toMap());
    }

    /**
     * Reads a document {@link #toJson()} wrote.
     *
     * @throws MalformedStreamException naming the JSON path of the first problem
     */
    public static SchemaExport read(String json) {
        Map<String, Object> doc = JsonValues.object(Json.parse(json), "$");
        if (!doc.containsKey(FORMAT_KEY)) {
            throw new MalformedStreamException("$: not a schema export: no \"" + FORMAT_KEY
                    + "\" member (vmstate schema --all --json writes one)");
        }
        long format = JsonValues.integer(doc, FORMAT_KEY, "$");
        if (format != FORMAT_VERSION) {
            throw new MalformedStreamException("$." + FORMAT_KEY + ": layout version " + format
                    + ", this build reads version " + FORMAT_VERSION);
        }
        String producer = doc.containsKey("producer") ? JsonValues.string(doc, "producer", "$") : null;
        if (!doc.containsKey("types")) {
            throw new MalformedStreamException("$.types: missing; expected an array of device types");
        }
        List<Object> types = JsonValues.array(doc.get("types"), "$.types");
        List<CompatChain> chains = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < types.size(); i++) {
            String at = "$.types[" + i + "]";
            CompatChain c = type(JsonValues.object(types.get(i), at), at);
            String before = seen.put(c.type(), at);
            if (before != null) {
                throw new MalformedStreamException(at + ".type: device type \"" + c.type() + "\" is listed twice"
                        + " (also at " + before + ")");
            }
            chains.add(c);
        }
        return new SchemaExport(producer, chains);
    }

    private static CompatChain type(Map<String, Object> m, String at) {
        String type = JsonValues.string(m, "type", at);
        long version = JsonValues.integer(m, "version", at);
        Map<String, Object> schemaObject = JsonValues.object(m.get("schema"), at + ".schema");
        Schema schema;
        try {
            schema = SchemaJson.fromMap(schemaObject);
        } catch (MalformedStreamException e) {
            // SchemaJson names places from the schema object's "$"; name them in this document
            String msg = e.getOriginalMessage();
            throw new MalformedStreamException(at + ".schema" + (msg.startsWith("$") ? msg.substring(1) : ": " + msg),
                    e);
        }
        if (!schema.name().equals(type)) {
            throw new MalformedStreamException(at + ".schema.vmsd_name: \"" + schema.name() + "\", expected the type \""
                    + type + "\"");
        }
        if (schema.version() != version) {
            throw new MalformedStreamException(at + ".version: " + version + ", but the schema has version "
                    + schema.version());
        }
        long minimum = JsonValues.integer(m, "minimum", schema.minimumVersion(), at);
        if (minimum != schema.minimumVersion()) {
            throw new MalformedStreamException(at + ".minimum: " + minimum + ", but the schema has minimum version "
                    + schema.minimumVersion());
        }
        try {
            return CompatJson.readDeclaration(m, schema, at);
        } catch (IllegalArgumentException e) {
            throw new MalformedStreamException(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "schema export of " + chains.size() + " device types" + (producer == null ? "" : " from " + producer);
    }
}
