package dev.vmstate.compat;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.internal.Json;
import dev.vmstate.internal.JsonValues;
import dev.vmstate.schema.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link CompatChain}'s declarative operations as a JSON file, so an operator can bridge two
 * builds without recompiling. A file names the device type and is read against the device's
 * current schema; a {@link Transform} needs code, so a chain file cannot hold one (the static
 * checker's export declares it by name instead: {@link #declaration}, {@link #readDeclaration}).
 * The invented timer of the tests, whose history uses every declarative operation (the file is
 * {@code src/test/resources/vs-timer-compat-by-hand.json}; {@link #write} gives the same content,
 * one member per line):
 *
 * <pre>{@code
 * {
 *   "type": "vs-timer",
 *   "version": 3,
 *   "minimum": 0,
 *   "steps": [
 *     {"from": 0, "ops": [
 *       {"op": "merge", "path": ["count"], "type": "uint16", "parts": [
 *         {"name": "count_lo", "type": "uint8", "shift": 0, "bits": 8},
 *         {"name": "count_hi", "type": "uint8", "shift": 8, "bits": 8}]},
 *       {"op": "remove", "path": ["legacy"], "field": {"name": "legacy", "type": "uint8", "size": 1},
 *        "default": 0, "after": "flags"}]},
 *     {"from": 1, "ops": [
 *       {"op": "split", "path": ["ctrl"], "type": "uint16", "parts": [
 *         {"name": "ctrl_lo", "type": "uint8", "shift": 0, "bits": 8},
 *         {"name": "ctrl_hi", "type": "uint8", "shift": 8, "bits": 8}]},
 *       {"op": "retype", "path": ["count"], "from": "uint16", "to": "uint32"},
 *       {"op": "rename", "path": ["flags"], "to": "status"},
 *       {"op": "rename", "path": ["channels", "mode"], "to": "op_mode"},
 *       {"op": "move_out_of_section", "path": ["vs-timer/extra", "y"], "former_after": "x"}]},
 *     {"from": 2, "ops": [
 *       {"op": "add", "path": ["vs-timer/latch"],
 *        "field": {"vmsd_name": "vs-timer/latch", "version": 1, "fields": []}, "default": null},
 *       {"op": "move_into_section", "path": ["latch"], "section": "vs-timer/latch", "former_after": "count"},
 *       {"op": "retype", "path": ["period_ticks"], "from": "uint32", "to": "uint64"},
 *       {"op": "rename", "path": ["period_ticks"], "to": "period_ns"}]}
 *   ]
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Operations, by {@code op}: {@code rename} (path, to), {@code retype} (path, from, to:
 *       type names), {@code add} (path, field, default), {@code remove} (path, field, default,
 *       after), {@code move_into_section} (path, section, former_after),
 *       {@code move_out_of_section} (path: struct, section, field; former_after), {@code split}
 *       and {@code merge} (path, type, parts of name, type, shift, bits). Each maps to the record
 *       of the same name; see them for the rules.</li>
 *   <li>{@code type} must be the current schema's name; {@code version}, when present, its
 *       version (a file is written for one build); {@code minimum} defaults to the schema's
 *       minimum version.</li>
 *   <li>{@code path} is the list of member names; {@code field} is a field in the schema JSON's
 *       field form ({@code docs/schema.md}), or a subsection object for a section;
 *       {@code default} is the value in the field's plain JSON form (numbers, hex strings for
 *       bytes, objects for structs, arrays of objects for lists, {@code null} for an absent
 *       section, {@code {"version": n, "body": {...}}} for a present one; a non-finite
 *       {@code float64} as {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}, or its raw
 *       bits {@code "0x7FF0000000000001"} for a NaN with a payload).</li>
 *   <li>{@code after} (remove) and {@code former_after} (moves) place the member in the older
 *       version: the member it follows, {@code ""} for first; absent means after the last field.
 *       Places in the newer version are never written: the chain finds them in the current
 *       schema.</li>
 * </ul>
 *
 * <p>Every problem, whether in the JSON or in a chain that does not fit the schema, is an
 * {@link IllegalArgumentException} whose message starts with the location in the file
 * ({@code $.steps[1].ops[3].default: ...}), the same exception type the Java builder throws.
 * Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class CompatJson {
    private CompatJson() {
    }

    /**
     * The chain {@code json} declares for the device whose schema today is {@code current},
     * checked as {@link ChainBuilder#build()} checks a chain declared in Java.
     *
     * @throws IllegalArgumentException naming the JSON location of the problem
     */
    public static CompatChain read(String json, Schema current) {
        Object doc;
        try {
            doc = Json.parse(json);
        } catch (MalformedStreamException e) {
            throw new IllegalArgumentException("$: " + e.getMessage(), e);
        }
        try {
            return read(JsonValues.object(doc, "$"), current);
        } catch (MalformedStreamException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    private static CompatChain read(Map<String, Object> m, Schema current) {
        return read(m, current, "$", false);
    }

    /**
     * The chain a {@linkplain #declaration declaration} states for the device whose schema is
     * {@code current}: the layout {@link #read} takes, where a transform may appear as
     * {@code {"op": "transform", "path": [...], "name": "...", "lossless": true|false}} and becomes a
     * {@link Transform#declared declared} transform (schema-neutral; converting a state through it
     * fails). For the static checker, which compares schemas and steps and converts no state.
     *
     * @param m       the chain's JSON object, parsed
     * @param current the device's current schema, e.g. read from the same document
     * @param at      the JSON location of {@code m}, which every error message starts with
     *                ({@code $.types[2]} gives {@code $.types[2].steps[0].ops[1]: ...})
     * @throws IllegalArgumentException naming the JSON location of the problem
     * @since 0.1
     */
    public static CompatChain readDeclaration(Map<String, Object> m, Schema current, String at) {
        try {
            return read(m, current, at, true);
        } catch (MalformedStreamException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    private static CompatChain read(Map<String, Object> m, Schema current, String root, boolean declared) {
        String type = JsonValues.string(m, "type", root);
        if (!type.equals(current.name())) {
            throw new IllegalArgumentException(root + ".type: the file is for " + type + ", not " + current.name());
        }
        if (m.containsKey("version") && JsonValues.integer(m, "version", root) != current.version()) {
            throw new IllegalArgumentException(root + ".version: the file is for version " + m.get("version") + " of "
                    + type + ", this build has version " + current.version());
        }
        ChainBuilder chain = CompatChain.of(current)
                .minimum((int) JsonValues.integer(m, "minimum", current.minimumVersion(), root));
        Map<Integer, Integer> stepIndex = new HashMap<>();
        List<Object> steps = JsonValues.array(m.getOrDefault("steps", List.of()), root + ".steps");
        for (int i = 0; i < steps.size(); i++) {
            String at = root + ".steps[" + i + "]";
            Map<String, Object> s = JsonValues.object(steps.get(i), at);
            long from = JsonValues.integer(s, "from", at);
            if (from < 0 || from > current.version()) {
                throw new IllegalArgumentException(at + ".from: " + from + " outside 0.." + current.version());
            }
            List<Operation> ops = new ArrayList<>();
            List<Object> items = JsonValues.array(s.get("ops"), at + ".ops");
            for (int j = 0; j < items.size(); j++) {
                String opAt = at + ".ops[" + j + "]";
                Object item = items.get(j);
                ops.add(located(opAt, () -> OperationJson.read(JsonValues.object(item, opAt), opAt, declared)));
            }
            located(at, () -> chain.step(new Step((int) from, ops)));
            stepIndex.put((int) from, i);
        }
        try {
            return chain.build();
        } catch (InvalidStepException e) {
            throw new IllegalArgumentException(root + ".steps[" + stepIndex.get(e.from()) + "].ops[" + e.index()
                    + "]: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(root + ".steps: " + e.getMessage(), e);
        }
    }

    /** Runs {@code read}, making sure any failure names {@code at}. */
    private static <T> T located(String at, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(at) ? e
                    : new IllegalArgumentException(at + ": " + e.getMessage(), e);
        } catch (MalformedStreamException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /**
     * {@code chain} as JSON, in the layout {@link #read} takes.
     *
     * @throws IllegalArgumentException when a step holds a {@link Transform}, which only code can state
     */
    public static String write(CompatChain chain) {
        return Json.pretty(toMap(chain, false));
    }

    /**
     * {@code chain} as a JSON object tree (maps, lists, strings, longs, booleans), ready to embed
     * in a larger document: the layout {@link #write} gives, except that a {@link Transform} is
     * declared by its name, path and lossless flag ({@code {"op": "transform", "path": [],
     * "name": "page-shift-to-bytes", "lossless": false}}) instead of refused. This is how a
     * schema export ({@code vmstate schema --all --json}) carries every step for the static
     * checker; {@link #readDeclaration} reads it back.
     *
     * @since 0.1
     */
    public static Map<String, Object> declaration(CompatChain chain) {
        return toMap(chain, true);
    }

    private static Map<String, Object> toMap(CompatChain chain, boolean declared) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", chain.type());
        m.put("version", (long) chain.version());
        m.put("minimum", (long) chain.minimumVersion());
        List<Object> steps = new ArrayList<>();
        for (Step step : chain.steps()) {
            List<Object> ops = new ArrayList<>();
            for (int i = 0; i < step.ops().size(); i++) {
                try {
                    ops.add(OperationJson.write(step.ops().get(i), declared));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(chain.type() + " step " + step.from() + "->" + step.to()
                            + ", op " + i + ": " + e.getMessage(), e);
                }
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("from", (long) step.from());
            s.put("ops", ops);
            steps.add(s);
        }
        m.put("steps", steps);
        return m;
    }
}
