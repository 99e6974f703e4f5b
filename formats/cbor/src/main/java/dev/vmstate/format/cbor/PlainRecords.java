package dev.vmstate.format.cbor;

import dev.vmstate.error.VmstateException;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.stream.Command;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonToken;

/**
 * Reads the records other than device sections (header, iterative chunks, RAM records, section
 * ends, commands, the description) once their {@code "record"} key and kind have been read. Each
 * method reads the rest of the record map in the order of {@code docs/formats/cbor.md} §2, up to
 * and including its end; {@code start} is the offset of the map, where a missing key is reported.
 *
 * <p>Not thread-safe.
 */
final class PlainRecords {
    private final CborInput in;

    PlainRecords(CborInput in) {
        this.in = in;
    }

    StreamHeader header(long start) {
        Keys k = new Keys(in, "a header record", start);
        k.take(CborConstants.STREAM_VERSION);
        int version = in.int32("the stream version");
        k.take(CborConstants.MACHINE_TYPE);
        String machine = in.stringOrNull("the machine type");
        k.take(CborConstants.CONFIGURATION_EXTRA);
        byte[] extra = in.bytes("the configuration extra");
        k.take(CborConstants.DEVICE_TREE);
        DeviceTree tree = deviceTree();
        k.end();
        return new StreamHeader(version, machine, extra, tree);
    }

    @SuppressWarnings("unchecked")
    private DeviceTree deviceTree() {
        JsonToken t = in.next();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            throw in.here(CborErrors.unexpected(in.found(), "the device tree (a map or null)"));
        }
        long at = in.tokenOffset();
        Map<String, Object> map = (Map<String, Object>) in.plain();
        try {
            return DeviceTree.fromMap(map);
        } catch (VmstateException e) {
            throw e.atOffset(at);
        } catch (RuntimeException e) {
            throw CborErrors.badKey(CborConstants.DEVICE_TREE, String.valueOf(e.getMessage())).atOffset(at);
        }
    }

    IterativeSection iterative(long start) {
        Keys k = new Keys(in, "an iterative record", start);
        k.take(CborConstants.TYPE);
        String s = in.string("the chunk type");
        IterativeSection.SectionType type = switch (s) {
            case CborConstants.TYPE_START -> IterativeSection.SectionType.START;
            case CborConstants.TYPE_PART -> IterativeSection.SectionType.PART;
            case CborConstants.TYPE_END -> IterativeSection.SectionType.END;
            default -> throw in.here(CborErrors.unknownValue("chunk type", s, List.of(CborConstants.TYPE_START,
                    CborConstants.TYPE_PART, CborConstants.TYPE_END)));
        };
        k.take(CborConstants.SECTION_ID);
        int sectionId = in.int32("the section id");
        if (type != IterativeSection.SectionType.START) {
            for (String only : List.of(CborConstants.IDSTR, CborConstants.INSTANCE_ID, CborConstants.VERSION)) {
                if (k.has(only)) {
                    throw CborErrors.badKey(only, "only a start chunk carries it").atOffset(in.tokenOffset());
                }
            }
            k.end();
            return new IterativeSection(type, sectionId, null, 0, 0);
        }
        k.take(CborConstants.IDSTR);
        String idstr = in.string("the id string");
        k.take(CborConstants.INSTANCE_ID);
        int instanceId = in.int32("the instance id");
        k.take(CborConstants.VERSION);
        int version = in.int32("the version");
        k.end();
        return new IterativeSection(type, sectionId, idstr, instanceId, version);
    }

    RamRecord.Blocks blocks(long start) {
        Keys k = new Keys(in, "a ram_blocks record", start);
        k.take(CborConstants.TOTAL_BYTES);
        long total = in.int64("the total bytes");
        k.take(CborConstants.BLOCKS);
        in.expect(JsonToken.START_ARRAY, "the blocks (an array of maps)");
        long n = in.argument();
        List<RamRecord.Block> blocks = new ArrayList<>((int) Math.min(n, 1024));
        for (long i = 0; i < n; i++) {
            in.expect(JsonToken.START_OBJECT, "a block (a map)");
            Keys b = new Keys(in, "a block", in.tokenOffset());
            b.take(CborConstants.NAME);
            String name = in.string("the block name");
            b.take(CborConstants.USED_LENGTH);
            long used = in.int64("the used length");
            b.end();
            blocks.add(new RamRecord.Block(name, used));
        }
        in.next(); // the end of the array: its count was definite
        k.end();
        return new RamRecord.Blocks(total, blocks);
    }

    RamRecord.Page page(long start) {
        Keys k = new Keys(in, "a page record", start);
        k.take(CborConstants.BLOCK);
        String block = in.string("the block name");
        k.take(CborConstants.OFFSET);
        long offset = in.int64("the page offset");
        k.take(CborConstants.CONTINUED);
        boolean continued = in.bool("the continue flag");
        k.take(CborConstants.ENCODING);
        String s = in.string("the page encoding");
        RamRecord.Encoding encoding = switch (s) {
            case CborConstants.ENCODING_ZERO -> RamRecord.Encoding.ZERO;
            case CborConstants.ENCODING_RAW -> RamRecord.Encoding.RAW;
            case CborConstants.ENCODING_XBZRLE -> RamRecord.Encoding.XBZRLE;
            default -> throw in.here(CborErrors.unknownValue("page encoding", s, List.of(CborConstants.ENCODING_ZERO,
                    CborConstants.ENCODING_RAW, CborConstants.ENCODING_XBZRLE)));
        };
        byte[] data;
        if (encoding == RamRecord.Encoding.ZERO) {
            k.take(CborConstants.FILL);
            data = new byte[] {(byte) in.integer("the fill byte", 0, 255)};
        } else {
            k.take(CborConstants.DATA);
            data = in.bytes("the page data");
        }
        k.end();
        return new RamRecord.Page(block, offset, continued, encoding, data);
    }

    SectionEnd sectionEnd(long start) {
        Keys k = new Keys(in, "a section_end record", start);
        k.take(CborConstants.SECTION_ID);
        int sectionId = in.int32("the section id");
        k.take(CborConstants.FOOTER);
        boolean footer = in.bool("the footer flag");
        k.end();
        return new SectionEnd(sectionId, footer);
    }

    Command command(long start) {
        Keys k = new Keys(in, "a command record", start);
        k.take(CborConstants.COMMAND_NUMBER);
        int command = in.int32("the command number");
        k.take(CborConstants.DATA);
        byte[] data = in.bytes("the command data");
        k.end();
        return new Command(command, data);
    }

    Description description(long start) {
        Keys k = new Keys(in, "a description record", start);
        Description d;
        if (k.has(CborConstants.GENERATE)) {
            k.take(CborConstants.GENERATE);
            if (!in.bool("the generate flag")) {
                throw in.here(CborErrors.badKey(CborConstants.GENERATE,
                        "false; write true, or the description's bytes under \"json\""));
            }
            d = Description.generate();
        } else {
            k.take(CborConstants.JSON);
            d = new Description(in.bytes("the description"));
        }
        k.end();
        return d;
    }

    /** A record of its kind alone ({@code eos}, {@code end}): nothing may follow the kind. */
    void kindOnly(long start, String kind) {
        new Keys(in, (kind.startsWith("e") ? "an " : "a ") + kind + " record", start).end();
    }
}
