package dev.viewfold.groups;

/**
 * Adam (Kingma &amp; Ba 2015) with decoupled weight decay (AdamW, Loshchilov &amp; Hutter 2019):
 * the decay shrinks the weights directly rather than entering the gradient's moments, so its
 * strength does not depend on the gradient's scale. Decay applies to the given ranges only (the
 * weight matrices); biases are left free.
 */
final class Adam {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final float learningRate;
    private final float weightDecay;
    private final int[] decayRanges;
    private final float[] m;
    private final float[] v;
    private int t;

    Adam(int size, float learningRate, float weightDecay, int[] decayRanges) {
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        this.decayRanges = decayRanges.clone();
        this.m = new float[size];
        this.v = new float[size];
    }

    void step(float[] params, float[] grads) {
        t++;
        float c1 = (float) (1 - Math.pow(BETA1, t));
        float c2 = (float) (1 - Math.pow(BETA2, t));
        float shrink = 1f - learningRate * weightDecay;
        for (int r = 0; r < decayRanges.length; r += 2) {
            for (int i = decayRanges[r]; i < decayRanges[r + 1]; i++) {
                params[i] *= shrink;
            }
        }
        for (int i = 0; i < params.length; i++) {
            float g = grads[i];
            float mi = BETA1 * m[i] + (1 - BETA1) * g;
            float vi = BETA2 * v[i] + (1 - BETA2) * g * g;
            m[i] = mi;
            v[i] = vi;
            params[i] -= learningRate * (mi / c1) / ((float) Math.sqrt(vi / c2) + EPSILON);
        }
    }
}
