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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A fitted classifier per space and kind, built from the space's labelled observations: part of each
 * group is held out to check it (and to set the prototype and kNN thresholds), then it is fitted on
 * all of them. Built on first use and again when labelled rows changed, looked at no more often than
 * {@code recheck}; linear classifiers are also stored ({@link LinearClassifierStore}), so other
 * processes and later starts reuse them while the labelled rows are the same.
 */
public final class GroupClassifiers {

    /** A space with no labelled observation has nothing to classify into. */
    public static final class NoLabelledObservations extends Refused {
        NoLabelledObservations(String space) {
            super(Kind.CONFLICT, "space " + space + " has no labelled observations to classify into: give images labels (the"
                    + " ingest manifest's label column, the object's labels metadata, or the labels function)");
        }
    }

    /**
     * How classifiers are made: neighbours for kNN, the share of each group held out, the seed, how
     * often labels are looked at, and the linear classifier's settings.
     */
    public record Settings(int k, double heldOutFraction, long seed, Duration recheck, LinearSettings linear) {
    }

    private record Built(FittedClassifier classifier, Instant readAt, Instant checkedAt) {
    }

    private final VectorTable table;
    private final Settings settings;
    private final Clock clock;
    private final LinearClassifierStore store;
    private final Function<String, Optional<Set<String>>> headHeldOut;
    private final Map<String, Built> built = new ConcurrentHashMap<>();

    /**
     * @param store       where linear classifiers are kept between processes (null: built in each process)
     * @param headHeldOut per space, the labelled observations its head was not trained on (empty: the model's
     *                    space, or a head that does not say), which are then the ones held out
     */
    public GroupClassifiers(VectorTable table, Settings settings, Clock clock, LinearClassifierStore store,
                            Function<String, Optional<Set<String>>> headHeldOut) {
        this.table = table;
        this.settings = settings;
        this.clock = clock;
        this.store = store;
        this.headHeldOut = headHeldOut;
    }

    /** Without heads to ask: every space holds out its own share. */
    public GroupClassifiers(VectorTable table, Settings settings, Clock clock, LinearClassifierStore store) {
        this(table, settings, clock, store, space -> Optional.empty());
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The classifier of a space. {@link ClassifierKind#AUTO} is whichever of the linear, prototype and
     * kNN classifiers answered the held-out rows best, "none" counted wrong (ties: linear, then
     * prototype); with nothing held out (every group a single observation), the prototype.
     *
     * @throws NoLabelledObservations when the space has no labelled observations to learn from
     * @throws Refused (conflict) for a linear classifier the labelled observations cannot make
     */
    public FittedClassifier of(String space, ClassifierKind kind) {
        if (kind == ClassifierKind.AUTO) {
            FittedClassifier best = of(space, ClassifierKind.PROTOTYPE);
            if (Double.isNaN(best.heldOut().accuracy())) {
                return best;
            }
            FittedClassifier linear = linearOrNull(space);
            if (linear != null && linear.heldOut().accuracy() >= best.heldOut().accuracy()) {
                best = linear;
            }
            FittedClassifier knn = of(space, ClassifierKind.KNN);
            return knn.heldOut().accuracy() > best.heldOut().accuracy() ? knn : best;
        }
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
            boolean[] held = heldOut(space, data);
            FittedClassifier c = kind == ClassifierKind.LINEAR ? linear(space, data, held)
                    : calibrated(data, held, kind);
            built.put(key, new Built(c, now, now));
            return c;
        }
    }

    private FittedClassifier linearOrNull(String space) {
        try {
            return of(space, ClassifierKind.LINEAR);
        } catch (LinearNotPossible e) {
            return null;
        }
    }

    /** The labelled observations cannot make a linear classifier (see {@link LinearClassifier#cannotBuild}). */
    public static final class LinearNotPossible extends Refused {
        LinearNotPossible(String space, String why) {
            super(Kind.CONFLICT, "space " + space + ": " + why + " (method prototype or knn can answer)");
        }
    }

    private CalibratedClassifier calibrated(List<Labelled> data, boolean[] held, ClassifierKind kind) {
        try {
            return Calibration.calibrate(data, held, kind, settings.k());
        } catch (IllegalArgumentException everyGroupHasOneObservation) {
            return uncalibrated(data, kind);
        }
    }

    /** The stored one for these rows, else built (and stored). */
    private LinearClassifier linear(String space, List<Labelled> data, boolean[] held) {
        String why = LinearClassifier.cannotBuild(data, held);
        if (why != null) {
            throw new LinearNotPossible(space, why);
        }
        String digest = LinearClassifierStore.rowsDigest(data, held, settings.linear());
        if (store != null) {
            var stored = store.load(space, digest);
            if (stored.isPresent()) {
                return stored.get();
            }
        }
        LinearClassifier c = LinearClassifier.build(data, held, settings.linear(), digest);
        if (store != null) {
            store.save(space, c);
        }
        return c;
    }

    /**
     * In a head's space, the observations the head was not trained on; elsewhere (and for heads trained
     * before heads held any out, whose figures their training flatters) the seeded share of each group.
     */
    private boolean[] heldOut(String space, List<Labelled> data) {
        Optional<Set<String>> head = headHeldOut.apply(space);
        if (head.isEmpty()) {
            return Calibration.heldOut(data, settings.heldOutFraction(), settings.seed());
        }
        boolean[] held = new boolean[data.size()];
        for (int i = 0; i < held.length; i++) {
            held[i] = head.get().contains(data.get(i).id());
        }
        return held;
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
        return new CalibratedClassifier(fitted, new Thresholds(thresholds, sorted.get(sorted.size() / 2)), HeldOutCheck.NONE);
    }

    private boolean changedSince(String space, Instant since) {
        boolean[] changed = {false};
        table.forEachObservationSince(space, since, r -> changed[0] = true);
        return changed[0];
    }
}
