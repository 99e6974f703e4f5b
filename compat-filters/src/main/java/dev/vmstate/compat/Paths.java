package dev.vmstate.compat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Member paths: checking, splitting and rendering the {@code List<String>} form operations carry. */
final class Paths {
    private Paths() {
    }

    /** {@code "timer.period"} as {@code [timer, period]}; the empty string is the root. */
    static List<String> parse(String dotted) {
        Objects.requireNonNull(dotted, "path");
        return dotted.isEmpty() ? List.of() : List.copyOf(Arrays.asList(dotted.split("\\.", -1)));
    }

    /** An immutable copy of {@code path}, rejecting nulls, empty names and paths shorter than {@code minSize}. */
    static List<String> checked(List<String> path, int minSize) {
        Objects.requireNonNull(path, "path");
        if (path.size() < minSize) {
            throw new IllegalArgumentException("path " + path + " needs at least " + minSize + " member name(s)");
        }
        for (String s : path) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("path " + path + " has an empty member name");
            }
        }
        return List.copyOf(path);
    }

    static List<String> parent(List<String> path) {
        return path.subList(0, path.size() - 1);
    }

    static String last(List<String> path) {
        return path.get(path.size() - 1);
    }

    static List<String> child(List<String> path, String name) {
        List<String> out = new ArrayList<>(path);
        out.add(name);
        return List.copyOf(out);
    }

    /** {@code timer.period}, or {@code (root)} for the device's own struct. */
    static String render(List<String> path) {
        return path.isEmpty() ? "(root)" : String.join(".", path);
    }
}
