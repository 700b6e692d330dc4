package dev.viewfold.aggregate;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The port through which a fold looks at the rest of its space: which other observation's fold a
 * view is most like, and how like it is the most alike view of any other observation. A search
 * index fills it ({@code dev.viewfold.search.IndexedObservations}); a fold asks only about views
 * that already lie unusually far from their own observation, so its cost is a few searches per
 * fold, not one per view.
 */
public interface OtherObservations {

    /** Another observation and the cosine of a view with its fold. */
    record Match(String observationId, double similarity) {
    }

    /** The fold most like {@code view} among the space's observations other than {@code observationId}. */
    Optional<Match> nearestFold(String space, String observationId, float[] view);

    /** The cosine of {@code view} with the most alike view of any observation other than {@code observationId}. */
    OptionalDouble nearestView(String space, String observationId, float[] view);

    /** Nothing to compare with: folds judge each observation by its own views. */
    OtherObservations NONE = new OtherObservations() {
        @Override
        public Optional<Match> nearestFold(String space, String observationId, float[] view) {
            return Optional.empty();
        }

        @Override
        public OptionalDouble nearestView(String space, String observationId, float[] view) {
            return OptionalDouble.empty();
        }
    };
}
