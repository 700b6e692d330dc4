package dev.viewfold.aggregate;

import dev.viewfold.math.Vectors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Leaves out the views that do not belong, and says where they do. A view is left out when it is a
 * <em>stray</em>, far from its observation's consensus (the geometric median of its views) by the
 * observation's own measure and by the whole space's, or when it <em>looks like another
 * observation</em>: unusually far from its own observation for this space, more like another
 * observation's fold than like the mean of its own views by a margin, and nearer to one of that
 * other observation's views than to any of its own, and no stray in that observation (within the
 * stray distance of its fold). The second kind is reported with that observation, its likely home
 * (a mislabelled upload is the usual case). Leaving a view out can make its siblings' mean cleaner
 * and show another view's stranger side, so the test runs again over the views kept, up to three
 * times. At most {@code (n−1)/2} views are ever left out, so the majority stands. The fold is the
 * plain mean of the views kept: on an observation with nothing to leave out it is exactly
 * {@code mean}.
 *
 * <p>Distances are measured in the space's spread ({@link SpaceSpread}): the same rule reads faces,
 * turntable objects and another model's space alike. Until a space has a spread (its first
 * {@value SpaceSpread#MIN_OBSERVATIONS} folds) the observation's own views decide: a view is left out
 * past {@code median + max(k·MAD, floor)} of their distances to the consensus.
 */
public final class RobustStrategy implements FoldStrategy {

    /**
     * @param mads         MADs above the observation's median distance to its consensus before a view can be a stray
     * @param floor        while the space has no spread: the least margin above that median (cosine distance)
     * @param lookFrom     spreads above the space's median view-to-fold distance from which a view is compared
     *                     with other observations (views nearer their own observation are never looked up)
     * @param homeMargin   spreads by which a view must be more like another observation's fold than its own
     * @param straySpreads spreads above the space's median past which a view belongs to nothing here
     */
    public record Settings(double mads, double floor, double lookFrom, double homeMargin, double straySpreads) {
        /** Chosen on seeds and views the benchmark does not report: {@code RobustSweep}. */
        public static final Settings DEFAULT = new Settings(2, 0.1, 0.5, 0.5, 10);
    }

    /** Rounds of judging again over the views kept. */
    private static final int ROUNDS = 3;

    private final Settings settings;

    public RobustStrategy(Settings settings) {
        this.settings = settings;
    }

    /** The default settings with another own-observation rule (k MADs, floor). */
    public RobustStrategy(double mads, double floor) {
        this(new Settings(mads, floor, Settings.DEFAULT.lookFrom(), Settings.DEFAULT.homeMargin(),
                Settings.DEFAULT.straySpreads()));
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public String name() {
        return "robust";
    }

    @Override
    public Fold fold(List<View> views) {
        return fold(views, CollectionEvidence.NONE);
    }

    @Override
    public boolean weighsTheCollection() {
        return true;
    }

    /** Median and MAD (scaled to a standard deviation) of the distances where {@code use} is set. */
    private static double[] medianAndMad(double[] distance, boolean[] use) {
        double[] d = IntStream.range(0, distance.length).filter(i -> use[i]).mapToDouble(i -> distance[i]).toArray();
        double median = Consensus.median(d);
        double[] deviation = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            deviation[i] = Math.abs(d[i] - median);
        }
        return new double[] {median, 1.4826 * Consensus.median(deviation)};
    }

    @Override
    public Fold fold(List<View> views, CollectionEvidence evidence) {
        List<float[]> v = Consensus.vectors(views);
        int n = v.size();
        if (n == 1) {
            return new Fold(v.get(0).clone(), new float[] {1f}, new boolean[1], 0, "robust: one view, used as it is");
        }
        // The medoid is a cheap start that is already robust; Weiszfeld refines it.
        float[] start = n <= 512 ? v.get(Consensus.medoid(v)) : Consensus.mean(v);
        float[] consensus = Consensus.geometricMedian(v, start);
        double[] distance = new double[n];
        for (int i = 0; i < n; i++) {
            distance[i] = 1 - Vectors.cosine(v.get(i), consensus);
        }
        SpaceSpread spread = evidence.spread().orElse(null);
        // The observation's own scale, measured twice: outliers inflate the first median and MAD, so
        // both are measured again over the views the first pass kept.
        double floor = spread == null ? settings.floor() : 0;
        boolean[] all = new boolean[n];
        Arrays.fill(all, true);
        double[] own = medianAndMad(distance, all);
        boolean[] kept1 = new boolean[n];
        for (int i = 0; i < n; i++) {
            kept1[i] = distance[i] <= own[0] + Math.max(settings.mads() * own[1], floor);
        }
        if (n >= 3) {
            own = medianAndMad(distance, kept1);
        }
        double ownCut = own[0] + Math.max(settings.mads() * own[1], floor);
        double strayCut = spread == null ? ownCut : Math.max(ownCut, spread.above(settings.straySpreads()));

        boolean[] stray = new boolean[n];
        for (int i = 0; i < n; i++) {
            stray[i] = distance[i] > strayCut;
        }
        boolean[] outlier = cap(stray, distance);
        OtherObservations.Match[] home = new OtherObservations.Match[n];
        double[] ownSimilarity = new double[n];
        if (spread != null) {
            Lookups lookups = new Lookups(v, evidence);
            for (int round = 0; round < ROUNDS; round++) {
                boolean[] next = stray.clone();
                OtherObservations.Match[] nextHome = new OtherObservations.Match[n];
                double[] kept = keptSum(v, outlier);
                for (int i = 0; i < n; i++) {
                    // Its own observation as it would be with this view kept.
                    double s = cosine(v.get(i), kept, outlier[i]);
                    ownSimilarity[i] = s;
                    if (1 - s <= spread.above(settings.lookFrom())) {
                        continue;
                    }
                    OtherObservations.Match other = lookups.nearestFold(i);
                    // A home is an observation the view would be no stray in: a photo of nothing
                    // here (a face among objects) is more like some fold than its own, and no home.
                    if (other != null && spread.spreads(other.similarity() - s) > settings.homeMargin()
                            && 1 - other.similarity() <= spread.above(settings.straySpreads())
                            && lookups.nearerAnotherView(i)) {
                        next[i] = true;
                        nextHome[i] = other;
                    }
                }
                next = cap(next, distance);
                for (int i = 0; i < n; i++) {
                    nextHome[i] = next[i] ? nextHome[i] : null;
                }
                boolean settled = Arrays.equals(next, outlier);
                outlier = next;
                home = nextHome;
                if (settled) {
                    break;
                }
            }
        }

        List<float[]> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!outlier[i]) {
                kept.add(v.get(i));
            }
        }
        float[] folded = Consensus.mean(kept);
        float[] agreement = Consensus.agreement(v, folded);
        return new Fold(folded, agreement, outlier, Consensus.dispersion(agreement, outlier),
                explain(views, distance, outlier, home, ownSimilarity, own, strayCut, spread, kept.size()), home);
    }

    /** The flags kept: at most {@code (n−1)/2}, the farthest from the consensus first. */
    private static boolean[] cap(boolean[] flagged, double[] distance) {
        int n = flagged.length;
        int most = n < 3 ? 0 : (n - 1) / 2;
        boolean[] out = new boolean[n];
        IntStream.range(0, n).filter(i -> flagged[i]).boxed()
                .sorted(Comparator.comparingDouble(i -> -distance[i])).limit(most).forEach(i -> out[i] = true);
        return out;
    }

    private static double[] keptSum(List<float[]> v, boolean[] outlier) {
        double[] sum = new double[v.get(0).length];
        for (int i = 0; i < v.size(); i++) {
            if (!outlier[i]) {
                float[] x = v.get(i);
                for (int j = 0; j < sum.length; j++) {
                    sum[j] += x[j];
                }
            }
        }
        return sum;
    }

    /** Cosine of {@code x} with {@code sum}, plus {@code x} itself when the sum leaves it out. */
    private static double cosine(float[] x, double[] sum, boolean addSelf) {
        double dot = 0;
        double norm = 0;
        for (int j = 0; j < sum.length; j++) {
            double s = sum[j] + (addSelf ? x[j] : 0);
            dot += x[j] * s;
            norm += s * s;
        }
        return norm == 0 ? 0 : dot / Math.sqrt(norm); // x is unit length
    }

    /** The other-observation answers of each view, asked once per fold at most. */
    private static final class Lookups {
        private final List<float[]> v;
        private final CollectionEvidence evidence;
        private final OtherObservations.Match[] fold;
        private final boolean[] foldAsked;
        private final Boolean[] nearerView;

        Lookups(List<float[]> v, CollectionEvidence evidence) {
            this.v = v;
            this.evidence = evidence;
            this.fold = new OtherObservations.Match[v.size()];
            this.foldAsked = new boolean[v.size()];
            this.nearerView = new Boolean[v.size()];
        }

        OtherObservations.Match nearestFold(int i) {
            if (!foldAsked[i]) {
                foldAsked[i] = true;
                fold[i] = evidence.nearestFold(v.get(i)).orElse(null);
            }
            return fold[i];
        }

        /** Whether another observation holds a view more like view i than any of its siblings. */
        boolean nearerAnotherView(int i) {
            if (nearerView[i] == null) {
                double sibling = -2;
                for (int j = 0; j < v.size(); j++) {
                    if (j != i) {
                        sibling = Math.max(sibling, Vectors.dot(v.get(i), v.get(j)));
                    }
                }
                var other = evidence.nearestView(v.get(i));
                nearerView[i] = other.isPresent() && other.getAsDouble() > sibling;
            }
            return nearerView[i];
        }
    }

    private String explain(List<View> views, double[] distance, boolean[] outlier, OtherObservations.Match[] home,
                           double[] ownSimilarity, double[] own, double strayCut, SpaceSpread spread, int kept) {
        int n = views.size();
        StringBuilder why = new StringBuilder(String.format(Locale.ROOT,
                "robust: consensus = geometric median of %d views; median distance %.3f, MAD %.3f", n, own[0], own[1]));
        if (spread == null) {
            why.append(String.format(Locale.ROOT, ", threshold %.3f (median + max(%.1f·MAD, %.2f));"
                    + " judged by its own views (no spread for the space yet)", strayCut, settings.mads(),
                    settings.floor()));
        } else {
            why.append(String.format(Locale.ROOT, "; the space's views lie %.3f ± %.3f from their folds (%d folds):"
                            + " a stray past %.3f, compared with other observations past %.3f", spread.median(),
                    spread.scale(), spread.observations(), strayCut, spread.above(settings.lookFrom())));
        }
        List<Integer> left = IntStream.range(0, n).filter(i -> outlier[i]).boxed()
                .sorted(Comparator.comparingDouble(i -> -distance[i])).toList();
        if (left.isEmpty()) {
            why.append("; no view left out");
        } else {
            why.append("; left out ").append(left.size()).append(": ").append(left.stream().map(i -> {
                String view = String.format(Locale.ROOT, "'%s' (%.3f)", views.get(i).viewId(), distance[i]);
                if (home[i] != null) {
                    return view + String.format(Locale.ROOT, " looks like %s (%.3f against %.3f here)",
                            home[i].observationId(), home[i].similarity(), ownSimilarity[i]);
                }
                return spread == null ? view : view + " like nothing here";
            }).collect(Collectors.joining(", ")));
        }
        return why.append("; mean of the ").append(kept).append(" kept").toString();
    }
}
