package dev.vmstate.machine;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.internal.Json;
import dev.vmstate.internal.JsonValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A machine's device tree: the machine type and its devices with their configuration, nested by
 * bus. It travels with the state (a later issue carries it in the stream) so that a destination
 * can build the same machine or check its own against it. JSON form: {@code docs/schema.md}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class DeviceTree {
    private final String machine;
    private final List<DeviceNode> roots;

    public DeviceTree(String machine, List<DeviceNode> roots) {
        this.machine = Objects.requireNonNull(machine, "machine");
        this.roots = List.copyOf(roots);
        Set<String> ids = new HashSet<>();
        for (DeviceNode n : devices()) {
            if (!ids.add(n.id())) {
                throw new SchemaMismatchException("device id \"" + n.id() + "\" is used twice in machine " + machine);
            }
        }
    }

    /** The machine type, e.g. {@code sample-pc}. */
    public String machine() {
        return machine;
    }

    /** The top-level devices. */
    public List<DeviceNode> roots() {
        return roots;
    }

    /** Every device, parents before children, in declaration order: the order states are saved in. */
    public List<DeviceNode> devices() {
        List<DeviceNode> all = new ArrayList<>();
        collect(roots, all);
        return all;
    }

    private static void collect(List<DeviceNode> nodes, List<DeviceNode> out) {
        for (DeviceNode n : nodes) {
            out.add(n);
            collect(n.children(), out);
        }
    }

    /** The device with {@code id}, or {@code null}. */
    public DeviceNode find(String id) {
        for (DeviceNode n : devices()) {
            if (n.id().equals(id)) {
                return n;
            }
        }
        return null;
    }

    /** The tree as indented JSON. */
    public String toJson() {
        return Json.pretty(toMap());
    }

    /** The tree as maps and lists, for embedding. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("machine", machine);
        m.put("devices", nodes(roots));
        return m;
    }

    private static List<Object> nodes(List<DeviceNode> nodes) {
        List<Object> out = new ArrayList<>();
        for (DeviceNode n : nodes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", n.id());
            m.put("type", n.type());
            if (n.bus() != null) {
                m.put("bus", n.bus());
            }
            m.put("properties", n.properties());
            if (!n.children().isEmpty()) {
                m.put("children", nodes(n.children()));
            }
            out.add(m);
        }
        return out;
    }

    /** Parses the JSON form; bad input is a {@link MalformedStreamException} naming the JSON path. */
    public static DeviceTree fromJson(String json) {
        return fromMap(JsonValues.object(Json.parse(json), "$"));
    }

    /** Reads the tree from parsed JSON. */
    public static DeviceTree fromMap(Map<String, Object> m) {
        String machine = JsonValues.string(m, "machine", "$");
        return new DeviceTree(machine, parseNodes(m.get("devices"), "$.devices"));
    }

    private static List<DeviceNode> parseNodes(Object v, String at) {
        List<DeviceNode> out = new ArrayList<>();
        List<Object> list = JsonValues.array(v, at);
        for (int i = 0; i < list.size(); i++) {
            String nat = at + "[" + i + "]";
            Map<String, Object> n = JsonValues.object(list.get(i), nat);
            Map<String, Object> props = new LinkedHashMap<>();
            JsonValues.object(n.getOrDefault("properties", Map.of()), nat + ".properties").forEach((k, pv) -> {
                if (!(pv instanceof String || pv instanceof Long || pv instanceof Boolean)) {
                    throw new MalformedStreamException(nat + ".properties." + k
                            + ": expected a string, integer or boolean, found " + JsonValues.describe(pv));
                }
                props.put(k, pv);
            });
            Object bus = n.get("bus");
            if (bus != null && !(bus instanceof String)) {
                throw new MalformedStreamException(nat + ".bus: expected a string, found " + JsonValues.describe(bus));
            }
            try {
                out.add(new DeviceNode(JsonValues.string(n, "id", nat), JsonValues.string(n, "type", nat),
                        (String) bus, props, parseNodes(n.getOrDefault("children", List.of()), nat + ".children")));
            } catch (IllegalArgumentException e) {
                throw new MalformedStreamException(nat + ": " + e.getMessage());
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceTree t && t.machine.equals(machine) && t.roots.equals(roots);
    }

    @Override
    public int hashCode() {
        return Objects.hash(machine, roots);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
