package dev.viewfold.classify;

import dev.viewfold.groups.RetrievalMetrics;
import dev.viewfold.groups.HeldOutSplit;
import dev.viewfold.groups.Labelled;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-group thresholds for a {@link GroupClassifier}, chosen on held-out items, so that "none of
 * these groups" is an answer the classifier can give.
 *
 * <p>A seeded share of each group's items is held out (groups of one keep their item), the
 * classifier is fitted on the rest and scores the held-out items. Per group, the threshold maximises
 * one-versus-rest F1 on them: candidates are the held-out scores, ties go to the lower one. Any
 * threshold between that score and the next lower held-out score makes the same decisions on the
 * held-out items; the midpoint is taken, leaving room on both sides for items not seen yet. Groups
 * with no held-out member fall back to the median of the others' thresholds. The classifier
 * returned is refitted on all items.
 */
public final class Calibration {

    private Calibration() {
    }

    /** See the class comment. {@code heldOutFraction} in (0, 1); {@code k} as for {@link GroupClassifier#fit}. */
    public static CalibratedClassifier calibrate(List<Labelled> data, ClassifierKind kind, int k,
            double heldOutFraction, long seed) {
        if (data == null || data.isEmpty()) {
            throw new IllegalArgumentException("no labelled items to calibrate on");
        }
        if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException("heldOutFraction must be in (0, 1), not " + heldOutFraction);
        }
        return calibrate(data, heldOut(data, heldOutFraction, seed), kind, k);
    }

    /** As above, holding out the rows {@code held} marks. */
    public static CalibratedClassifier calibrate(List<Labelled> data, boolean[] held, ClassifierKind kind, int k) {
        int n = data.size();
        Map<String, List<Integer>> members = members(data);
        List<Labelled> fitOn = new ArrayList<>();
        List<Labelled> heldOut = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            (held[i] ? heldOut : fitOn).add(data.get(i));
        }
        if (heldOut.isEmpty()) {
            throw new IllegalArgumentException("calibration needs a group with 2 or more items to hold some out; "
                    + "every one of the " + members.size() + " groups has a single item");
        }
        GroupClassifier partial = GroupClassifier.fit(fitOn, kind, k);
        String[] groups = partial.groupNames();
        float[][] scores = new float[heldOut.size()][];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = partial.scoreArray(heldOut.get(i).vector());
        }
        Map<String, Float> perGroup = new TreeMap<>();
        float[] column = new float[scores.length];
        boolean[] positive = new boolean[scores.length];
        for (int g = 0; g < groups.length; g++) {
            int positives = 0;
            for (int i = 0; i < scores.length; i++) {
                column[i] = scores[i][g];
                positive[i] = heldOut.get(i).labels().contains(groups[g]);
                positives += positive[i] ? 1 : 0;
            }
            if (positives > 0) {
                perGroup.put(groups[g], bestF1Threshold(column, positive, scores.length));
            }
        }
        if (perGroup.isEmpty()) {
            throw new IllegalArgumentException("no held-out item belongs to a group the classifier was fitted on; "
                    + "calibration needs groups with 2 or more items");
        }
        float fallback = median(perGroup.values());
        Thresholds thresholds = new Thresholds(perGroup, fallback);
        HeldOutCheck check = HeldOutCheck.of(heldOut, v -> partial.classify(v, thresholds));
        GroupClassifier full = GroupClassifier.fit(data, kind, k);
        return new CalibratedClassifier(full, thresholds, check);
    }

    /** See {@link HeldOutSplit}. */
    public static boolean[] heldOut(List<Labelled> data, double heldOutFraction, long seed) {
        return HeldOutSplit.of(data, heldOutFraction, seed);
    }

    private static Map<String, List<Integer>> members(List<Labelled> data) {
        Map<String, List<Integer>> members = new TreeMap<>();
        for (int i = 0; i < data.size(); i++) {
            for (String l : data.get(i).labels()) {
                members.computeIfAbsent(l, x -> new ArrayList<>()).add(i);
            }
        }
        return members;
    }

    /**
     * The threshold with the best F1 for "score ≥ threshold means the group" (see the class
     * comment); at least one of {@code positive[0, n)} is true.
     */
    static float bestF1Threshold(float[] score, boolean[] positive, int n) {
        long[] keys = new long[n];
        int p = 0;
        for (int i = 0; i < n; i++) {
            keys[i] = RetrievalMetrics.rankKey(score[i], i);
            p += positive[i] ? 1 : 0;
        }
        Arrays.sort(keys);
        int tp = 0;
        int fp = 0;
        double bestF1 = -1;
        int bestEnd = -1;
        for (int r = 0; r < n; r++) {
            int i = (int) keys[r];
            if (positive[i]) {
                tp++;
            } else {
                fp++;
            }
            boolean lastOfTie = r + 1 == n || score[(int) keys[r + 1]] != score[i];
            if (lastOfTie) {
                double f1 = 2.0 * tp / (tp + fp + p);
                if (f1 >= bestF1) {
                    bestF1 = f1;
                    bestEnd = r;
                }
            }
        }
        float t = score[(int) keys[bestEnd]];
        if (bestEnd + 1 < n) {
            float below = score[(int) keys[bestEnd + 1]];
            float mid = (float) (((double) t + below) / 2);
            if (mid > below && mid <= t) {
                return mid;
            }
        }
        return t;
    }

    private static float median(java.util.Collection<Float> values) {
        float[] v = new float[values.size()];
        int i = 0;
        for (float x : values) {
            v[i++] = x;
        }
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (float) (((double) v[m - 1] + v[m]) / 2);
    }
}
