package dev.viewfold.aggregate;

import dev.viewfold.math.Vectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Views scattered around object directions in a small space, reproducible from a seed. */
final class SyntheticViews {

    final Random random;
    final int d;

    SyntheticViews(long seed, int d) {
        this.random = new Random(seed);
        this.d = d;
    }

    float[] direction() {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) Math.abs(random.nextGaussian()); // non-negative, like pooled ReLU features
        }
        return Vectors.normalised(v);
    }

    /** A view of the object: its direction plus noise of the given size per dimension. */
    float[] around(float[] object, double noise) {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) Math.max(0, object[i] + noise * random.nextGaussian());
        }
        return Vectors.normalised(v);
    }

    List<View> views(String prefix, float[] object, int n, double noise) {
        List<View> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new View(prefix + i, prefix + i, around(object, noise)));
        }
        return out;
    }
}
