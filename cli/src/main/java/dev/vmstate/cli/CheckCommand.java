package dev.vmstate.cli;

import dev.vmstate.compat.check.CheckReport;
import dev.vmstate.compat.check.CompatChecker;
import dev.vmstate.compat.check.Direction;
import dev.vmstate.compat.check.Problem;
import dev.vmstate.compat.check.SchemaExport;
import dev.vmstate.error.LimitExceededException;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VmstateException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vmstate check OLD NEW [--reverse] [--json]}: the static checker (#6). Compares two schema
 * exports ({@code vmstate schema --all --json} of two builds) and prints every change no compat
 * step accounts for, one line each, then a summary; exit 0 when compatible (warnings allowed),
 * 1 when not, 3 when an export cannot be read. The rules are {@link CompatChecker}'s.
 */
@Command(name = "check", description = {
    "Check two builds' device types for compatibility, like QEMU's vmstate-static-checker: OLD and NEW are "
        + "schema exports (vmstate schema --all --json of each build). Prints every change no compat step "
        + "accounts for, one line per problem (severity, device type, versions, member path, explanation, "
        + "[rule]), then a summary.",
    "Forward (the default): can NEW read every stream OLD writes? --reverse: can NEW, downgrading through "
        + "its steps, write what OLD reads (a migration from NEW back to OLD)?",
    "Exit 0 when compatible (warnings allowed), 1 when anything is incompatible. The rules: docs/compat.md."})
final class CheckCommand implements Callable<Integer> {
    /** Far above any real export (this build's is about 30 KiB); keeps a hostile file from filling the heap. */
    static final long MAX_EXPORT_BYTES = 64L << 20;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OLD", description = "The export of the build before the change.")
    Path old;

    @Parameters(index = "1", paramLabel = "NEW", description = "The export of the build after the change.")
    Path neu;

    @Option(names = "--reverse", description = "Check NEW -> OLD (NEW writes, downgrading; OLD reads) instead.")
    boolean reverse;

    @Option(names = "--json", description = "Print the report as JSON: {\"vmstate_check\": 1, \"old\", \"new\", "
            + "\"direction\", \"compatible\", \"types\", \"errors\", \"warnings\", \"problems\": [{\"severity\", "
            + "\"rule\", \"type\", \"versions\", \"path\", \"message\"}]}.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        SchemaExport o = read(old);
        SchemaExport n = read(neu);
        CheckReport report = CompatChecker.check(o.chains(), n.chains(), reverse ? Direction.REVERSE
                : Direction.FORWARD);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(report.toJson(old.toString(), neu.toString()));
        } else {
            for (Problem p : report.problems()) {
                out.println(p.render());
            }
            out.println(report.summary() + " (OLD " + old + ", NEW " + neu + ")");
        }
        return report.compatible() ? ExitCodes.OK : ExitCodes.NEGATIVE;
    }

    /** The export in {@code file}; anything that is not one is bad input (exit 3) naming the file. */
    static SchemaExport read(Path file) throws IOException {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new BadStreamException(name, new MalformedStreamException("a directory, not a schema export"));
        }
        long size = Files.size(file);
        if (size > MAX_EXPORT_BYTES) {
            throw new BadStreamException(name, new LimitExceededException("schema export of " + size
                    + " bytes exceeds the maximum allowed (" + MAX_EXPORT_BYTES + ")"));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new BadStreamException(name, new MalformedStreamException("not UTF-8 text, so not a schema export"
                    + " (vmstate schema --all --json writes one)", e));
        }
        try {
            return SchemaExport.read(text);
        } catch (VmstateException e) {
            throw new BadStreamException(name, e);
        }
    }
}
