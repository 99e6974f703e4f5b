package dev.vmstate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level {@code vmstate} command: subcommands only. */
@Command(name = "vmstate",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Describe, save, load and check the state of virtual-machine devices.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:success",
            "1:a negative answer (a check found an incompatibility, a diff found a difference)",
            "2:usage error",
            "3:bad input (malformed or hostile stream, missing file, limit exceeded)",
            "70:internal error (stack trace with --debug)",
        },
        subcommands = {DevicesCommand.class, SchemaCommand.class, MachineCommand.class, DemoCommand.class})
final class VmstateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
