package dev.viewfold.cluster;

import java.util.Map;

/**
 * What a cluster run did, stored beside its map ({@code maps/<run>/summary.json}) and returned by
 * the function and the command.
 *
 * @param stageSeconds      wall time per stage, in order
 * @param clusterSizes      observations per cluster id, largest first
 * @param nextClusterNumber the number the next new cluster id gets: ids are never reused
 * @param map               key of the map page in the bucket
 * @param warnings          what a person should know about this run (a previous run that could not be
 *                          read, a setting that is a large share of the collection); empty when none
 * @param colours           each cluster's colour on the map ({@link MapColours}: neighbours differ)
 * @param warmStarted       observations whose layout started from the previous run's positions
 * @param fittedIn          the run whose UMAP + HDBSCAN fit the clusters come from: this run, or for
 *                          a placing run ({@link PlacementRun}) the last fit
 * @param placedSinceFit    observations new, changed or removed since that fit (0 for a fit)
 */
public record RunSummary(String run, String space, String startedAt, double seconds,
                         Map<String, Double> stageSeconds, ClusterSettings settings, int observations,
                         int clusters, long noise, double noiseFraction, Double keptFraction,
                         ClusterChanges changes, Map<String, Integer> clusterSizes, long nextClusterNumber,
                         String map, java.util.List<String> warnings, Map<String, String> colours,
                         int warmStarted, String fittedIn, int placedSinceFit) {

    public RunSummary {
        warnings = warnings == null ? java.util.List.of() : java.util.List.copyOf(warnings);
    }
}
