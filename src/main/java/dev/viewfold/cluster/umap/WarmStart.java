package dev.viewfold.cluster.umap;

import dev.viewfold.math.Rng;

/** A starting layout from earlier positions, with new rows placed among their graph neighbours. */
final class WarmStart {

    /** New rows further than this many hops from any placed row start at the placed rows' centre. */
    private static final int MAX_HOPS = 8;

    private WarmStart() {
    }

    /**
     * @return n × dim coordinates (row-major), or null when no row has an earlier position
     */
    static float[] of(FuzzyGraph graph, float[][] start, int dim, long seed) {
        int n = graph.n();
        float[] layout = new float[n * dim];
        boolean[] placed = new boolean[n];
        double[] centre = new double[dim];
        int known = 0;
        for (int i = 0; i < n; i++) {
            if (start[i] != null) {
                if (start[i].length != dim) {
                    throw new IllegalArgumentException("start row " + i + " has " + start[i].length
                            + " coordinates, the layout " + dim);
                }
                for (int d = 0; d < dim; d++) {
                    layout[i * dim + d] = start[i][d];
                    centre[d] += start[i][d];
                }
                placed[i] = true;
                known++;
            }
        }
        if (known == 0) {
            return null;
        }
        // Hop by hop: a row joins once a neighbour is placed (placements of this hop count from the next).
        for (int hop = 0; hop < MAX_HOPS && known < n; hop++) {
            boolean[] before = placed.clone();
            for (int i = 0; i < n; i++) {
                if (before[i]) {
                    continue;
                }
                double weight = 0;
                double[] sum = new double[dim];
                for (int t = graph.rowStart()[i]; t < graph.rowStart()[i + 1]; t++) {
                    int j = graph.columns()[t];
                    if (before[j]) {
                        float w = graph.weights()[t];
                        weight += w;
                        for (int d = 0; d < dim; d++) {
                            sum[d] += w * layout[j * dim + d];
                        }
                    }
                }
                if (weight > 0) {
                    for (int d = 0; d < dim; d++) {
                        layout[i * dim + d] = (float) (sum[d] / weight);
                    }
                    placed[i] = true;
                    known++;
                }
            }
        }
        Rng rng = Rng.of(seed, 0x57a27L);
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                if (!placed[i]) {
                    layout[i * dim + d] = (float) (centre[d] / Math.max(1, known));
                }
                // As the cold start: a little noise, so rows placed at one spot can separate.
                layout[i * dim + d] += (float) (rng.nextGaussian() * 1e-3);
            }
        }
        return layout;
    }
}
