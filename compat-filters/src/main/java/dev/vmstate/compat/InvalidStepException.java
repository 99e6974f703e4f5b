package dev.vmstate.compat;

/**
 * An operation that does not apply to the schema it faces, with the step and the operation's
 * index kept apart from the text so that {@link CompatJson} can name its place in the file.
 */
final class InvalidStepException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int from;
    private final int index;

    InvalidStepException(String type, int from, int index, Operation op, IllegalArgumentException cause) {
        super(type + " step " + from + "->" + (from + 1) + ", op " + index + " (" + op.describe() + "): "
                + cause.getMessage(), cause);
        this.from = from;
        this.index = index;
    }

    int from() {
        return from;
    }

    int index() {
        return index;
    }
}
