package dev.viewfold.groups;

/**
 * One batch through the head: forward every slot, similarities, the loss and its coefficients,
 * then the gradient {@code ∂L/∂y_i = Σ_j (c_ij + c_ji) y_j} back through each slot. Buffers sized
 * once for the largest batch.
 */
final class TrainingStep {

    final HeadNetwork net;
    final BatchLoss loss;
    private final int capacity;
    private final float[] sims;
    private final float[] coef;
    private final boolean[] positive;
    private final float[] gy;

    TrainingStep(HeadNetwork net, BatchLoss loss, int capacity) {
        this.net = net;
        this.loss = loss;
        this.capacity = capacity;
        this.sims = new float[capacity * capacity];
        this.coef = new float[capacity * capacity];
        this.positive = new boolean[capacity * capacity];
        this.gy = new float[net.out];
    }

    /**
     * The loss of the batch {@code items[0, n)} (indices into {@code xs} and {@code bits}); with
     * {@code backward}, its gradient is added to {@code net.grads}.
     */
    double run(float[][] xs, long[][] bits, int[] items, int n, boolean backward) {
        if (n > capacity) {
            throw new IllegalArgumentException("batch of " + n + " is over the capacity " + capacity);
        }
        int out = net.out;
        float[] y = net.y;
        for (int s = 0; s < n; s++) {
            net.forward(xs[items[s]], s);
        }
        for (int i = 0; i < n; i++) {
            sims[i * n + i] = 1f;
            positive[i * n + i] = true;
            for (int j = i + 1; j < n; j++) {
                float s = Dense.dot(y, i * out, y, j * out, out);
                sims[i * n + j] = s;
                sims[j * n + i] = s;
                boolean p = LabelBits.shares(bits[items[i]], bits[items[j]]);
                positive[i * n + j] = p;
                positive[j * n + i] = p;
            }
        }
        double value = loss.compute(n, sims, positive, coef);
        if (backward) {
            for (int i = 0; i < n; i++) {
                java.util.Arrays.fill(gy, 0f);
                boolean any = false;
                for (int j = 0; j < n; j++) {
                    float c = coef[i * n + j] + coef[j * n + i];
                    if (c != 0f && j != i) {
                        any = true;
                        int yj = j * out;
                        for (int k = 0; k < out; k++) {
                            gy[k] += c * y[yj + k];
                        }
                    }
                }
                if (any) {
                    net.backward(xs[items[i]], i, gy, 0);
                }
            }
        }
        return value;
    }
}
