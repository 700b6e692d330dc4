package dev.viewfold.cluster.umap;

import java.util.function.DoubleConsumer;

/**
 * umap-learn's SGD with negative sampling: each edge is sampled in proportion to its weight
 * (epochs-per-sample scheduling), pulls its ends together, and pushes its head away from a few
 * random points; gradients are clipped at 4 and the learning rate decays linearly to 0.
 * Single-threaded on purpose: the updates of one step feed the next, so one thread in a fixed order
 * is what makes the layout the same for a seed, and it is fast enough (see RESULTS.md).
 */
final class LayoutOptimizer {

    private static final float CLIP = 4f;

    private LayoutOptimizer() {
    }

    /**
     * Moves {@code embedding} (flat, {@code n × dim}) in place along the edges of {@code graph};
     * weights below max/nEpochs are never sampled, as in umap-learn.
     */
    static void optimize(float[] embedding, int dim, FuzzyGraph graph, CurveFit ab, int nEpochs,
            double learningRate, int negativeSampleRate, long seed, DoubleConsumer progress) {
        int n = graph.n();
        float max = 0;
        for (float w : graph.weights()) {
            max = Math.max(max, w);
        }
        int nnz = graph.edges();
        int[] head = new int[nnz];
        int[] tail = new int[nnz];
        double[] epochsPerSample = new double[nnz];
        int edges = 0;
        float threshold = max / nEpochs;
        for (int i = 0; i < n; i++) {
            for (int t = graph.rowStart()[i]; t < graph.rowStart()[i + 1]; t++) {
                float w = graph.weights()[t];
                if (w >= threshold && w > 0) {
                    head[edges] = i;
                    tail[edges] = graph.columns()[t];
                    // n_samples = nEpochs · w / max, so one sample every nEpochs / n_samples epochs.
                    epochsPerSample[edges] = max / (double) w;
                    edges++;
                }
            }
        }
        double[] nextSample = new double[edges];
        double[] epochsPerNegative = new double[edges];
        double[] nextNegative = new double[edges];
        for (int e = 0; e < edges; e++) {
            nextSample[e] = epochsPerSample[e];
            epochsPerNegative[e] = epochsPerSample[e] / negativeSampleRate;
            nextNegative[e] = epochsPerNegative[e];
        }
        float a = (float) ab.a();
        float b = (float) ab.b();
        Rng rng = Rng.of(seed, 0x56DL);
        for (int epoch = 0; epoch < nEpochs; epoch++) {
            float alpha = (float) (learningRate * (1.0 - (double) epoch / nEpochs));
            for (int e = 0; e < edges; e++) {
                if (nextSample[e] > epoch) {
                    continue;
                }
                int cur = head[e] * dim;
                int oth = tail[e] * dim;
                float d2 = 0;
                for (int d = 0; d < dim; d++) {
                    float diff = embedding[cur + d] - embedding[oth + d];
                    d2 += diff * diff;
                }
                if (d2 > 0) {
                    float p = (float) Math.pow(d2, b);
                    float coeff = -2f * a * b * p / d2 / (a * p + 1f);
                    for (int d = 0; d < dim; d++) {
                        float g = clip(coeff * (embedding[cur + d] - embedding[oth + d]));
                        embedding[cur + d] += g * alpha;
                        embedding[oth + d] -= g * alpha;
                    }
                }
                nextSample[e] += epochsPerSample[e];
                int negatives = (int) ((epoch - nextNegative[e]) / epochsPerNegative[e]);
                for (int s = 0; s < negatives; s++) {
                    int k = rng.nextInt(n);
                    int other = k * dim;
                    float dn = 0;
                    for (int d = 0; d < dim; d++) {
                        float diff = embedding[cur + d] - embedding[other + d];
                        dn += diff * diff;
                    }
                    if (dn > 0) {
                        float p = (float) Math.pow(dn, b);
                        float coeff = 2f * b / ((0.001f + dn) * (a * p + 1f));
                        for (int d = 0; d < dim; d++) {
                            embedding[cur + d] += clip(coeff * (embedding[cur + d] - embedding[other + d])) * alpha;
                        }
                    } else if (k != head[e]) {
                        // Coincident points: umap-learn pushes by the clip value in every dimension.
                        for (int d = 0; d < dim; d++) {
                            embedding[cur + d] += CLIP * alpha;
                        }
                    }
                }
                nextNegative[e] += negatives * epochsPerNegative[e];
            }
            if ((epoch + 1) % 10 == 0 || epoch + 1 == nEpochs) {
                progress.accept((epoch + 1) / (double) nEpochs);
            }
        }
    }

    private static float clip(float v) {
        return v > CLIP ? CLIP : (v < -CLIP ? -CLIP : v);
    }
}
