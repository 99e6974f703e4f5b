package dev.vmstate.machine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One device in a {@link DeviceTree}: its id (unique in the machine), its device type, the bus it
 * sits on, its configuration properties (iobase, irq, mac, ...) and the devices on the buses it
 * provides. Properties are strings, longs or booleans so the tree stays format-neutral.
 *
 * <p>A device's configuration is a set: the properties are kept sorted by name, whatever order
 * they were given in. So every format writes them in one order, and a format that must sort a
 * set its own way (DER's SET OF) reads back the same tree and prints it the same way.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id         unique in the machine: letters, digits, {@code - _ .}
 * @param type       the device type name, as the device registry knows it
 * @param bus        the bus this device sits on ({@code isa.0}, {@code pci.0}, ...); {@code null} for a root
 * @param properties configuration; kept sorted by name
 * @param children   devices on buses this device provides
 * @since 0.1
 */
public record DeviceNode(String id, String type, String bus, Map<String, Object> properties, List<DeviceNode> children) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public DeviceNode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid device id \"" + id + "\": use 1-64 letters, digits, '-', '_' or '.'");
        }
        Map<String, Object> props = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (!(v instanceof String || v instanceof Long || v instanceof Boolean)) {
                throw new IllegalArgumentException("property " + id + "." + k + " must be a string, long or boolean, got "
                        + (v == null ? "null" : v.getClass().getSimpleName()));
            }
            props.put(k, v);
        });
        properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(props));
        children = List.copyOf(children);
    }

    /** A leaf device with no children. */
    public static DeviceNode of(String id, String type, String bus, Map<String, Object> properties) {
        return new DeviceNode(id, type, bus, properties, List.of());
    }

    /** This node with {@code child} appended to its children. */
    public DeviceNode withChild(DeviceNode child) {
        List<DeviceNode> c = new ArrayList<>(children);
        c.add(child);
        return new DeviceNode(id, type, bus, properties, c);
    }
}
