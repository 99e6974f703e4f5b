package dev.vmstate.stream;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One record of a RAM section (QEMU's {@code ram_load_precopy}): the block list, a page, or the
 * end of a chunk. Offsets are relative to their block; pages are {@link #PAGE_SIZE} bytes.
 *
 * @since 0.1
 */
public sealed interface RamRecord extends StreamRecord {
    /** TARGET_PAGE_SIZE on x86. */
    int PAGE_SIZE = 4096;

    /**
     * The block list ({@code RAM_SAVE_FLAG_MEM_SIZE}): total bytes and each block's id and used length.
     */
    record Blocks(long totalBytes, List<Block> blocks) implements RamRecord {
        public Blocks {
            blocks = List.copyOf(blocks);
        }
    }

    /** One RAM block: its id string and used length in bytes. */
    record Block(String name, long usedLength) {
        public Block {
            Objects.requireNonNull(name, "name");
        }
    }

    /** How a page's content is carried. */
    enum Encoding {
        /** {@code RAM_SAVE_FLAG_ZERO}: one fill byte (always 0 when QEMU writes it). */
        ZERO,
        /** {@code RAM_SAVE_FLAG_PAGE}: the page's bytes. */
        RAW,
        /** {@code RAM_SAVE_FLAG_XBZRLE}: a delta against the page's previous content, as encoded. */
        XBZRLE
    }

    /**
     * A page record.
     *
     * @param block     the RAM block's id string
     * @param offset    page-aligned offset in the block
     * @param continued whether the wire omits the block name ({@code RAM_SAVE_FLAG_CONTINUE}): same block as before
     * @param encoding  how {@code data} carries the page
     * @param data      ZERO: one fill byte; RAW: {@link #PAGE_SIZE} bytes; XBZRLE: the encoded delta; empty
     *                  for RAW and XBZRLE when the reader skipped page data
     *                  ({@link dev.vmstate.spi.ReadOptions#withPageData(boolean)}). The record takes the
     *                  array without copying it (a stream holds millions of pages): the caller must not
     *                  change it afterwards.
     */
    record Page(String block, long offset, boolean continued, Encoding encoding, byte[] data) implements RamRecord {
        public Page {
            Objects.requireNonNull(block, "block");
            Objects.requireNonNull(encoding, "encoding");
            Objects.requireNonNull(data, "data");
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        /** The data as a read-only buffer, without copying it. */
        public java.nio.ByteBuffer dataBuffer() {
            return java.nio.ByteBuffer.wrap(data).asReadOnlyBuffer();
        }

        /** Length of {@code data}, without copying it. */
        public int dataLength() {
            return data.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Page p && p.block.equals(block) && p.offset == offset && p.continued == continued
                    && p.encoding == encoding && Arrays.equals(p.data, data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(block, offset, continued, encoding, Arrays.hashCode(data));
        }
    }

    /** {@code RAM_SAVE_FLAG_EOS}: the end of a RAM chunk's records. */
    record Eos() implements RamRecord {
    }
}
