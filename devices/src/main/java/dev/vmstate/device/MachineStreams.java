package dev.vmstate.device;

import dev.vmstate.machine.DeviceNode;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.SchemaSource;
import dev.vmstate.spi.StateTargets;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.spi.StreamWriter;
import dev.vmstate.stream.Command;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.GenericState;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.TreeInVisitor;
import dev.vmstate.visitor.Visitable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Machine} as a stream of records, record by record: {@link #save} writes one through a
 * {@link StreamWriter}, {@link #load} reads one back from a {@link StreamReader} opened with
 * {@link #schemas} and {@link #targets}. Nothing here holds more than one record, so a machine's
 * stream never has to fit in memory.
 *
 * <p>Sections are named as QEMU names them (#3): a PCI device is {@code "<pci addr>/<vmsd name>"},
 * an ISA device the bare vmsd name; here the device's {@code addr} property plays the PCI address
 * and its type name the vmsd name. Instance ids count devices with the same id string in the
 * machine's device order, from 0.
 *
 * <p>Stateless and thread-safe; the machines and streams passed in are not.
 *
 * @since 0.1
 */
public final class MachineStreams {
    private MachineStreams() {
    }

    /**
     * A section's name in a stream: QEMU's id string and instance id. Immutable.
     *
     * @param idstr      {@code serial}, {@code 0000:00:03.0/vs-pci-nic}, ...
     * @param instanceId counts sections with the same id string, from 0
     * @since 0.1
     */
    public record SectionKey(String idstr, int instanceId) {
        public SectionKey {
            Objects.requireNonNull(idstr, "idstr");
        }

        @Override
        public String toString() {
            return idstr + "/" + instanceId;
        }
    }

    /**
     * The section key of every device of {@code m}, in {@link Machine#ids()} order: the numbering
     * {@link #save} writes and {@link #targets} inverts.
     */
    public static Map<String, SectionKey> sectionKeys(Machine m) {
        Map<String, SectionKey> keys = new LinkedHashMap<>();
        Map<String, Integer> instances = new HashMap<>();
        for (String id : m.ids()) {
            String idstr = idstr(m.tree().find(id), m.type(id));
            int instance = instances.merge(idstr, 1, Integer::sum) - 1;
            keys.put(id, new SectionKey(idstr, instance));
        }
        return keys;
    }

    private static String idstr(DeviceNode node, DeviceType<?> type) {
        Object addr = node == null ? null : node.properties().get("addr");
        return addr == null ? type.name() : addr + "/" + type.name();
    }

    /**
     * Writes {@code m}: its header (machine type and device tree), one full section per device
     * in {@link Machine#ids()} order (section ids from 0, each with a footer, at its type's
     * version), the end of state and a request to generate the description. Does not close
     * {@code w}.
     */
    public static void save(Machine m, StreamWriter w) {
        w.write(StreamHeader.of(m.machineType(), m.tree()));
        int sectionId = 0;
        for (Map.Entry<String, SectionKey> e : sectionKeys(m).entrySet()) {
            DeviceType<?> type = m.type(e.getKey());
            SectionKey key = e.getValue();
            w.write(new DeviceSection(sectionId++, key.idstr(), key.instanceId(), type.version(), true, type.schema(),
                    m.device(e.getKey())));
        }
        w.write(new EndOfState());
        w.write(Description.generate());
    }

    /**
     * The schemas of {@code r}'s types for a schema-less reader: the id string's last component
     * ({@code 0000:00:03.0/vs-pci-nic} gives {@code vs-pci-nic}) names the type. The stream's
     * version picks the schema: the type's own at its current version, an older one from the
     * type's compat chain (#6), which is how a legacy stream of an old version is read. A version
     * outside the type's supported range fails with a {@link dev.vmstate.error.VersionException}
     * naming the type and the range; an unregistered name is unknown ({@code null}).
     */
    public static SchemaSource schemas(DeviceRegistry r) {
        Objects.requireNonNull(r, "r");
        // Describing a type creates an instance; a reader asks once per section, so keep them.
        Map<String, Schema> cache = new ConcurrentHashMap<>();
        return (idstr, instanceId, version) -> {
            String name = idstr.substring(idstr.lastIndexOf('/') + 1);
            DeviceType<?> type = r.find(name).orElse(null);
            if (type == null) {
                return null;
            }
            return cache.computeIfAbsent(name + "@" + version,
                    n -> version == type.version() ? type.schema() : type.compat().schemaAt(version));
        };
    }

    /**
     * Chooses {@code m}'s device for the section that {@link #save} wrote it as, when the stream's
     * schema for it {@linkplain #fits fits} the device type's schema; {@code null} otherwise, so
     * the reader keeps the section as a {@link dev.vmstate.tree.GenericState}.
     */
    public static StateTargets targets(Machine m) {
        Map<SectionKey, String> ids = new HashMap<>();
        Map<String, Schema> schemas = new HashMap<>();
        sectionKeys(m).forEach((id, key) -> {
            ids.put(key, id);
            schemas.put(id, m.type(id).schema());
        });
        return (idstr, instanceId, version, schema) -> {
            String id = ids.get(new SectionKey(idstr, instanceId));
            return id != null && schema != null && fits(schema, schemas.get(id)) ? m.device(id) : null;
        };
    }

    /**
     * For reading a stream no machine waits for ({@code vmstate dump}): a section of a type
     * {@code r} knows, at the type's current version, is decoded by a new device of that type with
     * its own visitor, when the stream's schema for it (QEMU's vmdesc, say) {@linkplain #fits fits}
     * the type's; any other section is left to the reader's generic tree. So QEMU's {@code serial},
     * {@code mc146818rtc} and {@code i8254} are read by vmstate's models of them.
     */
    public static StateTargets decoders(DeviceRegistry r) {
        Objects.requireNonNull(r, "r");
        return (idstr, instanceId, version, schema) -> {
            DeviceType<?> type = r.find(idstr.substring(idstr.lastIndexOf('/') + 1)).orElse(null);
            if (type == null || schema == null || version != type.version() || !fits(schema, type.schema())) {
                return null;
            }
            return type.create();
        };
    }

    /**
     * Whether a section written with {@code stream} loads into a device of schema {@code type}:
     * the same as {@link Schema#equals}, except that the stream may leave out sections (a schema
     * read from QEMU's vmdesc lists only the subsections that were sent, #3) and that
     * presentation (hints) and the oldest loadable version (a reader's policy, not the layout)
     * are not compared.
     */
    public static boolean fits(Schema stream, Schema type) {
        if (stream == type) {
            return true; // a reader given the registry's schema hands the same instance back
        }
        if (!stream.name().equals(type.name()) || stream.version() != type.version()) {
            return false;
        }
        List<Field> want = type.members();
        int i = 0;
        for (Field f : stream.members()) {
            while (i < want.size() && want.get(i).isSection() && !want.get(i).name().equals(f.name())) {
                i++;
            }
            if (i == want.size() || !fits(f, want.get(i))) {
                return false;
            }
            i++;
        }
        for (; i < want.size(); i++) {
            if (!want.get(i).isSection()) {
                return false;
            }
        }
        return true;
    }

    private static boolean fits(Field stream, Field type) {
        return stream.name().equals(type.name()) && stream.kind() == type.kind() && stream.size() == type.size()
                && stream.length() == type.length() && stream.element() == type.element()
                && Objects.equals(stream.enumNames(), type.enumNames())
                && (stream.struct() == null ? type.struct() == null
                        : type.struct() != null && fits(stream.struct(), type.struct()));
    }

    /**
     * Reads every record of {@code r} and says what became of it. {@code r} must have been opened
     * with {@link #targets targets(m)}, so that device sections are loaded into {@code m}'s devices
     * while they are read; a section the machine lacks, or whose schema differs, is kept generic
     * and reported, not an error. Does not close {@code r}.
     *
     * @throws dev.vmstate.error.VmstateException when the stream is malformed
     */
    public static LoadSummary load(Machine m, StreamReader r) {
        Map<SectionKey, String> ids = new HashMap<>();
        sectionKeys(m).forEach((id, key) -> ids.put(key, id));
        String streamMachine = null;
        List<String> loaded = new ArrayList<>();
        List<String> generic = new ArrayList<>();
        Set<String> untouched = new LinkedHashSet<>(m.ids());
        long chunks = 0;
        long[] pages = new long[RamRecord.Encoding.values().length];
        long commands = 0;
        boolean end = false;
        long descriptionBytes = -1;
        String note;
        for (StreamRecord rec = r.next(); rec != null; rec = r.next()) {
            if (rec instanceof StreamHeader h) {
                streamMachine = h.machineType();
            } else if (rec instanceof DeviceSection s) {
                String label = s.label() + " v" + s.version();
                String id = ids.get(new SectionKey(s.idstr(), s.instanceId()));
                Visitable device = id == null ? null : m.device(id);
                if (device != null && s.state() == device) {
                    loaded.add(id + " <- " + label);
                    untouched.remove(id);
                } else if (device != null && (note = adopt(m.type(id), s, device)) != null) {
                    loaded.add(id + " <- " + label + note);
                    untouched.remove(id);
                } else if (device != null) {
                    generic.add(label + ": its schema differs from " + m.type(id) + " of device " + id);
                } else {
                    generic.add(label + ": no such device in machine " + m.machineType());
                }
            } else if (rec instanceof IterativeSection) {
                chunks++;
            } else if (rec instanceof RamRecord.Page p) {
                pages[p.encoding().ordinal()]++;
            } else if (rec instanceof Command) {
                commands++;
            } else if (rec instanceof EndOfState) {
                end = true;
            } else if (rec instanceof Description d) {
                descriptionBytes = d.isGenerate() ? 0 : d.json().length;
            }
        }
        return new LoadSummary(streamMachine, m.machineType(), loaded, generic, new ArrayList<>(untouched), chunks,
                pages[RamRecord.Encoding.ZERO.ordinal()], pages[RamRecord.Encoding.RAW.ordinal()],
                pages[RamRecord.Encoding.XBZRLE.ordinal()], commands, end, descriptionBytes);
    }

    /**
     * Loads section {@code s}, read generically because its schema is not the device's, into
     * {@code device} when it can (#6): a section of an older version of {@code type} is brought up
     * to date through the type's compat chain, and members a newer writer added that this build
     * does not know are skipped, or refused when must-understand ({@link UnknownMembers}). Returns
     * what was done, for the summary ({@code ""} when nothing needed saying), or {@code null},
     * touching nothing, when the section does not fit the type at its version.
     *
     * @throws dev.vmstate.error.MustUnderstandException when the section holds a must-understand
     *                                                   member this build lacks
     */
    private static String adopt(DeviceType<?> type, DeviceSection s, Visitable device) {
        if (!(s.state() instanceof GenericState g) || s.version() < type.minimumVersion()
                || s.version() > type.version()) {
            return null;
        }
        Schema known = s.version() == type.version() ? type.schema() : type.compat().schemaAt(s.version());
        // the usual case, an older section in exactly the layout the chain gives, needs no projection
        UnknownMembers.Projection p = fits(g.schema(), known) ? new UnknownMembers.Projection(g.tree(), List.of())
                : UnknownMembers.project(g.schema(), g.tree(), known, s.label());
        if (p == null) {
            return null;
        }
        StructValue tree = p.tree();
        StringBuilder note = new StringBuilder();
        if (s.version() < type.version()) {
            // the reader built the tree from a schema that fits schemaAt(version): no need to walk it again
            tree = type.compat().upgradeFitting(tree, s.version());
            note.append(" (upgraded to v").append(type.version()).append(')');
        }
        if (!p.skipped().isEmpty()) {
            note.append(" (skipped unknown ").append(String.join(", ", p.skipped())).append(')');
        }
        TreeInVisitor.load(tree, device);
        return note.toString();
    }
}
