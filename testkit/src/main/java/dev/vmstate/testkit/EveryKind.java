package dev.vmstate.testkit;

import dev.vmstate.visitor.EnumType;
import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Kind;
import dev.vmstate.visitor.Visitable;
import dev.vmstate.visitor.Visitor;
import java.util.ArrayList;
import java.util.List;

/**
 * A sample device with one field of every kind of the data model, nested structs, a list and an
 * optional section, with values that stress encoders (negative narrow integers, u64 -1, text
 * outside the BMP): the fixture format tests share. Fields are public so a test can change them.
 * Not thread-safe.
 *
 * @since 0.1
 */
public final class EveryKind implements Visitable {
    /** A link state with explicit, non-contiguous codes. */
    public enum Link { DOWN, UP, NEGOTIATING }

    public static final EnumType<Link> LINK = EnumType.of(Link.class, l -> switch (l) {
        case DOWN -> 0;
        case UP -> 1;
        case NEGOTIATING -> 7;
    });

    public boolean flag = true;
    public int i8 = -3;
    public int i16 = -300;
    public int i32 = -70000;
    public long i64 = -5_000_000_000L;
    public int u8 = 200;
    public int u16 = 60000;
    public long u32 = 4_000_000_000L;
    public long u64 = -1L;
    public double f64 = 1.5;
    public String name = "com1 \u00e9\u20ac\uD83D\uDE00";
    public byte[] blob = {1, 2, (byte) 0xAB};
    public byte[] fixed = {0, 0x10, 0x20, (byte) 0xFF};
    public long[] regs = {1, 0xFFFF_FFFFL, 3};
    public long[] vlans = {10, 20};
    public Inner inner = new Inner();
    public Inner[] pair = {new Inner(), new Inner()};
    public List<Inner> queues = new ArrayList<>(List.of(new Inner()));
    public Link link = Link.UP;
    public boolean pendingNeeded = true;
    public int pending = 42;

    /** A nested struct type ("inner", version 2). */
    public static final class Inner implements Visitable {
        public int count = 7;
        public long addr = Long.MIN_VALUE;

        @Override
        public void visit(Visitor v) {
            count = v.u16("count", count);
            addr = v.u64("addr", addr, Hint.HEX);
        }

        @Override
        public String typeName() {
            return "inner";
        }

        @Override
        public int typeVersion() {
            return 2;
        }
    }

    @Override
    public void visit(Visitor v) {
        flag = v.bool("flag", flag);
        i8 = v.i8("i8", i8);
        i16 = v.i16("i16", i16);
        i32 = v.i32("i32", i32);
        i64 = v.i64("i64", i64);
        u8 = v.u8("u8", u8, Hint.flags("ready", "busy"));
        u16 = v.u16("u16", u16);
        u32 = v.u32("u32", u32, Hint.HEX);
        u64 = v.u64("u64", u64);
        f64 = v.f64("f64", f64);
        name = v.str("name", name);
        blob = v.bytes("blob", blob);
        fixed = v.buffer("fixed", fixed, 4);
        regs = v.array("regs", Kind.U32, regs);
        vlans = v.varray("vlans", Kind.U16, vlans);
        v.struct("inner", inner);
        v.structs("pair", pair);
        queues = v.list("queues", queues, Inner::new);
        link = v.enumeration("link", link, LINK);
        pendingNeeded = v.section("everykind/pending", 1, pendingNeeded, s -> pending = s.i32("pending", pending));
    }
}
