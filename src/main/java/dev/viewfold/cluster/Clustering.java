package dev.viewfold.cluster;

/**
 * One pipeline run over n vectors, in input order.
 *
 * @param labels        cluster 0..clusterCount-1 of each vector, or -1 for noise (run-local numbers:
 *                      {@link StableIds} turns them into lasting ids)
 * @param probabilities membership strength in [0, 1]
 * @param outlierScores GLOSH outlier scores in [0, 1]
 * @param map           2-d map coordinates
 * @param space         the layout HDBSCAN clustered (the next run's warm start)
 */
public record Clustering(int[] labels, double[] probabilities, double[] outlierScores, int clusterCount,
                         float[][] map, float[][] space) {

    public static final int NOISE = -1;

    public int size() {
        return labels.length;
    }

    public long noise() {
        long count = 0;
        for (int label : labels) {
            count += label == NOISE ? 1 : 0;
        }
        return count;
    }
}
