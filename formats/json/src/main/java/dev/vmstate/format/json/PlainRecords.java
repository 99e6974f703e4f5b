package dev.vmstate.format.json;

import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.stream.Command;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonToken;

/**
 * Reads the records other than device sections (header, iterative chunks, RAM records, section
 * ends, commands, the description) once their {@code "record"} member has been read. Each method
 * reads up to and including the record's closing brace; {@code start} is the offset of its
 * opening one, where a missing member is reported.
 *
 * <p>Not thread-safe.
 */
final class PlainRecords {
    private final JsonInput in;
    private final ReadLimits limits;
    private final int genericDepth;

    PlainRecords(JsonInput in, int genericDepth) {
        this.in = in;
        this.limits = in.limits();
        this.genericDepth = genericDepth;
    }

    StreamHeader header(long start) {
        Members m = new Members(in, "a header record");
        int version = 0;
        String machine = null;
        byte[] extra = null;
        DeviceTree tree = null;
        String name;
        while ((name = m.next()) != null) {
            switch (name) {
                case JsonConstants.STREAM_VERSION -> version = in.int32("the stream version");
                case JsonConstants.MACHINE_TYPE -> machine = in.stringOrNull("the machine type");
                case JsonConstants.CONFIGURATION_EXTRA -> extra = in.hex("the configuration extra");
                case JsonConstants.DEVICE_TREE -> tree = deviceTree();
                default -> throw m.unknown(name);
            }
        }
        m.require(start, JsonConstants.STREAM_VERSION, JsonConstants.MACHINE_TYPE, JsonConstants.CONFIGURATION_EXTRA,
                JsonConstants.DEVICE_TREE);
        return new StreamHeader(version, machine, extra, tree);
    }

    private DeviceTree deviceTree() {
        JsonToken t = in.next();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            throw in.here(JsonErrors.unexpected(t, "the device tree (an object or null)"));
        }
        long at = in.tokenOffset();
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) in.generic(genericDepth);
        try {
            return DeviceTree.fromMap(map);
        } catch (VmstateException e) {
            throw e.atOffset(at);
        } catch (RuntimeException e) {
            throw JsonErrors.badMember(JsonConstants.DEVICE_TREE, String.valueOf(e.getMessage()))
                    .atOffset(at);
        }
    }

    IterativeSection iterative(long start) {
        Members m = new Members(in, "an iterative record");
        IterativeSection.SectionType type = null;
        int sectionId = 0;
        String idstr = null;
        int instanceId = 0;
        int version = 0;
        String name;
        while ((name = m.next()) != null) {
            switch (name) {
                case JsonConstants.TYPE -> {
                    String s = in.string("the chunk type");
                    type = switch (s) {
                        case JsonConstants.TYPE_START -> IterativeSection.SectionType.START;
                        case JsonConstants.TYPE_PART -> IterativeSection.SectionType.PART;
                        case JsonConstants.TYPE_END -> IterativeSection.SectionType.END;
                        default -> throw in.here(JsonErrors.unknownValue("chunk type", s, List.of(
                                JsonConstants.TYPE_START, JsonConstants.TYPE_PART, JsonConstants.TYPE_END)));
                    };
                }
                case JsonConstants.SECTION_ID -> sectionId = in.int32("the section id");
                case JsonConstants.IDSTR -> idstr = in.string("the id string");
                case JsonConstants.INSTANCE_ID -> instanceId = in.int32("the instance id");
                case JsonConstants.VERSION -> version = in.int32("the version");
                default -> throw m.unknown(name);
            }
        }
        m.require(start, JsonConstants.TYPE, JsonConstants.SECTION_ID);
        if (type == IterativeSection.SectionType.START) {
            m.require(start, JsonConstants.IDSTR, JsonConstants.INSTANCE_ID, JsonConstants.VERSION);
        } else {
            for (String only : List.of(JsonConstants.IDSTR, JsonConstants.INSTANCE_ID, JsonConstants.VERSION)) {
                if (m.seen.contains(only)) {
                    throw JsonErrors.badMember(only, "only a start chunk carries it")
                            .atOffset(start);
                }
            }
        }
        return new IterativeSection(type, sectionId, idstr, instanceId, version);
    }

    RamRecord.Blocks blocks(long start) {
        Members m = new Members(in, "a ram_blocks record");
        long total = 0;
        List<RamRecord.Block> blocks = null;
        String name;
        while ((name = m.next()) != null) {
            switch (name) {
                case JsonConstants.TOTAL_BYTES -> total = in.int64("the total bytes");
                case JsonConstants.BLOCKS -> blocks = blockList();
                default -> throw m.unknown(name);
            }
        }
        m.require(start, JsonConstants.TOTAL_BYTES, JsonConstants.BLOCKS);
        return new RamRecord.Blocks(total, blocks);
    }

    private List<RamRecord.Block> blockList() {
        in.expect(JsonToken.START_ARRAY, "the blocks (an array of objects)");
        List<RamRecord.Block> blocks = new ArrayList<>();
        JsonToken t;
        while ((t = in.next()) != JsonToken.END_ARRAY) {
            if (blocks.size() >= limits.maxListLength()) {
                throw in.here(JsonErrors.listTooLong(limits.maxListLength()));
            }
            if (t != JsonToken.START_OBJECT) {
                throw in.here(JsonErrors.unexpected(t, "a block (an object)"));
            }
            long at = in.tokenOffset();
            Members m = new Members(in, "a block");
            String blockName = null;
            long used = 0;
            String name;
            while ((name = m.next()) != null) {
                switch (name) {
                    case JsonConstants.NAME -> blockName = in.string("the block name");
                    case JsonConstants.USED_LENGTH -> used = in.int64("the used length");
                    default -> throw m.unknown(name);
                }
            }
            m.require(at, JsonConstants.NAME, JsonConstants.USED_LENGTH);
            blocks.add(new RamRecord.Block(blockName, used));
        }
        return blocks;
    }

    RamRecord.Page page(long start) {
        Members m = new Members(in, "a page record");
        String block = null;
        long offset = 0;
        boolean continued = false;
        RamRecord.Encoding encoding = null;
        byte[] data = null;
        String name;
        while ((name = m.next()) != null) {
            switch (name) {
                case JsonConstants.BLOCK -> block = in.string("the block name");
                case JsonConstants.OFFSET -> offset = in.int64("the page offset");
                case JsonConstants.CONTINUED -> continued = in.bool("the continue flag");
                case JsonConstants.ENCODING -> {
                    String s = in.string("the page encoding");
                    encoding = switch (s) {
                        case JsonConstants.ENCODING_ZERO -> RamRecord.Encoding.ZERO;
                        case JsonConstants.ENCODING_RAW -> RamRecord.Encoding.RAW;
                        case JsonConstants.ENCODING_XBZRLE -> RamRecord.Encoding.XBZRLE;
                        default -> throw in.here(JsonErrors.unknownValue("page encoding", s, List.of(
                                JsonConstants.ENCODING_ZERO, JsonConstants.ENCODING_RAW, JsonConstants.ENCODING_XBZRLE)));
                    };
                }
                case JsonConstants.FILL -> data = new byte[] {(byte) in.integer("the fill byte", 0, 255)};
                case JsonConstants.DATA -> data = in.base64("the page data");
                default -> throw m.unknown(name);
            }
        }
        m.require(start, JsonConstants.BLOCK, JsonConstants.OFFSET, JsonConstants.CONTINUED, JsonConstants.ENCODING);
        boolean zero = encoding == RamRecord.Encoding.ZERO;
        m.require(start, zero ? JsonConstants.FILL : JsonConstants.DATA);
        if (m.seen.contains(zero ? JsonConstants.DATA : JsonConstants.FILL)) {
            throw JsonErrors.badMember(zero ? JsonConstants.DATA : JsonConstants.FILL,
                    "a " + (zero ? "zero" : "raw or xbzrle") + " page has \"" + (zero ? JsonConstants.FILL
                    : JsonConstants.DATA) + "\" instead").atOffset(start);
        }
        return new RamRecord.Page(block, offset, continued, encoding, data);
    }

    SectionEnd sectionEnd(long start) {
        Members m = new Members(in, "a section_end record");
        int sectionId = 0;
        boolean footer = false;
        String name;
        while ((name = m.next()) != null) {
            switch (name) {
                case JsonConstants.SECTION_ID -> sectionId = in.int32("the section id");
                case JsonConstants.FOOTER -> footer = in.bool("the footer flag");
                default -> throw m.unknown(name);
            }
        }
        m.require(start, JsonConstants.SECTION_ID, JsonConstants.FOOTER);
        return new SectionEnd(sectionId, footer);
    }

    Command command(long start) {
        Members m = new Members(in, "a command record");
        int command = 0;
        byte[] data = null;
        String name;
        while ((name = m.next()) != null) {
            switch (name) {
                case JsonConstants.COMMAND_NUMBER -> command = in.int32("the command number");
                case JsonConstants.DATA -> data = in.hex("the command data");
                default -> throw m.unknown(name);
            }
        }
        m.require(start, JsonConstants.COMMAND_NUMBER, JsonConstants.DATA);
        return new Command(command, data);
    }

    Description description(long start) {
        Members m = new Members(in, "a description record");
        Description d = null;
        String name;
        while ((name = m.next()) != null) {
            if (d != null) {
                throw in.here(JsonErrors.badMember(name, "a description has one of \"json\", \"hex\" or \"generate\""));
            }
            switch (name) {
                case JsonConstants.JSON -> d = new Description(in.longString("the description")
                        .getBytes(StandardCharsets.UTF_8));
                case JsonConstants.HEX -> d = new Description(in.hex("the description"));
                case JsonConstants.GENERATE -> {
                    if (!in.bool("the generate flag")) {
                        throw in.here(JsonErrors.badMember(name, "false; write \"generate\": true or the description"));
                    }
                    d = Description.generate();
                }
                default -> throw m.unknown(name);
            }
        }
        if (d == null) {
            throw JsonErrors.missingMember(JsonConstants.JSON, m.where).atOffset(start);
        }
        return d;
    }
}
