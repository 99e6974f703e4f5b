package dev.vmstate.format.legacy;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.binary.BinaryBody;
import dev.vmstate.internal.Json;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.tree.GenericState;
import dev.vmstate.internal.JsonValues;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.schema.SchemaLimits;
import dev.vmstate.spi.SchemaSource;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.ArrayValue;
import dev.vmstate.tree.StateTree.BytesValue;
import dev.vmstate.tree.StateTree.ListValue;
import dev.vmstate.tree.StateTree.SectionValue;
import dev.vmstate.tree.StateTree.StrValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * QEMU's vmdesc: the JSON trailer describing every device section, written in QEMU 7.2's exact
 * layout (compact, {@code ", "} and {@code ": "}, keys in QEMU's order, {@code size} measured
 * from the bytes written) and read back into {@link Schema}s, so a schema-less legacy stream can
 * be decoded by anyone holding it. vmstate's additions (kinds QEMU has no type for, hints, the
 * device tree) are extra keys QEMU ignores; docs/formats/legacy.md lists them.
 *
 * @since 0.1
 */
public final class LegacyDescription {
    private LegacyDescription() {
    }

    /** One described section: where it is and the body it was written with (for measured sizes). */
    record Entry(String idstr, int instanceId, Schema schema, byte[] body) {
        StructValue state() {
            GenericState g = new GenericState(schema);
            BinaryBody.load(body, g, ReadLimits.defaults().toBuilder().maxStringLength(Integer.MAX_VALUE)
                    .maxBytesLength(Integer.MAX_VALUE).maxListLength(Integer.MAX_VALUE).build());
            return g.tree();
        }
    }

    /** The vmdesc JSON for {@code entries} in stream order, with the device tree as an extra key. */
    static byte[] build(List<Entry> entries, DeviceTree tree) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("page_size", (long) RamRecord.PAGE_SIZE);
        List<Object> devices = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", e.idstr());
            d.put("instance_id", (long) e.instanceId());
            d.put("vmsd_name", e.schema().name());
            d.put("version", (long) e.schema().version());
            if (e.schema().minimumVersion() != e.schema().version()) {
                d.put("minimum_version", (long) e.schema().minimumVersion());
            }
            body(d, e.schema(), e.state());
            // QEMU's entry lists only the subsections sent; the whole schema (every section, hints,
            // minimum version) follows as an extension key so a reader gets back exactly what was written.
            d.put(LegacyConstants.SCHEMA_KEY, SchemaJson.toMap(e.schema()));
            devices.add(d);
        }
        top.put("devices", devices);
        if (tree != null) {
            top.put(LegacyConstants.DEVICE_TREE_KEY, tree.toMap());
        }
        return Json.compact(top).getBytes(StandardCharsets.UTF_8);
    }

    private static void body(Map<String, Object> out, Schema s, StructValue state) {
        List<Object> fields = new ArrayList<>();
        List<Object> subsections = new ArrayList<>();
        for (Field f : s.members()) {
            StateTree v = state == null ? null : state.get(f.name());
            if (f.isSection()) {
                if (v instanceof SectionValue sv) {
                    Map<String, Object> sub = new LinkedHashMap<>();
                    sub.put("vmsd_name", f.name());
                    sub.put("version", (long) sv.version());
                    body(sub, f.struct(), sv.body());
                    subsections.add(sub);
                }
            } else {
                fields.add(field(f, v));
            }
        }
        out.put("fields", fields);
        if (!subsections.isEmpty()) {
            out.put("subsections", subsections);
        }
    }

    private static Map<String, Object> struct(Schema s, StructValue v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vmsd_name", s.name());
        m.put("version", (long) s.version());
        body(m, s, v);
        return m;
    }

    private static Map<String, Object> field(Field f, StateTree v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        switch (f.kind()) {
            case ARRAY -> {
                m.put("array_len", (long) f.length());
                m.put("type", f.element().typeName());
            }
            case VARRAY -> {
                m.put("type", f.element().typeName());
                m.put("varray", Boolean.TRUE);
            }
            case STRUCT -> {
                if (f.length() > 0) {
                    // QEMU describes a struct array by its first element ("compressed")
                    m.put("array_len", (long) f.length());
                    m.put("type", "struct");
                    List<StructValue> items = v instanceof ListValue l ? l.items() : List.of();
                    m.put("struct", struct(f.struct(), items.isEmpty() ? null : items.get(0)));
                    m.put("size", (long) (items.isEmpty() ? 0 : BodySizes.struct(f.struct(), items.get(0))));
                    return m;
                }
                m.put("type", "struct");
                m.put("struct", struct(f.struct(), v instanceof StructValue sv ? sv : null));
            }
            case LIST -> {
                m.put("type", "list");
                List<StructValue> items = v instanceof ListValue l ? l.items() : List.of();
                m.put("struct", struct(f.struct(), items.isEmpty() ? null : items.get(0)));
            }
            case ENUM -> {
                m.put("type", "enum");
                Map<String, Object> names = new LinkedHashMap<>();
                f.enumNames().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(e -> names.put(Long.toString(e.getKey()), e.getValue()));
                m.put("names", names);
            }
            case I64 -> m.put("type", f.hint() == Hint.TIMER ? "timer" : "int64");
            default -> m.put("type", f.kind().typeName());
        }
        if (f.hint() != null && !(f.hint() == Hint.TIMER && f.kind() == Kind.I64)) {
            m.put("hint", SchemaJson.hintToJson(f.hint()));
        }
        m.put("size", (long) BodySizes.field(f, v));
        return m;
    }

    // ---- reading -------------------------------------------------------------------------

    /** What a vmdesc tells a reader: a schema per (idstr, instance) and the device tree, if any. */
    public record Parsed(Map<String, Schema> schemas, DeviceTree deviceTree) {
        /**
         * A schema source answering from this description. An old-style QEMU device (no vmsd, one
         * {@code data} buffer; {@link #ANY_VERSION}) answers for whatever version its section header names.
         */
        public SchemaSource source() {
            return (idstr, instanceId, version) -> {
                Schema s = schemas.get(idstr + "\u0000" + instanceId);
                if (s != null && s.version() == ANY_VERSION) {
                    return s.withVersions(version, version);
                }
                return s != null && s.version() == version ? s : null;
            };
        }
    }

    /** The version of a described old-style (save_state) device: its entry names none. */
    static final int ANY_VERSION = Integer.MIN_VALUE;

    /**
     * Parses a vmdesc; a malformed one is a {@link MalformedStreamException} naming the JSON path,
     * a schema beyond {@code limits} a limit error naming the section ({@link SchemaLimits}).
     */
    public static Parsed parse(byte[] json, ReadLimits limits) {
        Parsed p = parse(json);
        p.schemas().forEach((key, schema) -> SchemaLimits.check(schema, limits));
        return p;
    }

    /** Parses a vmdesc; a malformed one is a {@link MalformedStreamException} naming the JSON path. */
    public static Parsed parse(byte[] json) {
        Map<String, Object> top = JsonValues.object(Json.parse(new String(json, StandardCharsets.UTF_8)), "vmdesc");
        Map<String, Schema> schemas = new HashMap<>();
        List<Object> devices = JsonValues.array(top.getOrDefault("devices", List.of()), "vmdesc.devices");
        for (int i = 0; i < devices.size(); i++) {
            String at = "vmdesc.devices[" + i + "]";
            Map<String, Object> d = JsonValues.object(devices.get(i), at);
            String idstr = JsonValues.string(d, "name", at);
            int instance = (int) JsonValues.integer(d, "instance_id", at);
            if (!d.containsKey("vmsd_name")) {
                // an old-style save_state device (QEMU's slirp): one opaque "data" buffer of "size" bytes
                List<Field> members = new ArrayList<>();
                List<Object> fields = JsonValues.array(d.getOrDefault("fields", List.of()), at + ".fields");
                for (int k = 0; k < fields.size(); k++) {
                    String fat = at + ".fields[" + k + "]";
                    Map<String, Object> f = JsonValues.object(fields.get(k), fat);
                    members.add(Field.buffer(JsonValues.string(f, "name", fat),
                            (int) nonNegative(JsonValues.integer(f, "size", fat), fat + ".size")));
                }
                schemas.put(idstr + "\u0000" + instance, new Schema(idstr, ANY_VERSION, ANY_VERSION, members));
                continue;
            }
            if (d.get(LegacyConstants.SCHEMA_KEY) instanceof Map<?, ?> full) {
                schemas.put(idstr + "\u0000" + instance, SchemaJson.fromMap(JsonValues.object(full, at)));
                continue;
            }
            Schema s = schema(d, at);
            int min = (int) JsonValues.integer(d, "minimum_version", s.version(), at);
            schemas.put(idstr + "\u0000" + instance, s.withVersions(s.version(), min));
        }
        DeviceTree tree = top.get(LegacyConstants.DEVICE_TREE_KEY) instanceof Map<?, ?> m
                ? DeviceTree.fromMap(JsonValues.object(m, "vmdesc." + LegacyConstants.DEVICE_TREE_KEY)) : null;
        return new Parsed(Map.copyOf(schemas), tree);
    }

    private static Schema schema(Map<String, Object> m, String at) {
        String name = JsonValues.string(m, "vmsd_name", at);
        int version = (int) JsonValues.integer(m, "version", at);
        List<Field> members = new ArrayList<>();
        List<Object> fields = JsonValues.array(m.getOrDefault("fields", List.of()), at + ".fields");
        for (int i = 0; i < fields.size(); i++) {
            String fat = at + ".fields[" + i + "]";
            Map<String, Object> f = JsonValues.object(fields.get(i), fat);
            if (!f.containsKey("index")) {
                members.add(fieldFrom(f, fat));
                continue;
            }
            // QEMU describes an array it cannot compress with one entry per element ("index": 0, 1, ...);
            // the entries of one array follow each other and share name and layout.
            String array = JsonValues.string(f, "name", fat);
            if (JsonValues.integer(f, "index", fat) != 0) {
                throw new MalformedStreamException(fat + ".index: array \"" + array + "\" does not start at index 0");
            }
            int n = 1;
            while (i + n < fields.size() && fields.get(i + n) instanceof Map<?, ?> next
                    && array.equals(next.get("name")) && next.get("index") instanceof Number k && k.longValue() == n) {
                n++;
            }
            Field first = fieldFrom(f, fat);
            members.add(elements(first, n, fat));
            i += n - 1;
        }
        List<Object> subs = JsonValues.array(m.getOrDefault("subsections", List.of()), at + ".subsections");
        for (int i = 0; i < subs.size(); i++) {
            String sat = at + ".subsections[" + i + "]";
            Schema body = schema(JsonValues.object(subs.get(i), sat), sat);
            members.add(Field.section(body.name(), body));
        }
        return new Schema(name, version, version, members);
    }

    /** An array of {@code n} elements each laid out as {@code element}. */
    private static Field elements(Field element, int n, String at) {
        return switch (element.kind()) {
            case STRUCT -> {
                if (element.length() > 0) {
                    throw new MalformedStreamException(at + ": an indexed array of compressed arrays is not supported");
                }
                yield Field.struct(element.name(), element.struct(), n);
            }
            case BUFFER -> Field.buffer(element.name(), element.size() * n);
            default -> {
                if (element.kind().isScalar() && element.kind() != Kind.ENUM) {
                    Field a = Field.array(element.name(), element.kind(), n);
                    yield new Field(a.name(), a.kind(), a.size(), a.length(), a.element(), null, element.hint(), null);
                }
                throw new MalformedStreamException(at + ": an indexed array of " + element.kind().typeName()
                        + " is not supported");
            }
        };
    }

    /**
     * The vmstate kind of a QEMU VMStateInfo name: the integer types and their checked variants
     * ({@code "uint32 equal"}, {@code "int32 le"}: same bytes, the check is the loader's), or
     * {@code null} for a type vmstate decodes as an opaque buffer of the entry's {@code size}.
     */
    private static Kind qemuKind(String type) {
        String base = type.endsWith(" equal") ? type.substring(0, type.length() - 6)
                : type.equals("int32 le") ? "int32" : type;
        Kind k = Kind.fromTypeName(base);
        return k != null && k.isScalar() && k != Kind.ENUM && k.width() > 0 ? k : null;
    }

    private static Field fieldFrom(Map<String, Object> m, String at) {
        String name = JsonValues.string(m, "name", at);
        String type = JsonValues.string(m, "type", at);
        Hint hint = m.containsKey("hint") ? SchemaJson.hintFromJson(m.get("hint"), at + ".hint") : null;
        long size = JsonValues.integer(m, "size", -1, at);
        switch (type) {
            case "struct": {
                Schema s = schema(JsonValues.object(m.get("struct"), at + ".struct"), at + ".struct");
                return Field.struct(name, s, (int) nonNegative(JsonValues.integer(m, "array_len", 0, at), at));
            }
            case "list":
                return Field.list(name, schema(JsonValues.object(m.get("struct"), at + ".struct"), at + ".struct"));
            case "enum": {
                Map<Long, String> names = new LinkedHashMap<>();
                JsonValues.object(m.get("names"), at + ".names").forEach((k, v) -> names.put(code(k, at), String.valueOf(v)));
                return Field.enumeration(name, names);
            }
            case "buffer":
            case "unused_buffer":
                return Field.buffer(name, (int) nonNegative(size, at + ".size"));
            case "string":
                return Field.variable(name, Kind.STR);
            case "bytes":
                return Field.variable(name, Kind.BYTES);
            case "timer":
                return Field.scalar(name, Kind.I64, Hint.TIMER);
            default:
                break;
        }
        Kind kind = qemuKind(type);
        if (kind == null || (size >= 0 && size != kind.width())) {
            // A QEMU type vmstate has no kind for ("pci config", "virtio", "tmp", "bitmap", 7.2's
            // one-byte null-pointer marker named "uint64", ...): the entry's size says how many bytes.
            if (size < 0) {
                throw new MalformedStreamException(at + ".type: type \"" + type + "\" has no vmstate kind"
                        + " and the entry gives no size");
            }
            long n = m.containsKey("array_len") ? nonNegative(JsonValues.integer(m, "array_len", at), at) : 1;
            return Field.buffer(name, (int) nonNegative(size * n, at + ".size"));
        }
        if (m.containsKey("array_len")) {
            Field f = Field.array(name, kind, (int) nonNegative(JsonValues.integer(m, "array_len", at), at));
            return new Field(f.name(), f.kind(), f.size(), f.length(), f.element(), null, hint, null);
        }
        if (Boolean.TRUE.equals(m.get("varray"))) {
            Field f = Field.varray(name, kind);
            return new Field(f.name(), f.kind(), f.size(), f.length(), f.element(), null, hint, null);
        }
        return Field.scalar(name, kind, hint);
    }

    private static long code(String k, String at) {
        try {
            return Long.parseLong(k);
        } catch (NumberFormatException e) {
            throw new MalformedStreamException(at + ".names: \"" + k + "\" is not an integer code");
        }
    }

    private static long nonNegative(long v, String at) {
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new MalformedStreamException(at + ": " + v + " is not a valid size");
        }
        return v;
    }

    /** Bytes each member takes in the body encoding, as QEMU's vmdesc {@code size} reports them. */
    static final class BodySizes {
        private BodySizes() {
        }

        static int struct(Schema s, StructValue v) {
            int n = 0;
            for (Field f : s.members()) {
                StateTree m = v == null ? null : v.get(f.name());
                if (f.isSection()) {
                    if (m instanceof SectionValue sv) {
                        n += 1 + 1 + f.name().getBytes(StandardCharsets.UTF_8).length + 4 + struct(f.struct(), sv.body());
                    }
                } else {
                    n += field(f, m);
                }
            }
            return n;
        }

        static int field(Field f, StateTree v) {
            return switch (f.kind()) {
                case BUFFER -> f.size();
                case STR -> 4 + (v instanceof StrValue s ? s.value().getBytes(StandardCharsets.UTF_8).length : 0);
                case BYTES -> 4 + (v instanceof BytesValue b ? b.length() : 0);
                case ARRAY -> f.element().width();
                case VARRAY -> 4 + (v instanceof ArrayValue a ? a.length() : 0) * f.element().width();
                case STRUCT -> {
                    if (f.length() > 0) {
                        int n = 0;
                        for (StructValue item : v instanceof ListValue l ? l.items() : List.<StructValue>of()) {
                            n += struct(f.struct(), item);
                        }
                        yield n;
                    }
                    yield struct(f.struct(), v instanceof StructValue sv ? sv : null);
                }
                case LIST -> {
                    int n = 4;
                    for (StructValue item : v instanceof ListValue l ? l.items() : List.<StructValue>of()) {
                        n += struct(f.struct(), item);
                    }
                    yield n;
                }
                default -> f.kind().width();
            };
        }
    }
}
