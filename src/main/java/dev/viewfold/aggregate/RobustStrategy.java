package dev.viewfold.aggregate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Consensus first, then judgement: the geometric median of the views is the consensus (half the
 * views could be anything without moving it far); each view is scored by its cosine distance to
 * it; a view is an outlier when its distance exceeds {@code median + max(k·MAD, floor)}, with the
 * median and MAD (scaled to a standard deviation) taken over the views a first such pass kept, so
 * the outliers do not widen their own threshold. The floor keeps near-identical views from being
 * flagged for tiny differences, and at most {@code (n−1)/2} views are ever left out, so the
 * majority always stands. The fold is the mean of the kept views weighted by their agreement.
 */
public final class RobustStrategy implements FoldStrategy {

    /** MADs above the median distance at which a view stops belonging. */
    private final double k;
    /** Least margin above the median distance, in cosine distance. */
    private final double floor;

    public RobustStrategy(double k, double floor) {
        this.k = k;
        this.floor = floor;
    }

    @Override
    public String name() {
        return "robust";
    }

    /** Median and MAD (scaled to a standard deviation) of the distances where {@code use} is set. */
    private static double[] medianAndMad(double[] distance, boolean[] use) {
        double[] d = java.util.stream.IntStream.range(0, distance.length).filter(i -> use[i])
                .mapToDouble(i -> distance[i]).toArray();
        double median = Consensus.median(d);
        double[] deviation = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            deviation[i] = Math.abs(d[i] - median);
        }
        return new double[] {median, 1.4826 * Consensus.median(deviation)};
    }

    @Override
    public Fold fold(List<View> views) {
        List<float[]> v = Consensus.vectors(views);
        int n = v.size();
        if (n == 1) {
            return new Fold(v.get(0).clone(), new float[] {1f}, new boolean[1], 0, "robust: one view, used as it is");
        }
        // The medoid is a cheap start that is already robust; Weiszfeld refines it.
        float[] start = n <= 512 ? v.get(Consensus.medoid(v)) : Consensus.mean(v);
        float[] consensus = Consensus.geometricMedian(v, start);
        float[] agreement = Consensus.agreement(v, consensus);
        double[] distance = new double[n];
        for (int i = 0; i < n; i++) {
            distance[i] = 1 - agreement[i];
        }
        // Two passes: outliers inflate the first median and MAD, so both are measured again over
        // the views the first pass kept, and the final threshold comes from those.
        boolean[] all = new boolean[n];
        java.util.Arrays.fill(all, true);
        double[] scale = medianAndMad(distance, all);
        double threshold = scale[0] + Math.max(k * scale[1], floor);
        boolean[] kept1 = new boolean[n];
        for (int i = 0; i < n; i++) {
            kept1[i] = distance[i] <= threshold;
        }
        if (n >= 3) {
            scale = medianAndMad(distance, kept1);
            threshold = scale[0] + Math.max(k * scale[1], floor);
        }
        double median = scale[0];
        double mad = scale[1];
        double cut = threshold;

        int maxOutliers = n < 3 ? 0 : (n - 1) / 2;
        List<Integer> flagged = IntStream.range(0, n).filter(i -> distance[i] > cut).boxed()
                .sorted(Comparator.comparingDouble(i -> -distance[i])).limit(maxOutliers).toList();
        boolean[] outlier = new boolean[n];
        flagged.forEach(i -> outlier[i] = true);

        List<float[]> kept = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!outlier[i]) {
                kept.add(v.get(i));
                weights.add((double) Math.max(agreement[i], 0f));
            }
        }
        double[] w = weights.stream().mapToDouble(Double::doubleValue).toArray();
        boolean anyWeight = weights.stream().anyMatch(x -> x > 0);
        float[] folded = anyWeight ? Consensus.mean(kept, w) : Consensus.mean(kept);

        StringBuilder why = new StringBuilder(String.format(Locale.ROOT,
                "robust: consensus = geometric median of %d views; median distance %.3f, MAD %.3f,"
                        + " threshold %.3f (median + max(%.1f·MAD, %.2f))", n, median, mad, threshold, k, floor));
        if (flagged.isEmpty()) {
            why.append("; no view left out");
        } else {
            why.append("; left out ").append(flagged.size()).append(": ").append(flagged.stream()
                    .map(i -> String.format(Locale.ROOT, "'%s' (%.3f)", views.get(i).viewId(), distance[i]))
                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        why.append("; agreement-weighted mean of ").append(kept.size());
        return new Fold(folded, agreement, outlier, Consensus.dispersion(agreement, outlier), why.toString());
    }
}
