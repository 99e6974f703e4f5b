package dev.vmstate.device.serial;

import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;

/**
 * A byte ring of fixed capacity, QEMU's {@code Fifo8} (qemu/qemu:util/fifo8.c @7.2) with its
 * vmsd {@code "Fifo8"} v1: {@code data} as a buffer of the full capacity, then u32 {@code head}
 * and u32 {@code num}. The whole ring is saved, unread slots included, so a round trip is
 * byte-faithful.
 *
 * <p>Public fields mirror the C struct. Not thread-safe.
 *
 * @since 0.1
 */
public final class Fifo8 implements Visitable {
    /** The ring; its length is the capacity. */
    public byte[] data;
    /** Index of the oldest byte, 0..capacity-1. */
    public long head;
    /** Bytes held, 0..capacity. */
    public long num;

    /** An empty ring of {@code capacity} bytes. */
    public Fifo8(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity " + capacity + " must be positive");
        }
        this.data = new byte[capacity];
    }

    @Override
    public void visit(Visitor v) {
        // QEMU 7.2 util/fifo8.c vmstate_fifo8: VMSTATE_VBUFFER_UINT32(data, ..., capacity), head, num.
        data = v.buffer("data", data, data.length);
        head = v.u32("head", head);
        num = v.u32("num", num);
    }

    @Override
    public String typeName() {
        return "Fifo8";
    }

    @Override
    public int typeVersion() {
        return 1;
    }

    public int capacity() {
        return data.length;
    }

    public boolean isEmpty() {
        return num == 0;
    }

    public boolean isFull() {
        return num == data.length;
    }

    /** Appends {@code b}; throws {@link IllegalStateException} when full (QEMU asserts). */
    public void push(byte b) {
        if (isFull()) {
            throw new IllegalStateException("fifo full");
        }
        data[(int) ((head + num) % data.length)] = b;
        num++;
    }

    /** Removes and returns the oldest byte; throws {@link IllegalStateException} when empty. */
    public byte pop() {
        if (isEmpty()) {
            throw new IllegalStateException("fifo empty");
        }
        byte b = data[(int) head];
        head = (head + 1) % data.length;
        num--;
        return b;
    }

    /** Empties the ring; like QEMU's {@code fifo8_reset}, the bytes stay in {@code data}. */
    public void reset() {
        head = 0;
        num = 0;
    }
}
