package dev.vmstate.cli;

import dev.vmstate.compat.Loss;
import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.DeviceType;
import dev.vmstate.device.SectionVersioning;
import dev.vmstate.stream.DeviceSection;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * What {@code vmstate convert} does to the version of each device section (#6): a section of a
 * registered type at an older version is upgraded to the type's current version; a type named in
 * {@code --target-version} is written at that version instead. Sections of unregistered types,
 * or in a layout this build does not know, pass unchanged unless a target version names their
 * type, which is then an error.
 */
final class Versions {
    private final DeviceRegistry registry;
    private final Map<String, Integer> targets;
    private final boolean allowLoss;
    private final CommandLine cmd;

    /** Checks every {@code TYPE=N} against the registry first: a usage error names the type or the range. */
    Versions(DeviceRegistry registry, Map<String, Integer> targets, boolean allowLoss, CommandLine cmd) {
        this.registry = registry;
        this.targets = Map.copyOf(targets);
        this.allowLoss = allowLoss;
        this.cmd = cmd;
        targets.forEach((name, version) -> {
            DeviceType<?> type = registry.find(name).orElseThrow(() -> new ParameterException(cmd,
                    "--target-version: unknown device type \"" + name + "\"; known: "
                            + String.join(", ", registry.names())));
            if (version < type.minimumVersion() || version > type.version()) {
                throw new ParameterException(cmd, "--target-version: " + name + " supports versions "
                        + type.minimumVersion() + ".." + type.version() + ", not " + version);
            }
        });
    }

    /** {@code s} at the version it is to be written at. */
    DeviceSection apply(DeviceSection s) {
        String name = s.idstr().substring(s.idstr().lastIndexOf('/') + 1);
        DeviceType<?> type = registry.find(name).orElse(null);
        if (type == null) {
            return s;
        }
        Integer target = targets.get(name);
        if (target == null) {
            if (s.version() >= type.version() || !SectionVersioning.convertible(s, type)) {
                return s;
            }
            target = type.version();
        }
        return SectionVersioning.atVersion(s, type, target, allowLoss, this::report);
    }

    private void report(Loss loss) {
        cmd.getErr().printf("vmstate: dropped %s = %s for %s v%d (%s)%n", loss.path(), loss.value(),
                loss.path().split("\\.", 2)[0], loss.targetVersion(), loss.what());
    }
}
