package dev.vmstate.device;

import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.machine.DeviceNode;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.visitor.Visitable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A running machine's devices: a {@link DeviceTree} and one live device instance per node,
 * created through a {@link DeviceRegistry} from the node's type and configured from its
 * properties. This is what is saved (each device in {@link #ids()} order), loaded into, and
 * compared against a stream's own device tree.
 *
 * <p>The machine's structure is fixed once built; the devices are mutable and the machine does no
 * locking: confine a machine to one thread, or stop its devices while one thread saves it.
 *
 * @since 0.1
 */
public final class Machine {
    private final DeviceTree tree;
    private final Map<String, Visitable> devices;
    private final Map<String, DeviceType<?>> types;

    private Machine(DeviceTree tree, Map<String, Visitable> devices, Map<String, DeviceType<?>> types) {
        this.tree = tree;
        this.devices = Collections.unmodifiableMap(devices);
        this.types = Collections.unmodifiableMap(types);
    }

    /**
     * Creates every device of {@code tree}, parents before children, each in its reset state and
     * configured from its properties ({@link Configurable}).
     *
     * @throws SchemaMismatchException when a node names a type {@code registry} does not know, or a
     *                                 property is invalid; the path starts with the device id
     */
    public static Machine build(DeviceTree tree, DeviceRegistry registry) {
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(registry, "registry");
        Map<String, Visitable> devices = new LinkedHashMap<>();
        Map<String, DeviceType<?>> types = new LinkedHashMap<>();
        for (DeviceNode node : tree.devices()) {
            try {
                DeviceType<?> type = registry.get(node.type());
                Visitable device = type.create();
                if (device instanceof Configurable c) {
                    c.configure(node.properties());
                }
                devices.put(node.id(), device);
                types.put(node.id(), type);
            } catch (VmstateException e) {
                throw e.prependField(node.id());
            }
        }
        return new Machine(tree, devices, types);
    }

    /** The device tree this machine was built from. */
    public DeviceTree tree() {
        return tree;
    }

    /** The machine type, e.g. {@code sample-pc}. */
    public String machineType() {
        return tree.machine();
    }

    /** Every device id, parents before children, in declaration order: the order states are saved in. */
    public List<String> ids() {
        return List.copyOf(devices.keySet());
    }

    /**
     * The live device with {@code id}.
     *
     * @throws SchemaMismatchException when the machine has no such device
     */
    public Visitable device(String id) {
        Visitable d = devices.get(id);
        if (d == null) {
            throw unknownId(id);
        }
        return d;
    }

    /**
     * The live device with {@code id} as its Java class.
     *
     * @throws SchemaMismatchException when the machine has no such device or it is of another class
     */
    public <T extends Visitable> T device(String id, Class<T> javaType) {
        Visitable d = device(id);
        if (!javaType.isInstance(d)) {
            throw (SchemaMismatchException) new SchemaMismatchException("device is a "
                    + d.getClass().getSimpleName() + ", expected " + javaType.getSimpleName()).prependField(id);
        }
        return javaType.cast(d);
    }

    /** The type of the device with {@code id}; see {@link #device(String)}. */
    public DeviceType<?> type(String id) {
        DeviceType<?> t = types.get(id);
        if (t == null) {
            throw unknownId(id);
        }
        return t;
    }

    private SchemaMismatchException unknownId(String id) {
        return new SchemaMismatchException("unknown device id \"" + id + "\" in machine " + tree.machine()
                + ", known: " + String.join(", ", devices.keySet()));
    }

    @Override
    public String toString() {
        return "Machine[" + tree.machine() + ", " + devices.keySet() + "]";
    }
}
