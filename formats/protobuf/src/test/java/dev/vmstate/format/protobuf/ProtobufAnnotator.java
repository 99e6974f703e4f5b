package dev.vmstate.format.protobuf;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vmstate.format.protobuf.internal.PlainList;
import dev.vmstate.format.protobuf.internal.PlainMap;
import dev.vmstate.format.protobuf.internal.Record;
import dev.vmstate.format.protobuf.internal.SchemaRecord;
import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.schema.SchemaJson;
import dev.vmstate.testkit.AnnotatedHex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes a {@code protobuf} stream as annotated hex, one field per line: the golden file's
 * {@code .hex.txt} and the worked example of {@code docs/formats/protobuf.md} §7. Records are
 * named from the descriptors generated from {@code vmstate.proto}; a state's fields from the
 * stream's schema records, as a reader names them (§5). A {@code PlainEntry} whose value is a
 * scalar takes one line, {@code "key": value}. For trusted input (our own output) only.
 */
final class ProtobufAnnotator {
    private final byte[] b;
    private final AnnotatedHex out;
    private final List<Schema> schemas = new ArrayList<>();
    /** The schema id of the device record being annotated. */
    private int schemaId;

    private ProtobufAnnotator(byte[] b, String title) {
        this.b = b;
        this.out = new AnnotatedHex(b, title, "field (number): value");
    }

    static String annotate(byte[] stream, String title) {
        ProtobufAnnotator a = new ProtobufAnnotator(stream, title);
        int pos = a.out.envelope();
        int n = 0;
        while (pos < stream.length) {
            pos = a.record(pos, n++);
        }
        return a.out.toString();
    }

    // ---------------------------------------------------------------- wire

    private int pos;

    private long varint() {
        long v = 0;
        for (int s = 0; ; s += 7) {
            int x = b[pos++];
            v |= (long) (x & 0x7F) << s;
            if (x >= 0) {
                return v;
            }
        }
    }

    private long fixed64() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) (b[pos++] & 0xFF) << (8 * i);
        }
        return v;
    }

    private int record(int at, int n) {
        pos = at;
        long len = varint();
        int end = pos + (int) len;
        out.line(at, pos, 0, "#" + n + " record, " + len + " bytes");
        message(Record.getDescriptor(), pos, end, 1);
        return end;
    }

    /** The fields of a message of type {@code d} in {@code b[from, to)}. */
    private void message(Descriptor d, int from, int to, int depth) {
        pos = from;
        while (pos < to) {
            int at = pos;
            int tag = (int) varint();
            int number = tag >>> 3;
            FieldDescriptor f = d.findFieldByNumber(number);
            String name = (f == null ? "?" : f.getName()) + " (" + number + "): ";
            switch (tag & 7) {
                case 0 -> {
                    long v = varint();
                    out.line(at, pos, depth, name + scalar(f, v));
                }
                case 1 -> {
                    long v = fixed64();
                    out.line(at, pos, depth, name + Long.toUnsignedString(v));
                }
                default -> {
                    int len = (int) varint();
                    int start = pos;
                    int end = start + len;
                    if (f != null && f.getType() == FieldDescriptor.Type.MESSAGE) {
                        nested(f, name, at, start, end, depth);
                    } else if (f != null && f.getType() == FieldDescriptor.Type.STRING) {
                        out.line(at, end, depth, name + quote(new String(b, start, len, StandardCharsets.UTF_8)));
                    } else {
                        out.line(at, end, depth, name + bytes(start, len));
                    }
                    pos = end;
                }
            }
        }
    }

    private void nested(FieldDescriptor f, String name, int at, int start, int end, int depth) {
        Descriptor type = f.getMessageType();
        switch (type.getName()) {
            case "State" -> {
                out.line(at, start, depth, name + "State of schema " + schemaId + ", " + (end - start) + " bytes");
                state(schemas.get(schemaId), start, end, depth + 1);
            }
            case "PlainEntry" -> {
                pos = start;
                varint();
                int keyLen = (int) varint();
                String key = quote(new String(b, pos, keyLen, StandardCharsets.UTF_8));
                pos += keyLen;
                varint();
                varint();
                plainValue(at, pos, end, depth, key + ": ");
            }
            case "PlainValue" -> plainValue(at, start, end, depth, "");
            default -> {
                out.line(at, start, depth, name + type.getName() + ", " + (end - start) + " bytes");
                if (type.getName().equals("Device")) {
                    schemaId = 0;
                }
                message(type, start, end, depth + 1);
                if (type.getName().equals("SchemaRecord")) {
                    schemas.add(schemaOf(start, end));
                }
            }
        }
        pos = end;
    }

    /** The PlainValue in {@code b[valueStart, end)}: a scalar on one line, a list or map opening its own lines. */
    private void plainValue(int lineAt, int valueStart, int end, int depth, String prefix) {
        pos = valueStart;
        int tag = b[pos] & 0xFF;
        int kind = tag >>> 3;
        if (kind <= 4) {
            out.line(lineAt, end, depth, prefix + plainScalar(tag));
            return;
        }
        varint();
        if (varint() == 0) {
            out.line(lineAt, pos, depth, prefix + (kind == 5 ? "[]" : "{}"));
            return;
        }
        out.line(lineAt, pos, depth, prefix + (kind == 5 ? "[" : "{"));
        message(kind == 5 ? PlainList.getDescriptor() : PlainMap.getDescriptor(), pos, end, depth + 1);
    }

    /** The scalar a PlainValue holds, its tag at {@code pos}. */
    private String plainScalar(int tag) {
        varint();
        int field = tag >>> 3;
        if (field == 4) {
            int len = (int) varint();
            String s = new String(b, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return quote(s);
        }
        long v = varint();
        return switch (field) {
            case 1 -> "null";
            case 2 -> v != 0 ? "true" : "false";
            default -> Long.toString(CodedInputStream.decodeZigZag64(v));
        };
    }

    private Schema schemaOf(int from, int to) {
        try {
            return SchemaJson.fromMap(SchemaSpecs.map(SchemaRecord.parseFrom(Arrays.copyOfRange(b, from, to))
                    .getSchema()));
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private String scalar(FieldDescriptor f, long v) {
        if (f == null) {
            return Long.toUnsignedString(v);
        }
        if (f.getName().equals("schema") && f.getContainingType().getName().equals("Device")) {
            schemaId = (int) v;
        }
        return switch (f.getType()) {
            case BOOL -> v != 0 ? "true" : "false";
            case SINT64, SINT32 -> Long.toString(CodedInputStream.decodeZigZag64(v));
            case INT32 -> Integer.toString((int) v);
            case ENUM -> {
                EnumValueDescriptor e = f.getEnumType().findValueByNumber((int) v);
                yield (e == null ? "?" : e.getName()) + " (" + v + ")";
            }
            default -> Long.toUnsignedString(v);
        };
    }

    // ---------------------------------------------------------------- states, named from the schema

    private void state(Schema s, int from, int to, int depth) {
        pos = from;
        while (pos < to) {
            int at = pos;
            int tag = (int) varint();
            Field f = s.members().get((tag >>> 3) - 1);
            String name = f.name() + " (" + (tag >>> 3) + "): ";
            switch (f.kind()) {
                case BOOL -> {
                    boolean v = varint() != 0;
                    out.line(at, pos, depth, name + v);
                }
                case I8, I16, I32, I64 -> {
                    long v = CodedInputStream.decodeZigZag64(varint());
                    out.line(at, pos, depth, name + v);
                }
                case U8, U16, U32 -> {
                    long v = varint();
                    out.line(at, pos, depth, name + v);
                }
                case ENUM -> {
                    long v = varint();
                    out.line(at, pos, depth, name + v + " (" + f.enumNames().get(v) + ")");
                }
                case U64 -> {
                    long v = fixed64();
                    out.line(at, pos, depth, name + Long.toUnsignedString(v));
                }
                case F64 -> {
                    long bits = fixed64();
                    double d = Double.longBitsToDouble(bits);
                    out.line(at, pos, depth, name + (Double.isNaN(d) ? String.format("NaN (bits 0x%016X)", bits)
                            : Double.toString(d)));
                }
                default -> lengthDelimited(f, name, at, depth);
            }
        }
    }

    private void lengthDelimited(Field f, String name, int at, int depth) {
        int len = (int) varint();
        int start = pos;
        int end = start + len;
        switch (f.kind()) {
            case STR -> out.line(at, end, depth, name + quote(new String(b, start, len, StandardCharsets.UTF_8)));
            case BYTES, BUFFER -> out.line(at, end, depth, name + bytes(start, len));
            case ARRAY, VARRAY -> {
                List<String> values = new ArrayList<>();
                while (pos < end) {
                    values.add(switch (f.element()) {
                        case U64 -> Long.toUnsignedString(fixed64());
                        case I8, I16, I32, I64 -> Long.toString(CodedInputStream.decodeZigZag64(varint()));
                        default -> Long.toString(varint());
                    });
                }
                out.line(at, end, depth, name + values);
            }
            case SECTION -> {
                out.line(at, start, depth, name + "SectionValue, " + len + " bytes");
                pos = start;
                int vAt = pos;
                varint();
                long version = varint();
                out.line(vAt, pos, depth + 1, "version (1): " + version);
                int bodyAt = pos;
                varint();
                int bodyLen = (int) varint();
                out.line(bodyAt, pos, depth + 1, "body (2): State of " + f.struct().name() + ", " + bodyLen + " bytes");
                state(f.struct(), pos, pos + bodyLen, depth + 2);
            }
            default -> {
                out.line(at, start, depth, name + "State of " + f.struct().name() + ", " + len + " bytes");
                state(f.struct(), start, end, depth + 1);
            }
        }
        pos = end;
    }

    // ---------------------------------------------------------------- text

    private String bytes(int from, int len) {
        String h = HexFormat.of().formatHex(b, from, from + Math.min(len, 12));
        return "h'" + h + (len > 12 ? "...' (" + len + " bytes)" : "'");
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
