package dev.viewfold.cluster.hdbscan;

/**
 * A flat HDBSCAN clustering, one entry per input point, in input order.
 *
 * @param labels        cluster 0..clusterCount-1, or {@link #NOISE}; clusters are numbered in
 *                      order of their smallest member index
 * @param probabilities membership strength in [0, 1], 0 for noise; R's definition: within a
 *                      cluster, {@code (max core distance - core distance) / max core distance}
 * @param outlierScores GLOSH in [0, 1]: {@code 1 - eps_min / eps}, where eps is the height at
 *                      which the point leaves its condensed-tree cluster and eps_min the lowest
 *                      death among that cluster's leaf descendants; 0 for points that never stand out
 * @param clusterCount  number of clusters
 */
public record HdbscanResult(int[] labels, double[] probabilities, double[] outlierScores, int clusterCount) {

    public static final int NOISE = -1;
}
