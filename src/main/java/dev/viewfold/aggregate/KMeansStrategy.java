package dev.viewfold.aggregate;

import dev.viewfold.math.Vectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The k-means outlier filter, for comparison: split the views in two by spherical 2-means
 * (seeded deterministically with the medoid and the view farthest from it) and keep the larger
 * group. It always drops the smaller group, outliers or not; that is its known weakness.
 */
public final class KMeansStrategy implements FoldStrategy {

    @Override
    public String name() {
        return "kmeans";
    }

    @Override
    public Fold fold(List<View> views) {
        List<float[]> v = Consensus.vectors(views);
        int n = v.size();
        if (n < 3) {
            float[] mean = Consensus.mean(v);
            float[] a = Consensus.agreement(v, mean);
            return new Fold(mean, a, new boolean[n], Consensus.dispersion(a, new boolean[n]),
                    "kmeans: fewer than 3 views, mean of all");
        }
        int medoid = Consensus.medoid(v);
        int far = medoid;
        for (int i = 0; i < n; i++) {
            if (Vectors.dot(v.get(i), v.get(medoid)) < Vectors.dot(v.get(far), v.get(medoid))) {
                far = i;
            }
        }
        float[][] centre = {v.get(medoid).clone(), v.get(far).clone()};
        int[] assign = new int[n];
        for (int iter = 0; iter < 25; iter++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int c = Vectors.dot(v.get(i), centre[0]) >= Vectors.dot(v.get(i), centre[1]) ? 0 : 1;
                changed |= c != assign[i];
                assign[i] = c;
            }
            for (int c = 0; c < 2; c++) {
                List<float[]> members = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (assign[i] == c) {
                        members.add(v.get(i));
                    }
                }
                if (!members.isEmpty()) {
                    centre[c] = Consensus.mean(members);
                }
            }
            if (!changed && iter > 0) {
                break;
            }
        }
        int size0 = 0;
        for (int a : assign) {
            size0 += a == 0 ? 1 : 0;
        }
        // the larger group stays; on a tie, the medoid's group
        int keep = size0 * 2 > n ? 0 : size0 * 2 < n ? 1 : assign[medoid];
        boolean[] outlier = new boolean[n];
        List<float[]> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            outlier[i] = assign[i] != keep;
            if (!outlier[i]) {
                kept.add(v.get(i));
            }
        }
        float[] folded = Consensus.mean(kept);
        float[] agreement = Consensus.agreement(v, folded);
        return new Fold(folded, agreement, outlier, Consensus.dispersion(agreement, outlier),
                String.format(Locale.ROOT, "kmeans: 2 groups of %d and %d views; kept the larger, mean of %d",
                        kept.size(), n - kept.size(), kept.size()));
    }
}
