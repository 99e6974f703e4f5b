package dev.vmstate.compat;

import dev.vmstate.tree.StateTree;
import java.util.ArrayList;
import java.util.List;

/** The sink of one conversion: throws at the first loss, or collects them when loss is allowed. */
final class LossCollector implements LossSink {
    private final String type;
    private final String direction;
    private final int target;
    private final boolean allowLoss;
    private final List<Loss> losses = new ArrayList<>();
    /** The step being applied, {@code stepFrom -> stepTo}; none while {@code stepFrom} is negative. */
    private int stepFrom = -1;
    private int stepTo;

    LossCollector(String type, String direction, int target, boolean allowLoss) {
        this.type = type;
        this.direction = direction;
        this.target = target;
        this.allowLoss = allowLoss;
    }

    /** Names the step being applied, {@code 3->2}, in the reports that follow. */
    void step(int from, int to) {
        // #6: an upgrade names its step for every conversion, and a report is rare: no text until one
        stepFrom = from;
        stepTo = to;
    }

    @Override
    public void lost(String path, StateTree value, String what) {
        String step = stepFrom < 0 ? "" : "step " + stepFrom + "->" + stepTo + ", ";
        Loss loss = new Loss(path.isEmpty() ? type : type + "." + path, value, target, step + what);
        if (!allowLoss) {
            throw loss.exception(direction);
        }
        losses.add(loss);
    }

    List<Loss> losses() {
        return losses;
    }
}
