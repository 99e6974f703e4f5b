package dev.vmstate.visitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a dump should present an integer field: in hex, as named flag bits, as named values, or as
 * a timer deadline. Hints change no encoding; every printer and dump honours them.
 *
 * <p>Immutable and thread-safe; keep hints in {@code static final} fields so visiting allocates
 * nothing.
 *
 * @since 0.1
 */
public abstract sealed class Hint permits Hint.Hex, Hint.Flags, Hint.Names, Hint.Timer {
    /** Show the value as {@code 0x..} with the width of its kind. */
    public static final Hint HEX = new Hex();
    /** A QEMU timer: the absolute deadline in ns, or -1 when the timer is not armed. */
    public static final Hint TIMER = new Timer();

    private Hint() {
    }

    /** Bit {@code i} of the value is called {@code bitNames[i]}; a null or empty name leaves the bit unnamed. */
    public static Hint flags(String... bitNames) {
        return new Flags(Arrays.asList(bitNames.clone()));
    }

    /** The value {@code v} is called {@code names.get(v)}. */
    public static Hint names(Map<Long, String> names) {
        return new Names(new TreeMap<>(names));
    }

    /** Renders {@code value} (of an integer kind {@code kind}) as this hint says. */
    public abstract String render(Kind kind, long value);

    /** A short name for schemas: {@code hex}, {@code flags}, {@code names} or {@code timer}. */
    public abstract String id();

    static String hex(Kind kind, long value) {
        int digits = Math.max(2, kind.width() * 2);
        if (kind.width() < 8) {
            value &= (1L << (kind.width() * 8)) - 1;
        }
        String h = Long.toHexString(value).toUpperCase();
        return "0x" + "0".repeat(Math.max(0, digits - h.length())) + h;
    }

    /** See {@link #HEX}. */
    public static final class Hex extends Hint {
        @Override
        public String render(Kind kind, long value) {
            return hex(kind, value);
        }

        @Override
        public String id() {
            return "hex";
        }
    }

    /** See {@link #TIMER}. */
    public static final class Timer extends Hint {
        @Override
        public String render(Kind kind, long value) {
            return value == -1 ? "-1 (not armed)" : Long.toString(value) + " ns";
        }

        @Override
        public String id() {
            return "timer";
        }
    }

    /** See {@link #flags(String...)}. */
    public static final class Flags extends Hint {
        private final List<String> bitNames;

        Flags(List<String> bitNames) {
            this.bitNames = List.copyOf(bitNames.stream().map(n -> n == null ? "" : n).toList());
        }

        public List<String> bitNames() {
            return bitNames;
        }

        @Override
        public String render(Kind kind, long value) {
            List<String> set = new ArrayList<>();
            long rest = value;
            for (int i = 0; i < bitNames.size() && i < 64; i++) {
                if ((value & (1L << i)) != 0 && !bitNames.get(i).isEmpty()) {
                    set.add(bitNames.get(i));
                    rest &= ~(1L << i);
                }
            }
            if (rest != 0 || set.isEmpty()) {
                set.add(hex(kind, rest));
            }
            return hex(kind, value) + " (" + String.join("|", set) + ")";
        }

        @Override
        public String id() {
            return "flags";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Flags f && f.bitNames.equals(bitNames);
        }

        @Override
        public int hashCode() {
            return bitNames.hashCode();
        }
    }

    /** See {@link #names(Map)}. */
    public static final class Names extends Hint {
        private final Map<Long, String> names;

        Names(Map<Long, String> names) {
            this.names = java.util.Collections.unmodifiableMap(names);
        }

        public Map<Long, String> names() {
            return names;
        }

        @Override
        public String render(Kind kind, long value) {
            String n = names.get(value);
            return n == null ? Long.toString(value) : n + " (" + value + ")";
        }

        @Override
        public String id() {
            return "names";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Names n && n.names.equals(names);
        }

        @Override
        public int hashCode() {
            return Objects.hash(names);
        }
    }

    @Override
    public String toString() {
        return id();
    }
}
