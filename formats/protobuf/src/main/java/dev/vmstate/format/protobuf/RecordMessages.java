package dev.vmstate.format.protobuf;

import com.google.protobuf.ByteString;
import dev.vmstate.error.VmstateException;
import dev.vmstate.format.protobuf.internal.Block;
import dev.vmstate.format.protobuf.internal.ChunkType;
import dev.vmstate.format.protobuf.internal.Header;
import dev.vmstate.format.protobuf.internal.Iterative;
import dev.vmstate.format.protobuf.internal.Page;
import dev.vmstate.format.protobuf.internal.PageEncoding;
import dev.vmstate.format.protobuf.internal.RamBlocks;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.stream.Command;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import java.util.ArrayList;
import java.util.List;

/**
 * The records other than device sections, from the messages protobuf-java's generated parser
 * made of them: each is checked for what the parser lets through (unknown fields, enum values
 * this build does not know, a oneof not set, values out of the model's range, lengths over
 * {@link ReadLimits}) and becomes its {@link dev.vmstate.stream.StreamRecord}. A failure is a
 * {@link VmstateException} without an offset: the reader adds the record's.
 *
 * <p>Stateless and thread-safe.
 */
final class RecordMessages {
    private RecordMessages() {
    }

    static StreamHeader header(Header h, ReadLimits limits) {
        PlainValues.known(h, "a header record");
        String machine = null;
        if (h.hasMachineType()) {
            machine = h.getMachineType();
            checkString(limits, machine);
        }
        DeviceTree tree = null;
        if (h.hasDeviceTree()) {
            try {
                tree = DeviceTree.fromMap(PlainValues.toMap(h.getDeviceTree(), "the device tree"));
            } catch (VmstateException e) {
                throw e;
            } catch (RuntimeException e) {
                throw ProtobufErrors.badValue("the device tree", String.valueOf(e.getMessage()));
            }
        }
        return new StreamHeader(h.getStreamVersion(), machine, bytes(limits, h.getConfigurationExtra()), tree);
    }

    static IterativeSection iterative(Iterative m) {
        PlainValues.known(m, "an iterative record");
        IterativeSection.SectionType type = switch (m.getTypeValue()) {
            case ChunkType.CHUNK_TYPE_START_VALUE -> IterativeSection.SectionType.START;
            case ChunkType.CHUNK_TYPE_PART_VALUE -> IterativeSection.SectionType.PART;
            case ChunkType.CHUNK_TYPE_END_VALUE -> IterativeSection.SectionType.END;
            default -> throw ProtobufErrors.unknownEnum("chunk type", m.getTypeValue(),
                    List.of("1 (CHUNK_TYPE_START)", "2 (CHUNK_TYPE_PART)", "3 (CHUNK_TYPE_END)"));
        };
        if (type == IterativeSection.SectionType.START) {
            if (!m.hasIdstr()) {
                throw ProtobufErrors.missingField(3, "idstr", "an iterative start record");
            }
            return new IterativeSection(type, m.getSectionId(), m.getIdstr(), m.getInstanceId(), m.getVersion());
        }
        String where = "an iterative " + (type == IterativeSection.SectionType.PART ? "part" : "end") + " record";
        if (m.hasIdstr()) {
            throw ProtobufErrors.badValue("field 3 (idstr) of " + where, "only a start chunk carries it");
        }
        if (m.getInstanceId() != 0 || m.getVersion() != 0) {
            throw ProtobufErrors.badValue("field " + (m.getInstanceId() != 0 ? "4 (instance_id)" : "5 (version)")
                    + " of " + where, "only a start chunk carries it");
        }
        return new IterativeSection(type, m.getSectionId(), null, 0, 0);
    }

    static RamRecord.Blocks blocks(RamBlocks m, ReadLimits limits) {
        PlainValues.known(m, "a ram_blocks record");
        limits.checkListLength(m.getBlocksCount());
        List<RamRecord.Block> blocks = new ArrayList<>(m.getBlocksCount());
        for (Block b : m.getBlocksList()) {
            PlainValues.known(b, "a block of a ram_blocks record");
            checkString(limits, b.getName());
            blocks.add(new RamRecord.Block(b.getName(), b.getUsedLength()));
        }
        return new RamRecord.Blocks(m.getTotalBytes(), blocks);
    }

    static RamRecord.Page page(Page m, ReadLimits limits) {
        PlainValues.known(m, "a page record");
        checkString(limits, m.getBlock());
        RamRecord.Encoding encoding = switch (m.getEncodingValue()) {
            case PageEncoding.PAGE_ENCODING_ZERO_VALUE -> RamRecord.Encoding.ZERO;
            case PageEncoding.PAGE_ENCODING_RAW_VALUE -> RamRecord.Encoding.RAW;
            case PageEncoding.PAGE_ENCODING_XBZRLE_VALUE -> RamRecord.Encoding.XBZRLE;
            default -> throw ProtobufErrors.unknownEnum("page encoding", m.getEncodingValue(),
                    List.of("1 (PAGE_ENCODING_ZERO)", "2 (PAGE_ENCODING_RAW)", "3 (PAGE_ENCODING_XBZRLE)"));
        };
        byte[] data;
        if (encoding == RamRecord.Encoding.ZERO) {
            if (m.getContentCase() != Page.ContentCase.FILL) {
                throw ProtobufErrors.badValue("a zero page record", "it carries field 5 (fill), found "
                        + (m.hasData() ? "field 6 (data)" : "neither"));
            }
            long fill = Integer.toUnsignedLong(m.getFill());
            if (fill > 255) {
                throw ProtobufErrors.outOfRange(Long.toString(fill), "the fill byte", "0", "255");
            }
            data = new byte[] {(byte) fill};
        } else {
            if (m.getContentCase() != Page.ContentCase.DATA) {
                throw ProtobufErrors.badValue("a " + encoding.name().toLowerCase(java.util.Locale.ROOT) + " page record",
                        "it carries field 6 (data), found " + (m.hasFill() ? "field 5 (fill)" : "neither"));
            }
            data = bytes(limits, m.getData());
        }
        return new RamRecord.Page(m.getBlock(), m.getOffset(), m.getContinued(), encoding, data);
    }

    static SectionEnd sectionEnd(dev.vmstate.format.protobuf.internal.SectionEnd m) {
        PlainValues.known(m, "a section_end record");
        return new SectionEnd(m.getSectionId(), m.getFooter());
    }

    static Command command(dev.vmstate.format.protobuf.internal.Command m, ReadLimits limits) {
        PlainValues.known(m, "a command record");
        return new Command(m.getCommand(), bytes(limits, m.getData()));
    }

    static Description description(dev.vmstate.format.protobuf.internal.Description m, ReadLimits limits) {
        PlainValues.known(m, "a description record");
        switch (m.getContentCase()) {
            case JSON:
                return new Description(bytes(limits, m.getJson()));
            case GENERATE:
                if (!m.getGenerate()) {
                    throw ProtobufErrors.badValue("field 2 (generate) of a description record",
                            "false; write true, or the description's bytes as field 1 (json)");
                }
                return Description.generate();
            default:
                throw ProtobufErrors.badValue("a description record", "neither field 1 (json) nor field 2 (generate)");
        }
    }

    private static void checkString(ReadLimits limits, String s) {
        // the UTF-8 length, as every other format counts it; a Java char is at most 3 bytes of it
        if ((long) s.length() * 3 > limits.maxStringLength()) {
            limits.checkStringLength(ByteString.copyFromUtf8(s).size());
        }
    }

    private static byte[] bytes(ReadLimits limits, ByteString b) {
        limits.checkBytesLength(b.size());
        return b.toByteArray();
    }
}
