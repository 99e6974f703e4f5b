package dev.vmstate.visitor;

import java.util.ArrayList;
import java.util.List;

/** A test device holding one field of every kind of the data model. */
public final class AllKinds implements Visitable {
    public enum Link { DOWN, UP, NEGOTIATING }

    static final EnumType<Link> LINK = EnumType.of(Link.class, l -> switch (l) {
        case DOWN -> 0;
        case UP -> 1;
        case NEGOTIATING -> 7;
    });
    static final Hint STATUS = Hint.flags("ready", "busy", "error");

    public boolean flag;
    public int i8 = -3;
    public int i16 = -300;
    public int i32 = -70000;
    public long i64 = -5_000_000_000L;
    public int u8 = 200;
    public int u16 = 60000;
    public long u32 = 4_000_000_000L;
    public long u64 = -1L;
    public double f64 = 1.5;
    public String name = "dev0";
    public byte[] blob = {1, 2, 3};
    public byte[] fixed = new byte[4];
    public long[] regs = new long[3];
    public long[] vlans = {10, 20};
    public Inner inner = new Inner();
    public Inner[] pair = {new Inner(), new Inner()};
    public List<Inner> queues = new ArrayList<>();
    public Link link = Link.UP;
    public int pending;

    public static final class Inner implements Visitable {
        public int count;
        public long addr;

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
        u8 = v.u8("u8", u8, STATUS);
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
        v.section("allkinds/pending", pending != 0, s -> pending = s.i32("pending", pending));
    }
}
