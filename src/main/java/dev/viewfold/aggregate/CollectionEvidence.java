package dev.viewfold.aggregate;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one fold may learn from the rest of its space: the space's spread of view-to-fold distances,
 * and, for a view, the other observation it looks most like. Bound to the observation being folded,
 * whose own fold and views never answer.
 *
 * @param spread the space's spread, or empty while too few observations are folded to tell
 */
public record CollectionEvidence(Optional<SpaceSpread> spread, OtherObservations others, String space,
                                 String observationId) {

    /** No collection: the observation's own views are all there is (the first folds of a space, a lone fold). */
    public static final CollectionEvidence NONE = new CollectionEvidence(Optional.empty(), OtherObservations.NONE,
            "", "");

    public static CollectionEvidence of(SpaceSpread spread, OtherObservations others, String space,
                                        String observationId) {
        return new CollectionEvidence(Optional.of(spread), others, space, observationId);
    }

    /** Where a fold's evidence comes from. */
    public interface Source {

        CollectionEvidence forFold(String space, String observationId);

        /** No collection for any fold. */
        Source NONE = (space, observationId) -> CollectionEvidence.NONE;

        /** The space's spread as {@code spreads} keeps it, and the other observations as {@code others} finds them. */
        static Source of(SpaceSpreads spreads, OtherObservations others) {
            return (space, observationId) -> new CollectionEvidence(spreads.of(space), others, space, observationId);
        }
    }

    public Optional<OtherObservations.Match> nearestFold(float[] view) {
        return others.nearestFold(space, observationId, view);
    }

    public OptionalDouble nearestView(float[] view) {
        return others.nearestView(space, observationId, view);
    }
}
