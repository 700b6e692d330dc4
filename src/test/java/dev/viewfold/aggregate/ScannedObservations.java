package dev.viewfold.aggregate;

import dev.viewfold.math.Vectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Other observations held in memory and searched by an exact scan: what a search index answers, for
 * collections small enough to scan (tests, the aggregate benchmark). One space.
 */
public final class ScannedObservations implements OtherObservations {

    private record Row(String observationId, float[] vector) {
    }

    private final List<Row> folds = new ArrayList<>();
    private final List<Row> views = new ArrayList<>();
    private final SpaceSpread.Tally tally = new SpaceSpread.Tally();

    /** Adds an observation: its views, and its stored fold (whose kept views' agreements measure the spread). */
    public ScannedObservations add(String observationId, List<View> observationViews, Fold fold) {
        folds.add(new Row(observationId, fold.vector()));
        observationViews.forEach(v -> views.add(new Row(observationId, v.vector())));
        List<Float> kept = new ArrayList<>();
        for (int i = 0; i < fold.outlier().length; i++) {
            if (!fold.outlier()[i]) {
                kept.add(fold.agreement()[i]);
            }
        }
        float[] a = new float[kept.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = kept.get(i);
        }
        tally.addFold(a);
        return this;
    }

    /** What a fold of {@code observationId} may learn from the observations added. */
    public CollectionEvidence evidenceFor(String observationId) {
        return new CollectionEvidence(tally.spread(), this, "", observationId);
    }

    @Override
    public Optional<Match> nearestFold(String space, String observationId, float[] view) {
        Row best = best(folds, observationId, view);
        return best == null ? Optional.empty() : Optional.of(new Match(best.observationId(), Vectors.dot(view, best.vector())));
    }

    @Override
    public OptionalDouble nearestView(String space, String observationId, float[] view) {
        Row best = best(views, observationId, view);
        return best == null ? OptionalDouble.empty() : OptionalDouble.of(Vectors.dot(view, best.vector()));
    }

    private static Row best(List<Row> rows, String exclude, float[] view) {
        Row best = null;
        double bestDot = Double.NEGATIVE_INFINITY;
        for (Row r : rows) {
            if (!r.observationId().equals(exclude)) {
                double d = Vectors.dot(view, r.vector());
                if (d > bestDot) {
                    bestDot = d;
                    best = r;
                }
            }
        }
        return best;
    }
}
