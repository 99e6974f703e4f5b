package dev.vmstate.device;

import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.visitor.Visitable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The device types known to this process, by name: what a machine is built from and what a
 * destination checks a stream's device tree against. Types come from {@link DeviceProvider}s,
 * found on the class path ({@link #load()}) or given explicitly ({@link #of}).
 *
 * <p>Immutable and thread-safe once built.
 *
 * @since 0.1
 */
public final class DeviceRegistry {
    private final Map<String, DeviceType<?>> types;

    private DeviceRegistry(Map<String, DeviceType<?>> types) {
        this.types = Collections.unmodifiableMap(types);
    }

    /**
     * The types of every {@link DeviceProvider} listed in {@code META-INF/services}, seen through
     * the thread's context class loader (or this class's loader when there is none), so a plugin
     * jar added by an application server or the CLI's plugin directory is found.
     *
     * @throws IllegalStateException when two providers register the same type name
     */
    public static DeviceRegistry load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return load(loader != null ? loader : DeviceRegistry.class.getClassLoader());
    }

    /** Like {@link #load()}, through {@code loader}. */
    public static DeviceRegistry load(ClassLoader loader) {
        List<DeviceProvider> providers = new ArrayList<>();
        ServiceLoader.load(DeviceProvider.class, loader).forEach(providers::add);
        return of(providers.toArray(new DeviceProvider[0]));
    }

    /**
     * The types of exactly these providers.
     *
     * @throws IllegalStateException when two providers (or one provider twice) register the same type name
     */
    public static DeviceRegistry of(DeviceProvider... providers) {
        Map<String, DeviceType<?>> types = new TreeMap<>();
        Map<String, DeviceProvider> owners = new TreeMap<>();
        for (DeviceProvider p : providers) {
            Objects.requireNonNull(p, "provider");
            for (DeviceType<?> t : p.deviceTypes()) {
                DeviceProvider previous = owners.putIfAbsent(t.name(), p);
                if (previous != null) {
                    throw new IllegalStateException("device type \"" + t.name() + "\" is registered by both "
                            + previous.getClass().getName() + " and " + p.getClass().getName());
                }
                types.put(t.name(), t);
            }
        }
        return new DeviceRegistry(types);
    }

    /** Every type, sorted by name. */
    public List<DeviceType<?>> types() {
        return List.copyOf(types.values());
    }

    /** The names of every type, sorted. */
    public List<String> names() {
        return List.copyOf(types.keySet());
    }

    /** The type called {@code name}, if registered. */
    public Optional<DeviceType<?>> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /**
     * The type called {@code name}.
     *
     * @throws SchemaMismatchException when no provider registered it; the message lists the known names
     */
    public DeviceType<?> get(String name) {
        DeviceType<?> t = types.get(name);
        if (t == null) {
            String known = types.isEmpty() ? "(none)" : String.join(", ", types.keySet());
            throw new SchemaMismatchException("unknown device type \"" + name + "\", known: " + known);
        }
        return t;
    }

    /** A new instance of type {@code name} in its reset state; see {@link #get(String)}. */
    public Visitable create(String name) {
        return get(name).create();
    }

    @Override
    public String toString() {
        return "DeviceRegistry" + types.keySet();
    }
}
