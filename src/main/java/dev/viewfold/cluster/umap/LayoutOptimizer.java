package dev.viewfold.cluster.umap;

import dev.viewfold.math.Rng;

import java.util.function.DoubleConsumer;

/**
 * umap-learn's SGD with negative sampling: each edge is sampled in proportion to its weight
 * (epochs-per-sample scheduling), pulls its ends together, and pushes its head away from a few
 * random points; gradients are clipped at 4 and the learning rate decays linearly to 0.
 * Parallel yet deterministic: edges go in batches of fixed size; within a batch, fixed pieces are
 * computed in parallel against the layout as it was at the batch's start (a head's own moves apply
 * at once, as its edges are consecutive), and their moves are added in piece order. Each piece has
 * its own seeded generator, so a seed gives one layout whatever the thread count.
 */
final class LayoutOptimizer {

    private static final float CLIP = 4f;
    /** Edges per batch: all steps of a batch read the layout as it was when the batch began. */
    private static final int BATCH = 8192;
    /** Edges per parallel piece of a batch; a fixed size, so the result does not depend on threads. */
    private static final int SUB = 2048;

    private LayoutOptimizer() {
    }

    /**
     * Moves {@code embedding} (flat, {@code n × dim}) in place along the edges of {@code graph};
     * weights below max/nEpochs are never sampled, as in umap-learn.
     */
    static void optimize(float[] embedding, int dim, FuzzyGraph graph, CurveFit ab, int nEpochs,
            double learningRate, int negativeSampleRate, long seed, Chunks chunks, DoubleConsumer progress) {
        optimize(embedding, dim, graph, ab, nEpochs, learningRate, negativeSampleRate, seed, chunks, progress, null);
    }

    /**
     * As above, with the rows marked in {@code fixed} held where they are (null: none), as umap-learn's
     * transform holds its training points: no move lands on them, an edge between two of them is not
     * sampled, and one from a held row to a free one still pulls the free one (so a free row is
     * pulled toward a held neighbour from both ends of the pair, as toward a free one), while the
     * held row neither moves nor samples negatives.
     */
    static void optimize(float[] embedding, int dim, FuzzyGraph graph, CurveFit ab, int nEpochs,
            double learningRate, int negativeSampleRate, long seed, Chunks chunks, DoubleConsumer progress,
            boolean[] fixed) {
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
                if (w >= threshold && w > 0 && (fixed == null || !fixed[i] || !fixed[graph.columns()[t]])) {
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
        Step step = new Step(embedding, dim, n, head, tail, epochsPerSample, nextSample, epochsPerNegative,
                nextNegative, a, b, seed, fixed);
        int slots = BATCH / SUB;
        int[][] vertices = new int[slots][2 * SUB];
        float[][] deltas = new float[slots][2 * SUB * dim];
        int[] sizes = new int[slots];
        for (int epoch = 0; epoch < nEpochs; epoch++) {
            float alpha = (float) (learningRate * (1.0 - (double) epoch / nEpochs));
            int ep = epoch;
            for (int batch = 0; batch < edges; batch += BATCH) {
                int from = batch;
                int to = Math.min(edges, batch + BATCH);
                int subs = Chunks.count(to - from, SUB);
                chunks.run(subs, s -> sizes[s] = step.run(ep, alpha, from + s * SUB, Math.min(to, from + (s + 1) * SUB),
                        vertices[s], deltas[s]));
                for (int s = 0; s < subs; s++) {
                    int[] v = vertices[s];
                    float[] dl = deltas[s];
                    for (int t = 0; t < sizes[s]; t++) {
                        if (fixed != null && fixed[v[t]]) {
                            continue;
                        }
                        int base = v[t] * dim;
                        for (int d = 0; d < dim; d++) {
                            embedding[base + d] += dl[t * dim + d];
                        }
                    }
                }
            }
            if ((epoch + 1) % 10 == 0 || epoch + 1 == nEpochs) {
                progress.accept((epoch + 1) / (double) nEpochs);
            }
        }
    }

    /**
     * The SGD steps of one run of consecutive edges, read against the layout as it was when the
     * batch began; moves are written to a buffer as (vertex, delta) for the caller to apply in order.
     * Edges come sorted by head, so a head's own moves are applied as they happen, as in umap-learn.
     */
    private record Step(float[] embedding, int dim, int n, int[] head, int[] tail, double[] epochsPerSample,
            double[] nextSample, double[] epochsPerNegative, double[] nextNegative, float a, float b, long seed,
            boolean[] fixed) {

        int run(int epoch, float alpha, int from, int to, int[] vertices, float[] deltas) {
            if (dim == 2) {
                return run2(epoch, alpha, from, to, vertices, deltas);
            }
            Rng rng = Rng.of(seed, ((long) epoch << 32) ^ (from / SUB));
            float[] cur = new float[dim];
            float[] move = new float[dim];
            float[] push = new float[dim];
            int size = 0;
            int current = -1;
            float own = 1f; // 0 for a held head: its edges move only their tails
            for (int e = from; e < to; e++) {
                if (nextSample[e] > epoch) {
                    continue;
                }
                int j = head[e];
                if (j != current) {
                    if (current >= 0) {
                        size = flush(current, move, vertices, deltas, size);
                    }
                    current = j;
                    own = fixed != null && fixed[j] ? 0f : 1f;
                    System.arraycopy(embedding, j * dim, cur, 0, dim);
                    java.util.Arrays.fill(move, 0f);
                }
                int oth = tail[e] * dim;
                float d2 = 0;
                for (int d = 0; d < dim; d++) {
                    float diff = cur[d] - embedding[oth + d];
                    d2 += diff * diff;
                }
                if (d2 > 0) {
                    float p = FastPow.pow(d2, b);
                    float coeff = -2f * a * b * p / d2 / (a * p + 1f);
                    int t = size++;
                    vertices[t] = tail[e];
                    for (int d = 0; d < dim; d++) {
                        float g = clip(coeff * (cur[d] - embedding[oth + d])) * alpha;
                        cur[d] += own * g;
                        move[d] += own * g;
                        deltas[t * dim + d] = -g;
                    }
                }
                nextSample[e] += epochsPerSample[e];
                int negatives = (int) ((epoch - nextNegative[e]) / epochsPerNegative[e]);
                int pushes = own == 0f ? 0 : negatives;
                // All of this edge's negative samples push from the same position and their moves
                // are summed afterwards: independent steps the CPU can overlap (the chain through
                // the head's position was most of the time), at no cost in quality.
                java.util.Arrays.fill(push, 0f);
                for (int s = 0; s < pushes; s++) {
                    int k = rng.nextInt(n);
                    int other = k * dim;
                    float dn = 0;
                    for (int d = 0; d < dim; d++) {
                        float diff = cur[d] - embedding[other + d];
                        dn += diff * diff;
                    }
                    if (dn > 0) {
                        float p = FastPow.pow(dn, b);
                        float coeff = 2f * b / ((0.001f + dn) * (a * p + 1f));
                        for (int d = 0; d < dim; d++) {
                            push[d] += clip(coeff * (cur[d] - embedding[other + d])) * alpha;
                        }
                    } else if (k != j) {
                        // Coincident points: umap-learn pushes by the clip value in every dimension.
                        for (int d = 0; d < dim; d++) {
                            push[d] += CLIP * alpha;
                        }
                    }
                }
                for (int d = 0; d < dim; d++) {
                    cur[d] += push[d];
                    move[d] += push[d];
                }
                nextNegative[e] += negatives * epochsPerNegative[e];
            }
            if (current >= 0) {
                size = flush(current, move, vertices, deltas, size);
            }
            return size;
        }

        /** {@link #run} for the 2-d map with the coordinates in locals: the same arithmetic, in the same order. */
        private int run2(int epoch, float alpha, int from, int to, int[] vertices, float[] deltas) {
            Rng rng = Rng.of(seed, ((long) epoch << 32) ^ (from / SUB));
            float[] emb = embedding;
            float cx = 0;
            float cy = 0;
            float mx = 0;
            float my = 0;
            int size = 0;
            int current = -1;
            float own = 1f;
            for (int e = from; e < to; e++) {
                if (nextSample[e] > epoch) {
                    continue;
                }
                int j = head[e];
                if (j != current) {
                    if (current >= 0) {
                        vertices[size] = current;
                        deltas[2 * size] = mx;
                        deltas[2 * size + 1] = my;
                        size++;
                    }
                    current = j;
                    own = fixed != null && fixed[j] ? 0f : 1f;
                    cx = emb[2 * j];
                    cy = emb[2 * j + 1];
                    mx = 0;
                    my = 0;
                }
                int oth = 2 * tail[e];
                float dx = cx - emb[oth];
                float dy = cy - emb[oth + 1];
                float d2 = dx * dx + dy * dy;
                if (d2 > 0) {
                    float p = FastPow.pow(d2, b);
                    float coeff = -2f * a * b * p / d2 / (a * p + 1f);
                    float gx = clip(coeff * dx) * alpha;
                    float gy = clip(coeff * dy) * alpha;
                    cx += own * gx;
                    cy += own * gy;
                    mx += own * gx;
                    my += own * gy;
                    vertices[size] = tail[e];
                    deltas[2 * size] = -gx;
                    deltas[2 * size + 1] = -gy;
                    size++;
                }
                nextSample[e] += epochsPerSample[e];
                int negatives = (int) ((epoch - nextNegative[e]) / epochsPerNegative[e]);
                float px = 0;
                float py = 0;
                for (int s = 0; s < (own == 0f ? 0 : negatives); s++) {
                    int k = rng.nextInt(n);
                    float ex = cx - emb[2 * k];
                    float ey = cy - emb[2 * k + 1];
                    float dn = ex * ex + ey * ey;
                    if (dn > 0) {
                        float p = FastPow.pow(dn, b);
                        float coeff = 2f * b / ((0.001f + dn) * (a * p + 1f));
                        px += clip(coeff * ex) * alpha;
                        py += clip(coeff * ey) * alpha;
                    } else if (k != j) {
                        px += CLIP * alpha;
                        py += CLIP * alpha;
                    }
                }
                cx += px;
                cy += py;
                mx += px;
                my += py;
                nextNegative[e] += negatives * epochsPerNegative[e];
            }
            if (current >= 0) {
                vertices[size] = current;
                deltas[2 * size] = mx;
                deltas[2 * size + 1] = my;
                size++;
            }
            return size;
        }

        private int flush(int vertex, float[] move, int[] vertices, float[] deltas, int size) {
            vertices[size] = vertex;
            System.arraycopy(move, 0, deltas, size * dim, dim);
            return size + 1;
        }
    }

    private static float clip(float v) {
        return v > CLIP ? CLIP : (v < -CLIP ? -CLIP : v);
    }
}
