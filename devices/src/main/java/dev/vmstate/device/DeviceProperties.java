package dev.vmstate.device;

import dev.vmstate.error.SchemaMismatchException;
import java.util.Map;

/**
 * Typed reads of device-tree properties for {@link Configurable} devices. A property of the wrong
 * type or out of range is a {@link SchemaMismatchException} whose path is
 * {@code properties.<key>}; {@link Machine#build} prepends the device id, giving
 * {@code com1.properties.iobase}.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class DeviceProperties {
    private DeviceProperties() {
    }

    /** The integer property {@code key} in {@code min..max}, or {@code defaultValue} when absent. */
    public static long integer(Map<String, Object> properties, String key, long defaultValue, long min, long max) {
        Object v = properties.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof Long l)) {
            throw mismatch(key, "found " + describe(v) + ", expected an integer");
        }
        if (l < min || l > max) {
            throw mismatch(key, "invalid value " + l + ", expected " + min + ".." + max);
        }
        return l;
    }

    /** The string property {@code key}, or {@code defaultValue} when absent. */
    public static String string(Map<String, Object> properties, String key, String defaultValue) {
        Object v = properties.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof String s)) {
            throw mismatch(key, "found " + describe(v) + ", expected a string");
        }
        return s;
    }

    /** The boolean property {@code key}, or {@code defaultValue} when absent. */
    public static boolean bool(Map<String, Object> properties, String key, boolean defaultValue) {
        Object v = properties.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof Boolean b)) {
            throw mismatch(key, "found " + describe(v) + ", expected a boolean");
        }
        return b;
    }

    /** A property whose value is well typed but not acceptable, e.g. a malformed MAC address. */
    public static SchemaMismatchException invalid(String key, String message) {
        return mismatch(key, message);
    }

    private static SchemaMismatchException mismatch(String key, String message) {
        return (SchemaMismatchException) new SchemaMismatchException(message).prependField(key)
                .prependField("properties");
    }

    private static String describe(Object v) {
        return v instanceof String ? "a string" : v instanceof Boolean ? "a boolean" : "an integer";
    }
}
