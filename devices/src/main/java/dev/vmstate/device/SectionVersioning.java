package dev.vmstate.device;

import dev.vmstate.compat.CompatChain;
import dev.vmstate.compat.Conversion;
import dev.vmstate.compat.Loss;
import dev.vmstate.error.SchemaMismatchException;
import dev.vmstate.schema.Schema;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Visitables;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Brings a device section of a registered type to another version of that type through the
 * type's compat chain (#6): up to the current version when a stream is converted, down to the
 * version an older peer takes when asked ({@code vmstate convert --target-version}). The
 * section's state becomes a {@link GenericState} of the target version's schema; its id string,
 * instance, section id and footer are kept.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class SectionVersioning {
    private SectionVersioning() {
    }

    /**
     * Whether {@code s} is a section of {@code type} at a version the type's chain knows, in that
     * version's layout: only such a section can change versions.
     */
    public static boolean convertible(DeviceSection s, DeviceType<?> type) {
        return s.version() >= type.minimumVersion() && s.version() <= type.version()
                && MachineStreams.fits(s.schema(), type.compat().schemaAt(s.version()));
    }

    /**
     * {@code s} at version {@code target} of {@code type}: upgraded, downgraded, or {@code s}
     * itself when it is at that version already.
     *
     * @param allowLoss when false, a conversion that would drop a value other than its default
     *                  fails with a {@link dev.vmstate.error.LossyDowngradeException} naming the
     *                  path, the value and the target version; when true, each dropped value goes
     *                  to {@code losses}
     * @throws SchemaMismatchException when {@code s} is not {@link #convertible} for {@code type}
     * @throws dev.vmstate.error.VersionException when {@code target} is outside the type's range
     */
    public static DeviceSection atVersion(DeviceSection s, DeviceType<?> type, int target, boolean allowLoss,
            Consumer<Loss> losses) {
        Objects.requireNonNull(losses, "losses");
        CompatChain chain = type.compat();
        Schema targetSchema = chain.schemaAt(target); // fails first on a version the type never had
        if (s.version() == target) {
            return s;
        }
        if (!convertible(s, type)) {
            throw (SchemaMismatchException) new SchemaMismatchException("section " + s.label() + " v" + s.version()
                    + " is not in the layout of " + type.name() + " v" + s.version()
                    + " this build knows, so it cannot be brought to another version").inSection(s.label());
        }
        StructValue tree = s.state() instanceof GenericState g ? g.tree() : Visitables.toTree(type.name(), s.state());
        if (s.version() < chain.version()) {
            Conversion up = chain.upgrade(tree, s.version(), allowLoss);
            up.losses().forEach(losses);
            tree = up.tree();
        }
        if (target < chain.version()) {
            Conversion down = chain.downgrade(tree, target, allowLoss);
            down.losses().forEach(losses);
            tree = down.tree();
        }
        return new DeviceSection(s.sectionId(), s.idstr(), s.instanceId(), target, s.footer(), targetSchema,
                new GenericState(targetSchema, tree));
    }
}
