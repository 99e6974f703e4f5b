package dev.vmstate.device.ramblock;

import dev.vmstate.compat.CompatChain;
import dev.vmstate.device.Configurable;
import dev.vmstate.device.DeviceProperties;
import dev.vmstate.device.DeviceType;
import dev.vmstate.schema.Schema;
import dev.vmstate.tree.StateTree;
import dev.vmstate.tree.StateTree.IntValue;
import dev.vmstate.tree.StateTree.StructValue;
import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * The descriptor of one guest RAM block, type {@code vs-ramblock}: version 3, loads from version 1
 * (its {@code history} says what each version changed). What QEMU keeps in a {@code RAMBlock}
 * (qemu/qemu:include/exec/ramblock.h @7.2) that a destination needs to check before pages arrive,
 * plus the migration dirty bitmap (one bit per target page, 64 pages per u64 word, bit
 * {@code p & 63} of word {@code p >> 6}) and the measured dirty rate. The pages themselves travel
 * in RAM sections, not here.
 *
 * <p>Properties: {@code idstr} (""), {@code size} (bytes, 0), {@code max-size} (defaults to
 * {@code size}; both at most {@link #MAX_SIZE}), {@code page-size} (4096, a power of 2).
 * Public fields; not thread-safe.
 *
 * @since 0.1
 */
public final class RamBlock implements Visitable, Configurable {
    /** The {@code vs-ramblock} device type. */
    public static final DeviceType<RamBlock> TYPE = DeviceType.of("vs-ramblock", 3, 1,
            "guest RAM block descriptor with its migration dirty bitmap", RamBlock.class, RamBlock::new)
            .withHistory(RamBlock::history);

    /**
     * The history of the section (#6; invented, as this device is vmstate's own). Version 1 counted
     * {@code dirty_sync_count} in a u32; version 2 widened it to u64, the width QEMU's
     * {@code query-migrate} reports {@code dirty-sync-count} in. Version 2 stored the page size as
     * {@code page_shift} (u32, log2 of the size in bytes); version 3 stores {@code page_size} in
     * bytes, as QEMU's {@code RAMBlock.page_size} and the RAM section announce it: a rename, then a
     * transform of the value ({@code 1 << shift} up, the number of trailing zero bits down). Not
     * every u32 of one version has a value in the other, so the transform is declared lossy and
     * the chain checks each value by running the other function back: a shift above 31 has no
     * u32 size and becomes 0, which comes back as 32, so shifts from 33 up are reported; a size
     * that is not a power of two has no shift (4097 goes down to 0, which comes back as 1) and is
     * reported too, like any value the other version cannot carry.
     */
    static CompatChain history(Schema current) {
        return CompatChain.of(current)
                .step(1, s -> s.retype("dirty_sync_count", Kind.U32, Kind.U64))
                .step(2, s -> s.rename("page_shift", "page_size")
                        .transform("page-shift-to-bytes", "", t -> pageSize(t, RamBlock::sizeOfShift),
                                t -> pageSize(t, RamBlock::shiftOfSize), false))
                .build();
    }

    /** The page size in bytes of a version 2 {@code page_shift}; 0 when a u32 cannot hold it. */
    static long sizeOfShift(long shift) {
        return shift < 32 ? 1L << shift : 0;
    }

    /** The version 2 {@code page_shift} of a page size in bytes: its trailing zero bits (32 for 0). */
    static long shiftOfSize(long size) {
        return Integer.numberOfTrailingZeros((int) size);
    }

    private static StructValue pageSize(StructValue t, LongUnaryOperator f) {
        Map<String, StateTree> m = new LinkedHashMap<>(t.members());
        m.put("page_size", new IntValue(Kind.U32, f.applyAsLong(((IntValue) m.get("page_size")).value())));
        return new StructValue(t.type(), m);
    }

    // QEMU 7.2 include/exec/memory.h RAM_* flags.
    public static final int RAM_PREALLOC = 1;
    public static final int RAM_SHARED = 1 << 1;
    public static final int RAM_RESIZEABLE = 1 << 2;
    public static final int RAM_MIGRATABLE = 1 << 4;
    public static final int RAM_NORESERVE = 1 << 7;

    /** The largest {@code size} a device tree may configure, 64 GiB. */
    public static final long MAX_SIZE = 1L << 36;

    private static final Hint FLAGS = Hint.flags("PREALLOC", "SHARED", "RESIZEABLE", "UF_ZEROPAGE", "MIGRATABLE",
            "PMEM", "UF_WRITEPROTECT", "NORESERVE", "PROTECTED");

    /** The block's name, as in QEMU's RAM section ({@code pc.ram}, {@code pc.bios}, ...). */
    public String idstr = "";
    /** u64: the block's start in the machine's RAM address space. */
    public long offset;
    /** u64: bytes in use; what QEMU's RAM section announces. */
    public long usedLength;
    /** u64: bytes reserved; larger than {@link #usedLength} only for a resizeable block. */
    public long maxLength;
    /** u32: the host page size backing the block, in bytes (v1 and v2 stored its log2, {@code page_shift}). */
    public long pageSize = 4096;
    /** u64: the host alignment of the block's mapping. */
    public long align;
    /** u32 {@code RAM_*} flags. */
    public long flags;
    public long[] dirtyBitmap = new long[0];
    /** u64: bitmap syncs so far in this migration (passes); u32 in v1. */
    public long dirtySyncCount;
    /** Pages dirtied per second over the last pass. */
    public double dirtyRatePagesPerSec;

    @Override
    public void visit(Visitor v) {
        idstr = v.str("idstr", idstr);
        offset = v.u64("offset", offset, Hint.HEX);
        usedLength = v.u64("used_length", usedLength, Hint.HEX);
        maxLength = v.u64("max_length", maxLength, Hint.HEX);
        pageSize = v.u32("page_size", pageSize);
        align = v.u64("align", align, Hint.HEX);
        flags = v.u32("flags", flags, FLAGS);
        dirtyBitmap = v.varray("dirty_bitmap", Kind.U64, dirtyBitmap);
        dirtySyncCount = v.u64("dirty_sync_count", dirtySyncCount);
        dirtyRatePagesPerSec = v.f64("dirty_rate_pages_per_sec", dirtyRatePagesPerSec);
    }

    @Override
    public void configure(Map<String, Object> properties) {
        idstr = DeviceProperties.string(properties, "idstr", idstr);
        pageSize = DeviceProperties.integer(properties, "page-size", pageSize, 4096, 1L << 30);
        if (Long.bitCount(pageSize) != 1) {
            throw DeviceProperties.invalid("page-size", "invalid value " + pageSize + ", expected a power of 2");
        }
        // The tree may come from a peer: bound the size so the bitmap below stays small (2 MiB at most).
        usedLength = DeviceProperties.integer(properties, "size", usedLength, 0, MAX_SIZE);
        maxLength = DeviceProperties.integer(properties, "max-size", usedLength, usedLength, MAX_SIZE);
        if (usedLength % pageSize != 0) {
            throw DeviceProperties.invalid("size", "invalid value " + usedLength + ", expected a multiple of "
                    + pageSize);
        }
        if (maxLength != usedLength) {
            flags |= RAM_RESIZEABLE;
        }
        dirtyBitmap = new long[(int) ((pages() + 63) / 64)];
    }

    /** Pages in use. */
    public long pages() {
        return usedLength / pageSize;
    }

    /** Marks page {@code page} dirty. */
    public void markDirty(long page) {
        dirtyBitmap[(int) (page >>> 6)] |= 1L << (page & 63);
    }

    /** Dirty pages in the bitmap. */
    public long dirtyPages() {
        long n = 0;
        for (long w : dirtyBitmap) {
            n += Long.bitCount(w);
        }
        return n;
    }
}
