package dev.viewfold.groups;

import dev.viewfold.math.Rng;

/**
 * Starting parameters, chosen so that the untrained head (epoch 0) retrieves about as well as the
 * raw embeddings: training should only ever have to improve on them.
 *
 * <ul>
 *   <li>LINEAR: the rows of W are the top {@code out} principal axes of the training vectors (or
 *       the identity when {@code out ≥ in}), b = 0: the head is the orthogonal projection that best
 *       keeps inner products.</li>
 *   <li>MLP: "looks-linear" initialisation (Balduzzi et al. 2017, "The Shattered Gradients
 *       Problem"): hidden units come in mirrored pairs {@code (u, −u)} over principal axes, and the
 *       second layer adds {@code relu(u·x) − relu(−u·x) = u·x}, so the network starts as the same
 *       projection as LINEAR yet has every ReLU free to bend as it learns. Hidden pairs beyond the
 *       output size start on the next axes with zero outgoing weight; a leftover unit (odd width)
 *       gets He initialisation. A plain He-initialised MLP would start as a random feature map,
 *       scrambling the neighbourhoods that training would then first have to rebuild.</li>
 * </ul>
 *
 * Outputs with nothing to copy (when {@code out} exceeds what the axes provide) start from small
 * seeded noise in the MLP, so that their gradient is not stuck at zero.
 */
final class HeadInit {

    private HeadInit() {
    }

    static float[] initial(HeadKind kind, int in, int hidden, int out, float[][] train, Rng rng) {
        float[] p = new float[(int) ProjectionHead.parameterCount(kind, in, kind == HeadKind.LINEAR ? 0 : hidden, out)];
        if (kind == HeadKind.LINEAR) {
            float[][] axes = axes(train, Math.min(out, in), in, rng);
            for (int j = 0; j < axes.length; j++) {
                for (int k = 0; k < in; k++) {
                    p[k * out + j] = axes[j][k];
                }
            }
            return p;
        }
        int pairs = hidden / 2;
        int q = Math.min(pairs, in);
        float[][] axes = axes(train, q, in, rng);
        int w2 = in * hidden + hidden;
        for (int i = 0; i < q; i++) {
            for (int k = 0; k < in; k++) {
                p[k * hidden + 2 * i] = axes[i][k];
                p[k * hidden + 2 * i + 1] = -axes[i][k];
            }
        }
        double he = Math.sqrt(2.0 / in);
        for (int u = 2 * q; u < hidden; u++) {
            for (int k = 0; k < in; k++) {
                p[k * hidden + u] = (float) (he * rng.nextGaussian());
            }
        }
        int copied = Math.min(q, out);
        for (int i = 0; i < copied; i++) {
            p[w2 + (2 * i) * out + i] = 1f;
            p[w2 + (2 * i + 1) * out + i] = -1f;
        }
        double small = 0.01 / Math.sqrt(hidden);
        for (int j = copied; j < out; j++) {
            for (int h = 0; h < hidden; h++) {
                p[w2 + h * out + j] = (float) (small * rng.nextGaussian());
            }
        }
        return p;
    }

    /** {@code m ≤ d} orthonormal rows: the identity's when they are all of R^d, else principal axes. */
    private static float[][] axes(float[][] train, int m, int d, Rng rng) {
        if (m == d) {
            float[][] id = new float[d][d];
            for (int i = 0; i < d; i++) {
                id[i][i] = 1f;
            }
            return id;
        }
        return PrincipalAxes.top(train, m, rng);
    }
}
