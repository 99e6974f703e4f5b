package dev.vmstate.format.asn1;

import dev.vmstate.error.VmstateException;
import dev.vmstate.machine.DeviceNode;
import dev.vmstate.machine.DeviceTree;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header's {@code DeviceTree} and the schema value's {@code Plain} map of
 * {@code vmstate.asn}, both ways (#5). A device node's {@code Properties} is the module's SET OF:
 * DER writes its elements in ascending order of their encodings and the DER reader refuses any
 * other order; BER writes them in the node's declaration order and reads any order.
 *
 * <p>A reader's instance counts the values it makes per record, so a record of a few bytes per
 * value cannot make it hold more than {@value #MAX_VALUES} of them. Not thread-safe.
 */
final class TreeCodec {
    /** Plain values and device nodes per record: a schema or tree bigger than this is hostile, not real. */
    static final int MAX_VALUES = 1 << 20;

    private int values;

    /** Starts counting anew: one record. */
    void reset() {
        values = 0;
    }

    private void count(Asn1In in) {
        if (++values > MAX_VALUES) {
            throw in.at(new dev.vmstate.error.LimitExceededException("value count of a schema or device tree (more "
                    + "than " + MAX_VALUES + ") exceeds the maximum allowed (" + MAX_VALUES
                    + ", fixed by the asn1 formats)"), in.pos);
        }
    }

    // ---------------------------------------------------------------- writing

    static void write(Asn1Out o, DeviceTree t) {
        o.open(Asn1Constants.SEQUENCE);
        o.utf8(Asn1Constants.UTF8_STRING, t.machine());
        nodes(o, t.roots());
        o.close();
    }

    private static void nodes(Asn1Out o, List<DeviceNode> nodes) {
        o.open(Asn1Constants.SEQUENCE);
        for (DeviceNode n : nodes) {
            o.open(Asn1Constants.SEQUENCE);
            o.utf8(Asn1Constants.UTF8_STRING, n.id());
            o.utf8(Asn1Constants.UTF8_STRING, n.type());
            if (n.bus() != null) {
                o.utf8(Asn1Constants.BUS, n.bus());
            }
            o.open(Asn1Constants.SET);
            int from = o.contentStart();
            for (Map.Entry<String, Object> p : n.properties().entrySet()) {
                o.open(Asn1Constants.SEQUENCE);
                o.utf8(Asn1Constants.UTF8_STRING, p.getKey());
                Object v = p.getValue();
                if (v instanceof String s) {
                    o.utf8(Asn1Constants.UTF8_STRING, s);
                } else if (v instanceof Boolean b) {
                    o.bool(b);
                } else {
                    o.integer(Asn1Constants.INTEGER, ((Number) v).longValue());
                }
                o.close();
            }
            // #5: DER's SET OF order (X.690 11.6), so the same tree gives the same bytes however it was built
            o.sortSetOf(from);
            o.close();
            nodes(o, n.children());
            o.close();
        }
        o.close();
    }

    // ---------------------------------------------------------------- reading

    /** The {@code DeviceTree} at {@code in.pos}, inside the container of end token {@code end}. */
    DeviceTree readTree(Asn1In in, int end) {
        int at = in.pos;
        int e = in.open(end, Asn1Constants.SEQUENCE, "the device tree (a DeviceTree SEQUENCE)");
        String machine = in.text(e, Asn1Constants.UTF8_STRING, "the device tree's machine type");
        List<DeviceNode> roots = nodes(in, e, 1);
        in.leave(e, "the device tree");
        try {
            return new DeviceTree(machine, roots);
        } catch (VmstateException | IllegalArgumentException e2) {
            throw in.at(Asn1Errors.badDeviceTree(e2.getMessage()), at);
        }
    }

    private List<DeviceNode> nodes(Asn1In in, int end, int depth) {
        int at = in.pos;
        try {
            in.limits.checkDepth(depth);
        } catch (VmstateException e) {
            throw in.at(e, at);
        }
        int e = in.open(end, Asn1Constants.SEQUENCE, "the device nodes (a SEQUENCE OF DeviceNode)");
        List<DeviceNode> out = new ArrayList<>();
        while (in.more(e)) {
            count(in);
            out.add(node(in, e, depth));
        }
        in.leave(e, "the device nodes");
        return out;
    }

    private DeviceNode node(Asn1In in, int end, int depth) {
        int at = in.pos;
        int e = in.open(end, Asn1Constants.SEQUENCE, "a device node (a DeviceNode SEQUENCE)");
        String id = in.text(e, Asn1Constants.UTF8_STRING, "the device node's id");
        String type = in.text(e, Asn1Constants.UTF8_STRING, "the device node's type");
        String bus = null;
        if (in.more(e) && (in.peek() & ~Asn1Constants.CONSTRUCTED) == Asn1Constants.BUS) {
            bus = in.text(e, Asn1Constants.BUS, "the device node's bus");
        }
        Map<String, Object> props = properties(in, e);
        List<DeviceNode> children = nodes(in, e, depth + 1);
        in.leave(e, "a device node");
        try {
            return new DeviceNode(id, type, bus, props, children);
        } catch (IllegalArgumentException x) {
            throw in.at(Asn1Errors.badDeviceTree(x.getMessage()), at);
        }
    }

    private Map<String, Object> properties(Asn1In in, int end) {
        int e = in.open(end, Asn1Constants.SET, "the device node's properties (a SET OF Property)");
        Map<String, Object> props = new LinkedHashMap<>();
        int prevFrom = -1;
        int prevTo = -1;
        while (in.more(e)) {
            count(in);
            int from = in.pos;
            int pe = in.open(e, Asn1Constants.SEQUENCE, "a property (a Property SEQUENCE)");
            String name = in.text(pe, Asn1Constants.UTF8_STRING, "the property's name");
            Object value;
            if (!in.more(pe)) {
                throw in.at(Asn1Errors.unexpected("the end of the property", "its value (a PropertyValue)"), in.pos);
            }
            int id = in.peek();
            if (id == Asn1Constants.UTF8_STRING || id == (Asn1Constants.UTF8_STRING | Asn1Constants.CONSTRUCTED)) {
                value = in.text(pe, Asn1Constants.UTF8_STRING, "the property's value");
            } else if (id == Asn1Constants.INTEGER) {
                value = in.int64(pe, "the property's value");
            } else if (id == Asn1Constants.BOOLEAN) {
                value = in.bool(pe, "the property's value");
            } else {
                throw in.at(Asn1Errors.unexpected(Asn1Errors.describe(id),
                        "a property value (UTF8String, INTEGER or BOOLEAN)"), in.pos);
            }
            in.leave(pe, "a property");
            if (in.der && prevFrom >= 0 && Asn1Out.compare(in.b, prevFrom, prevTo, from, in.pos) > 0) {
                throw in.at(Asn1Errors.unsortedSet("Property"), from);
            }
            if (props.put(name, value) != null) {
                throw in.at(Asn1Errors.duplicateProperty(name), from);
            }
            prevFrom = from;
            prevTo = in.pos;
        }
        in.leave(e, "the device node's properties");
        return props;
    }

    /** The {@code Plain} value at {@code in.pos}: null, Boolean, Long, String, List or Map, as {@code SchemaJson.fromMap} takes them. */
    Object readPlain(Asn1In in, int end, int depth) {
        if (!in.more(end)) {
            throw in.at(Asn1Errors.unexpected("the end of its container", "a Plain value"), in.pos);
        }
        if (depth > in.maxNesting) {
            throw in.at(Asn1Errors.tooDeep(in.maxNesting), in.pos);
        }
        count(in);
        int id = in.peek();
        switch (id) {
            case Asn1Constants.NULL:
                in.nul(end, Asn1Constants.NULL, "NULL");
                return null;
            case Asn1Constants.BOOLEAN:
                return in.bool(end, "a Plain boolValue");
            case Asn1Constants.INTEGER:
                return in.int64(end, "a Plain intValue");
            case Asn1Constants.UTF8_STRING:
            case Asn1Constants.UTF8_STRING | Asn1Constants.CONSTRUCTED:
                return in.text(end, Asn1Constants.UTF8_STRING, "a Plain stringValue");
            case Asn1Constants.PLAIN_LIST: {
                int e = in.open(end, id, "a Plain listValue");
                List<Object> out = new ArrayList<>();
                while (in.more(e)) {
                    out.add(readPlain(in, e, depth + 1));
                }
                in.leave(e, "a Plain listValue");
                return out;
            }
            case Asn1Constants.PLAIN_MAP: {
                int e = in.open(end, id, "a Plain mapValue");
                Map<String, Object> out = new LinkedHashMap<>();
                while (in.more(e)) {
                    int from = in.pos;
                    int me = in.open(e, Asn1Constants.SEQUENCE, "a PlainMember SEQUENCE");
                    String key = in.text(me, Asn1Constants.UTF8_STRING, "a PlainMember key");
                    Object v = readPlain(in, me, depth + 1);
                    in.leave(me, "a PlainMember");
                    if (out.containsKey(key)) {
                        throw in.at(Asn1Errors.badRecord("key \"" + Asn1Errors.shorten(key)
                                + "\" appears twice in one Plain map"), from);
                    }
                    out.put(key, v);
                }
                in.leave(e, "a Plain mapValue");
                return out;
            }
            default:
                throw in.at(Asn1Errors.unexpected(Asn1Errors.describe(id), "a Plain value"), in.pos);
        }
    }
}
