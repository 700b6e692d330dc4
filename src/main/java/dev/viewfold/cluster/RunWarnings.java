package dev.viewfold.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a run's summary should tell its reader about settings that do not suit the collection. */
final class RunWarnings {

    private RunWarnings() {
    }

    /**
     * @param settings the settings the run used, sizes filled in
     * @param chosen   whether the cluster sizes were set (true) or left to the collection's rule
     */
    static List<String> of(ClusterSettings settings, boolean chosen, int observations, long noise) {
        List<String> out = new ArrayList<>();
        if (observations == 0) {
            return out;
        }
        int size = settings.minClusterSize();
        if (size * 10L > observations) {
            out.add(String.format(Locale.ROOT, "min-cluster-size %d is %.0f%% of the %d observations: a group smaller"
                            + " than that is called noise%s", size, 100.0 * size / observations, observations,
                    chosen ? " (viewfold.cluster.min-cluster-size; unset, it follows the collection's size)"
                            : " (a collection this small holds few clusters)"));
        }
        if (settings.neighbours() * 4L > observations) {
            out.add(String.format(Locale.ROOT, "neighbours %d is %.0f%% of the %d observations: each one's"
                    + " neighbourhood spans much of the collection, and the layout keeps little local structure",
                    settings.neighbours(), 100.0 * settings.neighbours() / observations, observations));
        }
        if (noise * 2 > observations && observations >= 2L * size) {
            out.add(String.format(Locale.ROOT, "%.0f%% of the observations are noise: if the map shows groups, lower"
                            + " viewfold.cluster.min-cluster-size and min-samples (this run: %d and %d)",
                    100.0 * noise / observations, size, settings.minSamples()));
        }
        return out;
    }
}
