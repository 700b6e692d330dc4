package dev.viewfold.cluster;

import java.util.List;

/**
 * What a run changed against the previous placements of the same observations.
 *
 * @param kept            previously placed observations whose cluster id (or noise) is unchanged
 * @param moved           previously in one cluster, now in another
 * @param intoNoise       previously in a cluster, now noise
 * @param outOfNoise      previously noise, now in a cluster
 * @param newObservations never placed before
 * @param births          cluster ids given out for the first time
 * @param deaths          previous cluster ids no cluster carries any more
 * @param splits          previous clusters whose members went, in large shares, to several clusters
 * @param merges          clusters that took in large shares of several previous clusters
 */
public record ClusterChanges(long kept, long moved, long intoNoise, long outOfNoise, long newObservations,
                             List<String> births, List<String> deaths, List<Split> splits, List<Merge> merges) {

    public record Split(String from, List<String> into) {
    }

    public record Merge(List<String> from, String into) {
    }

    /**
     * Share of previously placed observations that kept their cluster id; null when none had been
     * placed (a first run keeps nothing and loses nothing: saying 100% there would mislead).
     */
    public Double keptFraction() {
        long before = kept + moved + intoNoise + outOfNoise;
        return before == 0 ? null : (double) kept / before;
    }
}
