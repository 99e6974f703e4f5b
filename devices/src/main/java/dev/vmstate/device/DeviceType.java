package dev.vmstate.device;

import dev.vmstate.compat.CompatChain;
import dev.vmstate.schema.Schema;
import dev.vmstate.visitor.DescribeVisitor;
import dev.vmstate.visitor.Visitable;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A kind of device the registry can create: its type name (the section id string a stream
 * carries, QEMU's {@code vmsd->name}), the version it saves, the oldest version it loads, a
 * one-line description, and a factory for new instances in their reset state.
 *
 * <p>Immutable and thread-safe, provided the factory is (every built-in factory is a
 * constructor reference). Identity is by name: two types are equal when their names, versions
 * and Java classes are.
 *
 * @param <T> the Java class of the device
 * @since 0.1
 */
public final class DeviceType<T extends Visitable> {
    // The same characters QEMU accepts in an idstr that is also a file-friendly name.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final String name;
    private final int version;
    private final int minimumVersion;
    private final String description;
    private final Class<T> javaType;
    private final Supplier<? extends T> factory;
    /** The steps from {@link #minimumVersion} to {@link #version}, built on the current schema. */
    private final Function<Schema, CompatChain> history;
    private volatile CompatChain compat;

    private DeviceType(String name, int version, int minimumVersion, String description, Class<T> javaType,
                       Supplier<? extends T> factory, Function<Schema, CompatChain> history) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
        this.javaType = Objects.requireNonNull(javaType, "javaType");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.history = Objects.requireNonNull(history, "history");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid device type name \"" + name
                    + "\": use 1-64 letters, digits, '-', '_' or '.'");
        }
        if (minimumVersion < 0 || minimumVersion > version) {
            throw new IllegalArgumentException("minimumVersion " + minimumVersion + " of " + name
                    + " is outside 0.." + version);
        }
        if (description.isBlank() || description.indexOf('\n') >= 0 || description.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("description of " + name + " must be one non-blank line");
        }
        this.version = version;
        this.minimumVersion = minimumVersion;
    }

    /**
     * A device type.
     *
     * @param name           the type name, unique in a registry
     * @param version        the version this implementation saves
     * @param minimumVersion the oldest version it still loads
     * @param description    one line for listings
     * @param javaType       the class {@code factory} creates
     * @param factory        a new instance in its reset state on each call
     */
    public static <T extends Visitable> DeviceType<T> of(String name, int version, int minimumVersion,
                                                         String description, Class<T> javaType,
                                                         Supplier<? extends T> factory) {
        return new DeviceType<>(name, version, minimumVersion, description, javaType, factory,
                current -> CompatChain.of(current).minimum(current.version()).build());
    }

    /**
     * This type with its version history (#6): {@code history} builds, from the current schema,
     * the chain of compat steps from {@link #minimumVersion} to {@link #version}. Without one, a
     * type loads only its current version.
     */
    public DeviceType<T> withHistory(Function<Schema, CompatChain> history) {
        return new DeviceType<>(name, version, minimumVersion, description, javaType, factory, history);
    }

    /**
     * The compat chain of this type: the schema of each supported version, upgrade and
     * downgrade between them. Built once, on first use; fails with an
     * {@code IllegalArgumentException} naming the step when the declared history does not fit
     * the current schema or does not reach back to {@link #minimumVersion}.
     */
    public CompatChain compat() {
        CompatChain c = compat;
        if (c == null) {
            c = history.apply(schema());
            if (c.version() != version || c.minimumVersion() != minimumVersion) {
                throw new IllegalArgumentException("the history of device type " + name + " covers versions "
                        + c.minimumVersion() + ".." + c.version() + ", the type " + minimumVersion + ".." + version);
            }
            compat = c;
        }
        return c;
    }

    /** The type name, e.g. {@code serial}. */
    public String name() {
        return name;
    }

    /** The version this implementation saves. */
    public int version() {
        return version;
    }

    /** The oldest version this implementation loads. */
    public int minimumVersion() {
        return minimumVersion;
    }

    /** One line for listings such as {@code vmstate devices}. */
    public String description() {
        return description;
    }

    /** The Java class of instances. */
    public Class<T> javaType() {
        return javaType;
    }

    /** A new instance in its reset state. */
    public T create() {
        T device = factory.get();
        if (!javaType.isInstance(device)) {
            throw new IllegalStateException("factory of device type " + name + " returned "
                    + (device == null ? "null" : device.getClass().getName()) + ", expected " + javaType.getName());
        }
        return device;
    }

    /** The schema of this type's current version, described from a new instance. */
    public Schema schema() {
        return DescribeVisitor.describe(name, version, minimumVersion, create());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceType<?> t && t.name.equals(name) && t.version == version
                && t.minimumVersion == minimumVersion && t.javaType.equals(javaType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, version, minimumVersion, javaType);
    }

    @Override
    public String toString() {
        return name + " v" + version + " (min " + minimumVersion + ")";
    }
}
