package dev.viewfold.aggregate;

import java.util.List;
import java.util.Locale;

/** The classic baseline: the normalised mean of the views. Flags nothing. */
public final class MeanStrategy implements FoldStrategy {

    @Override
    public String name() {
        return "mean";
    }

    @Override
    public Fold fold(List<View> views) {
        List<float[]> v = Consensus.vectors(views);
        float[] mean = Consensus.mean(v);
        float[] agreement = Consensus.agreement(v, mean);
        boolean[] outlier = new boolean[v.size()];
        double dispersion = Consensus.dispersion(agreement, outlier);
        return new Fold(mean, agreement, outlier, dispersion,
                String.format(Locale.ROOT, "mean of %d views; median distance to the mean %.3f", v.size(), dispersion));
    }
}
