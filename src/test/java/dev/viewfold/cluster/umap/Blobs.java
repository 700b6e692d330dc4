package dev.viewfold.cluster.umap;

import dev.viewfold.math.Rng;

/** Gaussian blobs far apart (centres at σ 10, points at σ 1 around them); row i is in blob i % blobs. */
record Blobs(float[][] x, int[] label) {

    static Blobs of(int blobs, int per, int dim, long seed) {
        Rng rng = new Rng(seed);
        float[][] centres = new float[blobs][dim];
        for (float[] c : centres) {
            for (int k = 0; k < dim; k++) {
                c[k] = (float) (rng.nextGaussian() * 10);
            }
        }
        float[][] x = new float[blobs * per][];
        int[] label = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            label[i] = i % blobs;
            x[i] = new float[dim];
            for (int k = 0; k < dim; k++) {
                x[i][k] = centres[label[i]][k] + (float) rng.nextGaussian();
            }
        }
        return new Blobs(x, label);
    }
}
