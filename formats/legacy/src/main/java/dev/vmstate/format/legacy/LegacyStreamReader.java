package dev.vmstate.format.legacy;

import static dev.vmstate.format.legacy.LegacyConstants.*;

import dev.vmstate.binary.BinaryLoadVisitor;
import dev.vmstate.binary.ByteSink;
import dev.vmstate.binary.ByteSource;
import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VmstateException;
import dev.vmstate.limits.ReadLimits;
import dev.vmstate.machine.DeviceTree;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.ReadOptions;
import dev.vmstate.spi.SchemaSource;
import dev.vmstate.spi.StreamReader;
import dev.vmstate.stream.Command;
import dev.vmstate.stream.Description;
import dev.vmstate.stream.DeviceSection;
import dev.vmstate.stream.EndOfState;
import dev.vmstate.stream.IterativeSection;
import dev.vmstate.stream.IterativeSection.SectionType;
import dev.vmstate.stream.RamRecord;
import dev.vmstate.stream.SectionEnd;
import dev.vmstate.stream.StreamHeader;
import dev.vmstate.stream.StreamRecord;
import dev.vmstate.tree.GenericState;
import dev.vmstate.visitor.Visitable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * Reads QEMU's savevm stream version 3 record by record (docs/formats/legacy.md). The format has
 * no per-section length, so a device section is read with its schema: from the stream's vmdesc
 * when the caller found it in advance ({@link LegacyFormat#prepare}), else from
 * {@link ReadOptions#schemas()}; a section neither knows is an error naming it and its offset.
 * RAM sections are read page by page, so a stream of any size passes through a small window.
 *
 * <p>Not thread-safe.
 *
 * @since 0.1
 */
public final class LegacyStreamReader implements StreamReader {
    private enum State { HEADER, SECTIONS, RAM, RAM_FOOTER, AFTER_EOF, DONE }

    /** The data of a page whose contents the caller did not ask for ({@link ReadOptions#pageData()}). */
    private static final byte[] NO_DATA = new byte[0];

    private final ByteSource in;
    private final ReadOptions options;
    private final ReadLimits limits;
    private final SchemaSource schemas;
    private final DeviceTree describedTree;
    private final boolean pageData;
    private State state = State.HEADER;
    private int ramSection = -1;
    /** Used length of each RAM block of the block list, by name. */
    private final Map<String, Long> ramBlocks = new HashMap<>();
    /**
     * QEMU puts a footer after every section of a stream or after none (machine types after 2.3
     * have them): once one was read, a section without one is an error, not a guess.
     */
    private boolean footersExpected;
    private String lastBlock;
    private long sections;
    /** One body reader for the whole stream: it keeps no state between sections. */
    private final BinaryLoadVisitor body;

    LegacyStreamReader(ByteSource in, ReadOptions options) {
        this.in = in;
        this.options = options;
        this.limits = options.limits();
        this.body = new BinaryLoadVisitor(in, limits);
        this.pageData = options.pageData();
        Description d = options.description();
        if (d != null && !d.isGenerate()) {
            LegacyDescription.Parsed parsed = LegacyDescription.parse(d.json(), options.limits());
            this.schemas = parsed.source().or(options.schemas());
            this.describedTree = parsed.deviceTree();
        } else {
            this.schemas = options.schemas();
            this.describedTree = null;
        }
    }

    @Override
    public long position() {
        return in.position();
    }

    @Override
    public StreamRecord next() {
        try {
            return switch (state) {
                case HEADER -> header();
                case SECTIONS -> section();
                case RAM -> ram();
                case RAM_FOOTER -> ramFooter();
                case AFTER_EOF -> trailer();
                case DONE -> null;
            };
        } catch (VmstateException e) {
            state = State.DONE;
            throw e.inFormat(LegacyErrors.FORMAT);
        }
    }

    private StreamHeader header() {
        long at = in.position();
        int magic = in.readBe32();
        if (magic != QEMU_VM_FILE_MAGIC) {
            throw LegacyErrors.malformed(String.format("not a QEMU migration stream: magic 0x%08X, expected 0x%08X (\"QEVM\")",
                    magic, QEMU_VM_FILE_MAGIC), at);
        }
        int version = in.readBe32();
        if (version == QEMU_VM_FILE_VERSION_COMPAT) {
            throw LegacyErrors.version("stream version 2 is obsolete (SaveVM v2); only version 3 is read", at + 4);
        }
        if (version != QEMU_VM_FILE_VERSION) {
            throw LegacyErrors.version("unsupported stream version " + version + ", expected 3", at + 4);
        }
        String machine = null;
        byte[] extra = new byte[0];
        if (in.peekU8() == QEMU_VM_CONFIGURATION) {
            in.readU8();
            long lenAt = in.position();
            long len = in.readBe32() & 0xFFFF_FFFFL;
            if (len > 255) {
                throw LegacyErrors.malformed("machine type name of " + len + " bytes, expected at most 255", lenAt);
            }
            machine = utf8(in.readBytes((int) len), lenAt + 4);
            extra = configurationSubsections();
        }
        state = State.SECTIONS;
        return new StreamHeader(version, machine, extra, describedTree);
    }

    /** Copies the configuration's subsections (QEMU 7.2 knows three) byte for byte. */
    private byte[] configurationSubsections() {
        ByteSink raw = new ByteSink(64);
        while (in.peekU8() == QEMU_VM_SUBSECTION) {
            long at = in.position();
            in.readU8();
            int n = in.readU8();
            byte[] name = in.readBytes(n);
            String s = new String(name, StandardCharsets.US_ASCII);
            int version = in.readBe32();
            raw.writeU8(QEMU_VM_SUBSECTION).writeU8(n).writeBytes(name).writeBe32(version);
            switch (s) {
                case CONFIG_PAGE_BITS -> raw.writeBe32(in.readBe32());
                case CONFIG_UUID -> raw.writeBytes(in.readBytes(16));
                case CONFIG_CAPABILITIES -> {
                    long count = in.readBe32() & 0xFFFF_FFFFL;
                    limits.checkListLength(count);
                    raw.writeBe32((int) count);
                    for (long i = 0; i < count; i++) {
                        int len = in.readU8();
                        raw.writeU8(len).writeBytes(in.readBytes(len));
                    }
                }
                default -> throw LegacyErrors.malformed("unknown configuration subsection \"" + s
                        + "\" (QEMU refuses it too)", at);
            }
        }
        return raw.toByteArray();
    }

    private String utf8(byte[] b, long at) {
        boolean ascii = true;
        for (int i = 0; i < b.length && ascii; i++) {
            ascii = b[i] >= 0;
        }
        if (ascii) {
            return new String(b, StandardCharsets.ISO_8859_1); // id strings are ASCII: skip the decoder
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw LegacyErrors.malformed("name is not valid UTF-8", at);
        }
    }

    private String idstr() {
        long at = in.position();
        int n = in.readU8();
        return utf8(in.readBytes(n), at + 1);
    }

    private StreamRecord section() {
        long at = in.position();
        if (in.atEnd()) {
            throw LegacyErrors.malformed("stream ends without QEMU_VM_EOF", at);
        }
        int type = in.readU8();
        switch (type) {
            case QEMU_VM_SECTION_FULL:
                limits.checkSectionCount(++sections);
                return device(at);
            case QEMU_VM_SECTION_START: {
                limits.checkSectionCount(++sections);
                int id = in.readBe32();
                String idstr = idstr();
                int instance = in.readBe32();
                int version = in.readBe32();
                if (!RAM_IDSTR.equals(idstr)) {
                    throw LegacyErrors.malformed("iterative section \"" + idstr + "\" is not supported (only \"ram\")", at);
                }
                ramSection = id;
                state = State.RAM;
                return new IterativeSection(SectionType.START, id, idstr, instance, version);
            }
            case QEMU_VM_SECTION_PART:
            case QEMU_VM_SECTION_END: {
                int id = in.readBe32();
                if (id != ramSection) {
                    throw LegacyErrors.malformed("section " + (type == QEMU_VM_SECTION_PART ? "PART" : "END")
                            + " for unknown section id " + id, at);
                }
                state = State.RAM;
                return new IterativeSection(type == QEMU_VM_SECTION_PART ? SectionType.PART : SectionType.END, id,
                        null, 0, 0);
            }
            case QEMU_VM_COMMAND: {
                int cmd = in.readBe16();
                int len = in.readBe16();
                return new Command(cmd, in.readBytes(len));
            }
            case QEMU_VM_EOF:
                state = State.AFTER_EOF;
                return new EndOfState();
            default:
                throw LegacyErrors.malformed(String.format("unknown section type 0x%02X", type), at);
        }
    }

    private DeviceSection device(long at) {
        int id = in.readBe32();
        String idstr = idstr();
        int instance = in.readBe32();
        int version = in.readBe32();
        Schema schema = schemas.find(idstr, instance, version);
        if (schema == null) {
            String label = idstr + "/" + instance;
            throw (MalformedStreamException) LegacyErrors.in(LegacyErrors.malformed("no description for section "
                    + label + " version " + version + ": the stream has no vmdesc that describes it and no registered"
                    + " device type matches (QEMU's format has no section lengths, so it cannot be skipped)", at), label);
        }
        Visitable target = options.targets().target(idstr, instance, version, schema);
        if (target == null) {
            target = new GenericState(schema);
        }
        long bodyAt = in.position();
        try {
            target.visit(body);
            limits.checkSectionSize(in.position() - bodyAt);
        } catch (VmstateException e) {
            throw LegacyErrors.in(e.prependField(idstr), idstr + "/" + instance);
        }
        if (in.peekU8() == QEMU_VM_SUBSECTION) {
            throw unknownSubsection(schema, idstr + "/" + instance);
        }
        boolean footer = footer(id, idstr, instance);
        return new DeviceSection(id, idstr, instance, version, footer, schema, target);
    }

    /**
     * A subsection the body did not take. QEMU's rule (§1.6 of the reference, docs/formats/legacy.md):
     * a subsection the reader does not know is fatal, since the format has no lengths to skip it by;
     * in vmstate terms every subsection of a legacy stream is must-understand.
     */
    private MalformedStreamException unknownSubsection(Schema schema, String label) {
        long at = in.position();
        in.readU8();
        // a stream cut inside the name fails here, as a truncation, before the name is needed
        String name = new String(in.readBytes(in.readU8()), StandardCharsets.UTF_8);
        boolean known = declares(schema, name);
        String why = known
                ? "subsection \"" + name + "\" comes after a later one: vmstate reads subsections in the order the"
                        + " schema declares them"
                : "unknown subsection \"" + name + "\": " + schema.name() + " v" + schema.version() + " has no such"
                        + " section, and a legacy stream cannot skip one (QEMU's rule: an unknown subsection is fatal)";
        return (MalformedStreamException) LegacyErrors.malformed(why, at).inSection(label);
    }

    /** Whether {@code s} or a struct nested in it declares section {@code name}. */
    private static boolean declares(Schema s, String name) {
        for (dev.vmstate.schema.Field f : s.members()) {
            if ((f.isSection() && f.name().equals(name)) || (f.struct() != null && declares(f.struct(), name))) {
                return true;
            }
        }
        return false;
    }

    private boolean footer(int id, String idstr, int instance) {
        if (in.peekU8() != QEMU_VM_SECTION_FOOTER) {
            if (footersExpected) {
                // a body read with a description shorter than what was written ends before its footer
                long at = in.position();
                throw (MalformedStreamException) LegacyErrors.malformed(String.format("no section footer (0x7E) but"
                        + " byte 0x%02X: earlier sections of this stream have footers and QEMU writes them on all or"
                        + " none, so the section's body is longer than its description says", in.peekU8()), at)
                        .inSection(instance < 0 ? idstr : idstr + "/" + instance);
            }
            return false;
        }
        long at = in.position();
        in.readU8();
        int read = in.readBe32();
        footersExpected = true;
        if (read != id) {
            throw (MalformedStreamException) LegacyErrors.malformed("mismatched section id in footer: read " + read
                    + ", expected " + id, at).inSection(instance < 0 ? idstr : idstr + "/" + instance);
        }
        return true;
    }

    private RamRecord ram() {
        long at = in.position();
        long word = in.readBe64();
        int flags = (int) (word & RAM_FLAGS_MASK);
        long addr = word & ~RAM_FLAGS_MASK;
        if ((flags & RAM_SAVE_FLAG_EOS) != 0) {
            if (flags != RAM_SAVE_FLAG_EOS || addr != 0) {
                throw LegacyErrors.malformed(String.format("RAM end-of-section word 0x%016X carries other flags", word), at);
            }
            state = State.RAM_FOOTER;
            return new RamRecord.Eos();
        }
        if (flags == RAM_SAVE_FLAG_MEM_SIZE) {
            return blocks(addr, at);
        }
        int kind = flags & ~RAM_SAVE_FLAG_CONTINUE;
        RamRecord.Encoding encoding = switch (kind) {
            case RAM_SAVE_FLAG_ZERO -> RamRecord.Encoding.ZERO;
            case RAM_SAVE_FLAG_PAGE -> RamRecord.Encoding.RAW;
            case RAM_SAVE_FLAG_XBZRLE -> RamRecord.Encoding.XBZRLE;
            default -> throw LegacyErrors.malformed(String.format("unsupported RAM record flags 0x%03X", flags), at);
        };
        boolean continued = (flags & RAM_SAVE_FLAG_CONTINUE) != 0;
        String block;
        if (continued) {
            if (lastBlock == null) {
                throw LegacyErrors.malformed("RAM page with the CONTINUE flag but no previous block", at);
            }
            block = lastBlock;
        } else {
            long nameAt = in.position();
            block = idstr();
            if (!ramBlocks.containsKey(block)) {
                throw LegacyErrors.malformed("RAM page for unknown block \"" + block + "\"", nameAt);
            }
            lastBlock = block;
        }
        long used = ramBlocks.get(block);
        if (addr >= used) {
            // QEMU: "Illegal RAM offset"; the page would land outside the block
            throw LegacyErrors.malformed(String.format("RAM page at offset 0x%x of block \"%s\", past its used length 0x%x",
                    addr, block, used), at);
        }
        byte[] data = switch (encoding) {
            case ZERO -> new byte[] {(byte) in.readU8()};
            case RAW -> {
                if (!pageData) {
                    in.skip(RamRecord.PAGE_SIZE);
                    yield NO_DATA;
                }
                yield in.readBytes(RamRecord.PAGE_SIZE);
            }
            case XBZRLE -> {
                long xat = in.position();
                int f = in.readU8();
                if (f != ENCODING_FLAG_XBZRLE) {
                    throw LegacyErrors.malformed(String.format("XBZRLE page encoding flag 0x%02X, expected 0x01", f), xat);
                }
                int len = in.readBe16();
                if (len > RamRecord.PAGE_SIZE) {
                    throw LegacyErrors.malformed("XBZRLE page of " + len + " bytes, expected at most "
                            + RamRecord.PAGE_SIZE, xat + 1);
                }
                if (!pageData) {
                    in.skip(len);
                    yield NO_DATA;
                }
                yield in.readBytes(len);
            }
        };
        return new RamRecord.Page(block, addr, continued, encoding, data);
    }

    private RamRecord.Blocks blocks(long total, long at) {
        List<RamRecord.Block> blocks = new ArrayList<>();
        long sum = 0;
        // QEMU sends no count: the list ends when the lengths add up to the total.
        while (sum < total) {
            limits.checkListLength(blocks.size() + 1L);
            long nameAt = in.position();
            String name = idstr();
            long used = in.readBe64();
            if (used < 0 || used > total - sum) {
                throw LegacyErrors.malformed("RAM block \"" + name + "\" of " + Long.toUnsignedString(used)
                        + " bytes overruns the announced total " + total, nameAt);
            }
            if (used == 0) {
                throw LegacyErrors.malformed("RAM block \"" + name + "\" has no length", nameAt);
            }
            blocks.add(new RamRecord.Block(name, used));
            ramBlocks.put(name, used);
            sum += used;
        }
        return new RamRecord.Blocks(total, blocks);
    }

    private SectionEnd ramFooter() {
        state = State.SECTIONS;
        return new SectionEnd(ramSection, footer(ramSection, RAM_IDSTR, -1));
    }

    private StreamRecord trailer() {
        if (in.atEnd()) {
            state = State.DONE;
            return null;
        }
        long at = in.position();
        int type = in.readU8();
        if (type != QEMU_VM_VMDESCRIPTION) {
            throw LegacyErrors.malformed(String.format("byte 0x%02X after QEMU_VM_EOF, expected the vmdesc (0x06)", type), at);
        }
        long len = in.readBe32() & 0xFFFF_FFFFL;
        try {
            limits.checkBytesLength(len);
        } catch (VmstateException e) {
            throw e.atOffset(at + 1).prependField("vmdesc");
        }
        byte[] json = in.readBytes((int) len);
        if (!in.atEnd()) {
            throw LegacyErrors.malformed("data after the vmdesc trailer", in.position());
        }
        state = State.DONE;
        return new Description(json);
    }
}
