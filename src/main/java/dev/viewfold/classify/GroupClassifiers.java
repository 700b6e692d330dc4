package dev.viewfold.classify;

import dev.viewfold.errors.Refused;
import dev.viewfold.groups.Labelled;
import dev.viewfold.labels.LabelledRows;
import dev.viewfold.store.VectorTable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A calibrated classifier per space and kind, built from the space's labelled observations: part of
 * each group is held out to set its threshold, then the classifier is fitted on all of them. Built on
 * first use and again when labelled rows changed, looked at no more often than {@code recheck}.
 */
public final class GroupClassifiers {

    /** A space with no labelled observation has nothing to classify into. */
    public static final class NoLabelledObservations extends Refused {
        NoLabelledObservations(String space) {
            super(Kind.CONFLICT, "space " + space + " has no labelled observations to classify into: give images labels (the"
                    + " ingest manifest's label column, the object's labels metadata, or the labels function)");
        }
    }

    /** How classifiers are made: neighbours for kNN, the share of each group held out, the seed. */
    public record Settings(int k, double heldOutFraction, long seed, Duration recheck) {
    }

    private record Built(CalibratedClassifier classifier, Instant readAt, Instant checkedAt) {
    }

    private final VectorTable table;
    private final Settings settings;
    private final Clock clock;
    private final Map<String, Built> built = new ConcurrentHashMap<>();

    public GroupClassifiers(VectorTable table, Settings settings, Clock clock) {
        this.table = table;
        this.settings = settings;
        this.clock = clock;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The classifier of a space.
     *
     * @throws NoLabelledObservations when the space has no labelled observations to learn from
     */
    public CalibratedClassifier of(String space, ClassifierKind kind) {
        String key = space + "\n" + kind;
        Instant now = clock.instant();
        Built b = built.get(key);
        if (b != null && b.checkedAt.plus(settings.recheck()).isAfter(now)) {
            return b.classifier;
        }
        synchronized (this) {
            b = built.get(key);
            if (b != null && !changedSince(space, b.readAt)) {
                built.put(key, new Built(b.classifier, b.readAt, now));
                return b.classifier;
            }
            List<Labelled> data = LabelledRows.observations(table, space);
            if (data.isEmpty()) {
                throw new NoLabelledObservations(space);
            }
            CalibratedClassifier c;
            try {
                c = Calibration.calibrate(data, kind, settings.k(), settings.heldOutFraction(), settings.seed());
            } catch (IllegalArgumentException everyGroupHasOneObservation) {
                c = uncalibrated(data, kind);
            }
            built.put(key, new Built(c, now, now));
            return c;
        }
    }

    /**
     * When no group has two observations to hold one out (one observation per person, say), a group's
     * threshold is halfway between the best score any other group's observation gets for it and a
     * perfect match (1): a query is placed in a group only when it is clearly closer to it than
     * everything labelled otherwise, and a group nothing else resembles does not take in everything.
     * Held-out accuracy is NaN.
     */
    private CalibratedClassifier uncalibrated(List<Labelled> data, ClassifierKind kind) {
        GroupClassifier fitted = GroupClassifier.fit(data, kind, settings.k());
        Map<String, Float> thresholds = new java.util.TreeMap<>();
        for (String group : fitted.groups()) {
            thresholds.put(group, 0f);
        }
        String[] names = fitted.groupNames();
        for (Labelled item : data) {
            float[] scores = fitted.scoreArray(item.vector());
            for (int g = 0; g < names.length; g++) {
                if (!item.labels().contains(names[g])) {
                    thresholds.merge(names[g], Math.max(0f, scores[g]), Math::max);
                }
            }
        }
        thresholds.replaceAll((group, bestForeign) -> (bestForeign + 1f) / 2f);
        // The upper middle value (Calibration.median averages the two middle ones).
        List<Float> sorted = thresholds.values().stream().sorted().toList();
        return new CalibratedClassifier(fitted, new Thresholds(thresholds, sorted.get(sorted.size() / 2)), Double.NaN, 0);
    }

    private boolean changedSince(String space, Instant since) {
        boolean[] changed = {false};
        table.forEachObservationSince(space, since, r -> changed[0] = true);
        return changed[0];
    }
}
