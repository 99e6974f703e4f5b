package dev.vmstate.schema;

import java.util.List;

/**
 * What the {@link StructureValidator} found: an empty list when the device is well formed.
 *
 * @param device   the device type checked
 * @param problems each with the offending path and what is wrong
 * @since 0.1
 */
public record StructureReport(String device, List<Problem> problems) {

    /** One structural problem at {@code path}. */
    public record Problem(String path, String message) {
        @Override
        public String toString() {
            return path + ": " + message;
        }
    }

    public StructureReport {
        problems = List.copyOf(problems);
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    @Override
    public String toString() {
        if (problems.isEmpty()) {
            return device + ": structure ok";
        }
        StringBuilder sb = new StringBuilder(device).append(": ").append(problems.size()).append(" problem(s)");
        problems.forEach(p -> sb.append("\n  ").append(p));
        return sb.toString();
    }
}
