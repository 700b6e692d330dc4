package dev.viewfold.aggregate;

import java.util.List;
import java.util.Locale;

/** Multi-view CNN "view pooling": the element-wise maximum over views, normalised. Flags nothing. */
public final class MaxStrategy implements FoldStrategy {

    @Override
    public String name() {
        return "max";
    }

    @Override
    public Fold fold(List<View> views) {
        List<float[]> v = Consensus.vectors(views);
        float[] max = v.get(0).clone();
        for (float[] x : v) {
            for (int j = 0; j < max.length; j++) {
                max[j] = Math.max(max[j], x[j]);
            }
        }
        float[] unit = dev.viewfold.math.Vectors.normalised(max);
        float[] pooled = unit != null ? unit : Consensus.mean(v);
        float[] agreement = Consensus.agreement(v, pooled);
        boolean[] outlier = new boolean[v.size()];
        double dispersion = Consensus.dispersion(agreement, outlier);
        return new Fold(pooled, agreement, outlier, dispersion,
                String.format(Locale.ROOT, "element-wise max over %d views; median distance to it %.3f", v.size(), dispersion));
    }
}
