package dev.vmstate.compat;

/**
 * Where a value sits in a tree being converted, kept as a parent-linked chain so that walking a
 * list of many elements costs one small object per level and the text is built only when a loss
 * or an error is reported.
 */
final class Where {
    static final Where ROOT = new Where(null, null, -1);

    private final Where parent;
    private final String name;
    private final int index;

    private Where(Where parent, String name, int index) {
        this.parent = parent;
        this.name = name;
        this.index = index;
    }

    Where field(String fieldName) {
        return new Where(this, fieldName, -1);
    }

    Where index(int i) {
        return new Where(this, null, i);
    }

    /** {@code channels[2].count}; empty at the root. */
    String render() {
        if (parent == null) {
            return "";
        }
        String up = parent.render();
        if (name == null) {
            return up + "[" + index + "]";
        }
        return up.isEmpty() ? name : up + "." + name;
    }

    @Override
    public String toString() {
        return render();
    }
}
