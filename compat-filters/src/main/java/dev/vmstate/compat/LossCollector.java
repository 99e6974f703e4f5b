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
    private String step = "";

    LossCollector(String type, String direction, int target, boolean allowLoss) {
        this.type = type;
        this.direction = direction;
        this.target = target;
        this.allowLoss = allowLoss;
    }

    /** Names the step being applied, {@code 3->2}, in the reports that follow. */
    void step(int from, int to) {
        step = "step " + from + "->" + to + ", ";
    }

    @Override
    public void lost(String path, StateTree value, String what) {
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
