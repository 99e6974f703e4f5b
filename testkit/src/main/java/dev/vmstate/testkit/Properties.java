package dev.vmstate.testkit;

import org.quicktheories.QuickTheory;

/**
 * The one place property tests get their settings, so every property in the project runs the
 * same number of tries and a failure can be replayed: QuickTheories prints the seed of a failing
 * run, and {@code -Dvmstate.seed=<seed>} runs exactly that sequence again.
 *
 * <table>
 *   <caption>System properties</caption>
 *   <tr><th>property</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code vmstate.tries}</td><td>{@value #DEFAULT_TRIES}</td><td>examples per property</td></tr>
 *   <tr><td>{@code vmstate.seed}</td><td>random</td><td>fixed seed to replay a failure</td></tr>
 * </table>
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class Properties {
    /** Examples per property: enough to find shallow bugs, cheap enough for a 2-core CI. */
    public static final int DEFAULT_TRIES = 100;

    private Properties() {
    }

    /** Examples per property, from {@code vmstate.tries}. */
    public static int tries() {
        return Integer.getInteger("vmstate.tries", DEFAULT_TRIES);
    }

    /** A QuickTheories runner with the project's tries and, when set, its fixed seed. */
    public static QuickTheory qt() {
        QuickTheory qt = QuickTheory.qt().withExamples(tries()).withShrinkCycles(200);
        String seed = System.getProperty("vmstate.seed");
        return seed == null || seed.isBlank() ? qt : qt.withFixedSeed(Long.parseLong(seed.trim()));
    }
}
