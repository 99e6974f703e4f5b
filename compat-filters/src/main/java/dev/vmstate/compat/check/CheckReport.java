package dev.vmstate.compat.check;

import dev.vmstate.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link CompatChecker#check} found for two builds: every {@link Problem}, in device type
 * order, and whether the builds are compatible in the direction checked (no
 * {@link Severity#ERROR}; warnings allowed). Immutable and thread-safe.
 *
 * @param direction the direction checked
 * @param types     how many device types the two builds have between them
 * @param problems  every problem, by device type, then as found
 * @since 0.1
 */
public record CheckReport(Direction direction, int types, List<Problem> problems) {
    /** The value of {@code "vmstate_check"} in {@link #toMap}: the version of the report's JSON layout. */
    public static final int FORMAT_VERSION = 1;

    public CheckReport {
        Objects.requireNonNull(direction, "direction");
        problems = List.copyOf(problems);
    }

    /** True when no problem is an error. */
    public boolean compatible() {
        return errors() == 0;
    }

    /** The number of errors. */
    public int errors() {
        return (int) problems.stream().filter(Problem::isError).count();
    }

    /** The number of warnings. */
    public int warnings() {
        return problems.size() - errors();
    }

    /** The problems of one device type. */
    public List<Problem> problems(String type) {
        return problems.stream().filter(p -> p.type().equals(type)).toList();
    }

    /**
     * The summary line: {@code 6 device types, forward (can NEW read what OLD writes?): 2 errors,
     * 1 warning: incompatible}.
     */
    public String summary() {
        String question = direction == Direction.FORWARD ? "can NEW read what OLD writes?"
                : "can NEW write what OLD reads?";
        return types + " device type" + (types == 1 ? "" : "s") + ", " + direction.id() + " (" + question + "): "
                + count(errors(), "error") + ", " + count(warnings(), "warning") + ": "
                + (compatible() ? "compatible" : "incompatible");
    }

    /** One line per problem ({@link Problem#render()}), then the {@linkplain #summary() summary}. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (Problem p : problems) {
            out.add(p.render());
        }
        out.add(summary());
        return out;
    }

    /**
     * The report as a JSON object tree: {@code {"vmstate_check": 1, "old": ..., "new": ...,
     * "direction": "forward", "compatible": true, "types": 6, "errors": 0, "warnings": 0,
     * "problems": [{"severity", "rule", "type", "versions", "path", "message"}]}}; {@code old} and
     * {@code new} name the inputs and are left out when {@code null}.
     */
    public Map<String, Object> toMap(String oldName, String newName) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vmstate_check", (long) FORMAT_VERSION);
        if (oldName != null) {
            m.put("old", oldName);
        }
        if (newName != null) {
            m.put("new", newName);
        }
        m.put("direction", direction.id());
        m.put("compatible", compatible());
        m.put("types", (long) types);
        m.put("errors", (long) errors());
        m.put("warnings", (long) warnings());
        List<Object> list = new ArrayList<>();
        for (Problem p : problems) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("severity", p.severity().id());
            pm.put("rule", p.rule().id());
            pm.put("type", p.type());
            pm.put("versions", p.versions().stream().map(Integer::longValue).map(Object.class::cast).toList());
            pm.put("path", p.path());
            pm.put("message", p.message());
            list.add(pm);
        }
        m.put("problems", list);
        return m;
    }

    /** {@link #toMap} as indented JSON. */
    public String toJson(String oldName, String newName) {
        return Json.pretty(toMap(oldName, newName));
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
