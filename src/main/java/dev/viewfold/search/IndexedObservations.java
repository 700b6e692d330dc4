package dev.viewfold.search;

import dev.viewfold.aggregate.OtherObservations;
import dev.viewfold.errors.Refused;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The other observations of a space, as its search index holds them: a fold's questions about a view
 * are one-hit searches that leave the view's own observation out. A space without a search service
 * (a head whose training is still filling it) answers nothing, and its folds judge each observation
 * by its own views. The index is as fresh as {@code viewfold.search.refresh}: a fold written a moment
 * ago may not be in it yet.
 */
public final class IndexedObservations implements OtherObservations {

    private final Supplier<SearchServices> services;

    /** @param services looked up at the first question, not before: search wiring needs the encoder, which folds */
    public IndexedObservations(Supplier<SearchServices> services) {
        this.services = services;
    }

    @Override
    public Optional<Match> nearestFold(String space, String observationId, float[] view) {
        return nearest(space, observationId, view, Target.OBSERVATIONS)
                .map(n -> new Match(n.entry().observationId(), n.score()));
    }

    @Override
    public OptionalDouble nearestView(String space, String observationId, float[] view) {
        return nearest(space, observationId, view, Target.IMAGES).map(n -> OptionalDouble.of(n.score()))
                .orElse(OptionalDouble.empty());
    }

    private Optional<Neighbour> nearest(String space, String observationId, float[] view, Target target) {
        SearchBackend backend;
        try {
            backend = services.get().of(space).backend();
        } catch (Refused noSuchSpaceYet) {
            return Optional.empty();
        }
        if (backend.dimension() != view.length) {
            return Optional.empty();
        }
        var filter = new SearchFilter(Set.of(), Set.of(), observationId, null);
        return backend.search(target, view, 1, Metric.COSINE, filter, SearchBackend.Mode.AUTO).neighbours().stream()
                .findFirst();
    }
}
