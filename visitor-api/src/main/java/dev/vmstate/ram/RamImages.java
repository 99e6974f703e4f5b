package dev.vmstate.ram;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.StreamIoException;
import dev.vmstate.stream.RamRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The final contents of each RAM block of a stream, as a destination would hold them after every
 * page record: a zero page fills its page, a raw page replaces it, an XBZRLE page is applied onto
 * what the page held before, and a page never sent stays zero. The result per block is a sha256
 * of those contents, the count of pages that are not all zero, and the count of records of each
 * kind (the same figures as the {@code *.ram-digest.json} files of {@code ../shared/qemu-streams}).
 *
 * <p>Two ways of getting there, because guest RAM can be far larger than the heap:
 * <ul>
 *   <li>{@linkplain #streaming() Streaming}: a block whose pages arrive once each, in ascending
 *       order and without XBZRLE (every paused or single-pass stream) is hashed as it goes by,
 *       with no copy of it anywhere. A block that breaks that order is only counted and is named
 *       by {@link #needImages()}: its digest needs a second reading with images.</li>
 *   <li>{@linkplain #withImages With images}: the chosen blocks are rebuilt in memory-mapped
 *       temporary files (sparse, so zero pages cost nothing, and off the heap), then hashed.</li>
 * </ul>
 * Every page record is checked against the block list: unknown block, offset not page-aligned or
 * past the block's used length are errors.
 *
 * <p>Not thread-safe. Close it to delete the temporary files.
 *
 * @since 0.1
 */
public final class RamImages implements AutoCloseable {
    private static final int PAGE = RamRecord.PAGE_SIZE;
    private static final byte[] ZERO_PAGE = new byte[PAGE];
    /** For comparisons only ({@link ByteBuffer#mismatch} reads it by absolute positions). */
    private static final ByteBuffer ZERO_BUFFER = ByteBuffer.wrap(ZERO_PAGE).asReadOnlyBuffer();
    private static final int SEGMENT_BITS = 30; // 1 GiB per mapping: page-aligned, below the 2 GiB map limit

    /** The digest of one block. */
    public record BlockDigest(String name, long size, String sha256, long nonZeroPages, long zeroRecords,
            long rawRecords, long xbzrleRecords) {
    }

    private final Predicate<String> imaged;
    private final Path tempDir;
    private final Map<String, Block> blocks = new LinkedHashMap<>();
    private List<RamRecord.Block> declared;
    private final byte[] scratch = new byte[PAGE];

    private RamImages(Predicate<String> imaged, Path tempDir) {
        this.imaged = imaged;
        this.tempDir = tempDir;
    }

    /** Hashes blocks as their pages go by; blocks that cannot be are named by {@link #needImages()}. */
    public static RamImages streaming() {
        return new RamImages(name -> false, null);
    }

    /**
     * Rebuilds the blocks {@code imaged} accepts in temporary files under {@code tempDir} (or the
     * system's temporary directory when {@code null}); the others are streamed.
     */
    public static RamImages withImages(Predicate<String> imaged, Path tempDir) {
        return new RamImages(imaged, tempDir);
    }

    /**
     * Takes one record; records other than RAM records are ignored.
     *
     * @throws MalformedStreamException for a page that does not fit the block list, a block list
     *         that changes, or an XBZRLE delta that does not apply (QEMU fails on each of them)
     * @throws StreamIoException when a temporary image cannot be written
     */
    public void accept(RamRecord r) {
        if (r instanceof RamRecord.Blocks b) {
            blocks(b);
        } else if (r instanceof RamRecord.Page p) {
            page(p);
        }
    }

    private void blocks(RamRecord.Blocks b) {
        if (declared != null) {
            if (!declared.equals(b.blocks())) {
                throw new MalformedStreamException("a second RAM block list that differs from the first");
            }
            return;
        }
        declared = b.blocks();
        for (RamRecord.Block d : declared) {
            if (blocks.containsKey(d.name())) {
                throw new MalformedStreamException("RAM block \"" + d.name() + "\" listed twice");
            }
            blocks.put(d.name(), new Block(d.name(), d.usedLength(), imaged.test(d.name())));
        }
    }

    private void page(RamRecord.Page p) {
        Block b = blocks.get(p.block());
        if (b == null) {
            throw new MalformedStreamException(declared == null ? "RAM page before the RAM block list"
                    : "RAM page for unknown block \"" + p.block() + "\"");
        }
        long off = p.offset();
        if (off % PAGE != 0 || off < 0 || off > b.size - PAGE) {
            throw new MalformedStreamException(String.format("RAM page at offset 0x%x of block \"%s\": %s", off,
                    b.name, off % PAGE != 0 ? "not page-aligned" : "past its used length 0x" + Long.toHexString(b.size)));
        }
        switch (p.encoding()) {
            case ZERO -> b.zero++;
            case RAW -> b.raw++;
            case XBZRLE -> b.xbzrle++;
        }
        if (p.encoding() != RamRecord.Encoding.ZERO && p.dataLength() == 0) {
            b.unread = true; // the reader skipped page data: counts only
            return;
        }
        if (p.encoding() == RamRecord.Encoding.RAW && p.dataLength() != PAGE) {
            throw new MalformedStreamException("raw RAM page of " + p.dataLength() + " bytes, expected " + PAGE);
        }
        if (b.image != null) {
            b.image.apply(p);
        } else if (!b.broken) {
            b.stream(p);
        }
    }

    /** Blocks that streaming could not digest: pages out of order, sent twice, or as XBZRLE. */
    public Set<String> needImages() {
        Set<String> s = new LinkedHashSet<>();
        for (Block b : blocks.values()) {
            if (b.broken) {
                s.add(b.name);
            }
        }
        return s;
    }

    /**
     * Finishes every block: the rest of a streamed block is zero. A block named by
     * {@link #needImages()}, or whose pages came without data, has a {@code null} sha256.
     */
    public List<BlockDigest> finish() {
        List<BlockDigest> out = new ArrayList<>();
        for (Block b : blocks.values()) {
            out.add(b.finish());
        }
        return out;
    }

    @Override
    public void close() {
        for (Block b : blocks.values()) {
            if (b.image != null) {
                b.image.close();
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static boolean nonZero(byte[] page, int off) {
        return Arrays.mismatch(page, off, off + PAGE, ZERO_PAGE, 0, PAGE) >= 0;
    }

    private final class Block {
        final String name;
        final long size;
        long zero;
        long raw;
        long xbzrle;
        /** Streaming: the offset the next page must have, the digest so far, non-zero pages so far. */
        long next;
        MessageDigest md;
        long nonZero;
        boolean broken;
        boolean unread;
        final Image image;

        Block(String name, long size, boolean imaged) {
            this.name = name;
            this.size = size;
            this.image = imaged ? new Image(name, size) : null;
            this.md = imaged ? null : sha256();
        }

        void stream(RamRecord.Page p) {
            if (p.encoding() == RamRecord.Encoding.XBZRLE || p.offset() < next) {
                broken = true;
                md = null;
                return;
            }
            zeroUpTo(p.offset());
            if (p.encoding() == RamRecord.Encoding.ZERO) {
                byte fill = p.dataBuffer().get(0);
                if (fill == 0) {
                    md.update(ZERO_PAGE);
                } else {
                    Arrays.fill(scratch, fill);
                    md.update(scratch);
                    nonZero++;
                }
            } else {
                ByteBuffer data = p.dataBuffer();
                if (data.mismatch(ZERO_BUFFER) >= 0) {
                    nonZero++;
                }
                md.update(data);
            }
            next = p.offset() + PAGE;
        }

        private void zeroUpTo(long end) {
            for (; next < end; next += PAGE) {
                md.update(ZERO_PAGE, 0, (int) Math.min(PAGE, end - next)); // a block may end inside a page
            }
        }

        BlockDigest finish() {
            String sha = null;
            long nz = nonZero;
            if (unread) {
                // counts only: no digest
            } else if (image != null) {
                long[] count = new long[1];
                sha = image.digest(count);
                nz = count[0];
            } else if (!broken) {
                zeroUpTo(size);
                sha = HexFormat.of().formatHex(md.digest());
            }
            return new BlockDigest(name, size, sha, unread || broken ? -1 : nz, zero, raw, xbzrle);
        }
    }

    /** A block's contents in a sparse temporary file, mapped in segments of 1 GiB. */
    private final class Image {
        private final String name;
        private final long size;
        private final FileChannel file;
        private final MappedByteBuffer[] segments;

        Image(String name, long size) {
            this.name = name;
            this.size = size;
            try {
                Path p = tempDir == null ? Files.createTempFile("vmstate-ram-", ".img")
                        : Files.createTempFile(tempDir, "vmstate-ram-", ".img");
                file = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.DELETE_ON_CLOSE);
                int n = (int) ((size + (1L << SEGMENT_BITS) - 1) >>> SEGMENT_BITS);
                segments = new MappedByteBuffer[n];
                for (int i = 0; i < n; i++) {
                    long start = (long) i << SEGMENT_BITS;
                    segments[i] = file.map(FileChannel.MapMode.READ_WRITE, start,
                            Math.min(1L << SEGMENT_BITS, size - start));
                }
            } catch (IOException e) {
                throw new StreamIoException("cannot make a temporary image of RAM block \"" + name + "\" ("
                        + size + " bytes): " + e.getMessage(), e);
            }
        }

        void apply(RamRecord.Page p) {
            MappedByteBuffer seg = segments[(int) (p.offset() >>> SEGMENT_BITS)];
            int at = (int) (p.offset() & ((1L << SEGMENT_BITS) - 1));
            switch (p.encoding()) {
                case ZERO -> {
                    Arrays.fill(scratch, p.dataBuffer().get(0));
                    seg.put(at, scratch);
                }
                case RAW -> seg.put(at, p.dataBuffer(), 0, PAGE);
                case XBZRLE -> {
                    seg.get(at, scratch);
                    byte[] delta = p.data();
                    try {
                        Xbzrle.decode(delta, delta.length, scratch, 0, PAGE);
                    } catch (MalformedStreamException e) {
                        throw new MalformedStreamException(String.format("%s, page at offset 0x%x of block \"%s\"",
                                e.getMessage(), p.offset(), name));
                    }
                    seg.put(at, scratch);
                }
            }
        }

        String digest(long[] nonZero) {
            MessageDigest md = sha256();
            for (long off = 0; off < size; off += PAGE) {
                MappedByteBuffer seg = segments[(int) (off >>> SEGMENT_BITS)];
                int at = (int) (off & ((1L << SEGMENT_BITS) - 1));
                int len = (int) Math.min(PAGE, size - off);
                seg.get(at, scratch, 0, len);
                md.update(scratch, 0, len);
                if (len == PAGE && nonZero(scratch, 0)) {
                    nonZero[0]++;
                }
            }
            return HexFormat.of().formatHex(md.digest());
        }

        void close() {
            try {
                file.close();
            } catch (IOException e) {
                // the file is deleted on close; a failure here leaves a temporary file, nothing worse
            }
        }
    }
}
