package dev.viewfold.groups;

import java.util.Arrays;

/**
 * A head being trained: its parameters, their gradients, and per-batch-slot activations kept for
 * the backward pass. Single-threaded; every buffer is allocated once, for the largest batch.
 *
 * <p>The output is {@code y = z / ‖z‖}. Given {@code g = ∂L/∂y}, the gradient before the
 * normalisation is {@code ∂L/∂z = (g − y (y·g)) / ‖z‖}: only the part of {@code g} across the unit
 * sphere moves {@code y}; the radial part is lost in the normalisation.
 */
final class HeadNetwork {

    final HeadKind kind;
    final int in;
    final int hidden;
    final int out;
    final float[] params;
    final float[] grads;
    /** Offsets in {@link #params}: first layer's weights and bias, second layer's (MLP only, else -1). */
    final int w1;
    final int b1;
    final int w2;
    final int b2;

    /** Unit outputs, slot-major: {@code y[slot·out + j]}. */
    final float[] y;
    private final float[] norms;
    /** MLP hidden activations after the ReLU, slot-major. */
    private final float[] act;
    private final float[] z;
    private final float[] dz;
    private final float[] da;

    HeadNetwork(HeadKind kind, int in, int hidden, int out, float[] params, int capacity) {
        this.kind = kind;
        this.in = in;
        this.hidden = kind == HeadKind.LINEAR ? 0 : hidden;
        this.out = out;
        if (params.length != ProjectionHead.parameterCount(kind, in, this.hidden, out)) {
            throw new IllegalArgumentException("parameter count does not match the head's shape");
        }
        this.params = params;
        this.grads = new float[params.length];
        if (kind == HeadKind.LINEAR) {
            w1 = 0;
            b1 = in * out;
            w2 = -1;
            b2 = -1;
        } else {
            w1 = 0;
            b1 = in * hidden;
            w2 = b1 + hidden;
            b2 = w2 + hidden * out;
        }
        this.y = new float[capacity * out];
        this.norms = new float[capacity];
        this.act = new float[kind == HeadKind.LINEAR ? 0 : capacity * hidden];
        this.z = new float[out];
        this.dz = new float[out];
        this.da = new float[this.hidden];
    }

    /** The parameter ranges weight decay applies to: the weight matrices, never the biases. */
    int[] decayRanges() {
        return kind == HeadKind.LINEAR ? new int[] {w1, b1} : new int[] {w1, b1, w2, b2};
    }

    ProjectionHead snapshot() {
        return new ProjectionHead(kind, in, hidden, out, params.clone());
    }

    void zeroGrads() {
        Arrays.fill(grads, 0f);
    }

    /** Runs {@code x} through the head into {@code slot}: same arithmetic as {@link ProjectionHead#project}. */
    void forward(float[] x, int slot) {
        if (kind == HeadKind.LINEAR) {
            Dense.affine(x, 0, in, params, w1, b1, out, z, 0);
        } else {
            int a = slot * hidden;
            Dense.affine(x, 0, in, params, w1, b1, hidden, act, a);
            for (int i = a; i < a + hidden; i++) {
                act[i] = Math.max(0f, act[i]);
            }
            Dense.affine(act, a, hidden, params, w2, b2, out, z, 0);
        }
        norms[slot] = Dense.normalise(z, 0, y, slot * out, out);
    }

    /**
     * Adds to {@link #grads} the gradient of the loss through {@code slot}, whose input was
     * {@code x}, given {@code g = ∂L/∂y} at {@code g[gOff, gOff+out)}.
     */
    void backward(float[] x, int slot, float[] g, int gOff) {
        float norm = norms[slot];
        if (norm == 0f) {
            return; // the head sent x to the origin: no direction to move
        }
        int yOff = slot * out;
        float radial = Dense.dot(y, yOff, g, gOff, out);
        float inv = 1f / norm;
        for (int j = 0; j < out; j++) {
            dz[j] = (g[gOff + j] - y[yOff + j] * radial) * inv;
        }
        if (kind == HeadKind.LINEAR) {
            outer(x, 0, in, dz, w1, b1, out);
            return;
        }
        int a = slot * hidden;
        outer(act, a, hidden, dz, w2, b2, out);
        boolean any = false;
        for (int h = 0; h < hidden; h++) {
            if (act[a + h] > 0f) {
                float s = Dense.dot(params, w2 + h * out, dz, 0, out);
                da[h] = s;
                any |= s != 0f;
            } else {
                da[h] = 0f;
            }
        }
        if (any) {
            outer(x, 0, in, da, w1, b1, hidden);
        }
    }

    /** {@code gW[k, ·] += x[k] · d}, {@code gb += d} for a layer of {@code width} outputs. */
    private void outer(float[] x, int xOff, int n, float[] d, int wOff, int bOff, int width) {
        for (int j = 0; j < width; j++) {
            grads[bOff + j] += d[j];
        }
        for (int k = 0; k < n; k++) {
            float a = x[xOff + k];
            if (a != 0f) {
                int base = wOff + k * width;
                for (int j = 0; j < width; j++) {
                    grads[base + j] += a * d[j];
                }
            }
        }
    }
}
