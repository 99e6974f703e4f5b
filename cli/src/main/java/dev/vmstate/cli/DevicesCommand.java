package dev.vmstate.cli;

import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.DeviceType;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vmstate devices}: the registered device types with their versions. */
@Command(name = "devices", description = "List the registered device types with version and minimum version.")
final class DevicesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        DeviceRegistry registry = DeviceRegistry.load();
        int width = registry.names().stream().mapToInt(String::length).max().orElse(4);
        for (DeviceType<?> t : registry.types()) {
            out.printf("%-" + width + "s  v%-3d min %-3d %s%n", t.name(), t.version(), t.minimumVersion(), t.description());
        }
    }
}
