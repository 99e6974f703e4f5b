package dev.vmstate.stream;

import dev.vmstate.schema.Schema;
import dev.vmstate.visitor.Visitable;
import java.util.Objects;

/**
 * A whole device section (QEMU's {@code QEMU_VM_SECTION_FULL}): which device instance it is,
 * the version its state is written in, and the state itself.
 *
 * <p>On write, {@code state} is the device (or a {@link dev.vmstate.tree.GenericState}) and
 * {@code schema} its description at {@code version}. On read, {@code state} is the object the
 * reader loaded the body into: the caller's device when it supplied one, otherwise a
 * {@code GenericState} holding the values as a tree.
 *
 * @param sectionId  the stream's id for this section, repeated in its footer
 * @param idstr      QEMU's id string: {@code serial}, {@code 0000:00:02.0/e1000}, ...
 * @param instanceId the instance of {@code idstr}
 * @param version    the version of the section's state
 * @param footer     whether the section ends with a footer ({@code 7E be32 id}); QEMU 2.3 and older have none
 * @param schema     the state's schema at {@code version}
 * @param state      the state
 * @since 0.1
 */
public record DeviceSection(int sectionId, String idstr, int instanceId, int version, boolean footer, Schema schema,
                            Visitable state) implements StreamRecord {
    public DeviceSection {
        Objects.requireNonNull(idstr, "idstr");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(state, "state");
    }

    /** {@code idstr} and instance, as error messages and dumps name a section: {@code serial/0}. */
    public String label() {
        return idstr + "/" + instanceId;
    }
}
