package dev.viewfold.search;

import dev.viewfold.space.Space;
import dev.viewfold.space.Spaces;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The search service of every space a request may name: the model's own, and each trained head's,
 * made on first use. An unknown space is refused by {@link Spaces#require}, the same way everywhere.
 */
public final class SearchServices {

    private final Spaces spaces;
    private final Function<Space, SearchService> factory;
    private final Map<String, SearchService> bySpace = new ConcurrentHashMap<>();

    /** @param factory builds the service of one existing space (its backend, its query encoder) */
    public SearchServices(Spaces spaces, Function<Space, SearchService> factory) {
        this.spaces = spaces;
        this.factory = factory;
    }

    /**
     * The service of a space named by a request; null or blank is the model's.
     *
     * @throws dev.viewfold.space.UnknownSpace for a space this deployment does not have
     */
    public SearchService of(String space) {
        return of(spaces.require(space));
    }

    public SearchService of(Space space) {
        return bySpace.computeIfAbsent(space.id(), id -> factory.apply(space));
    }

    /** The model space's service. */
    public SearchService model() {
        return of(spaces.model());
    }

    public Spaces spaces() {
        return spaces;
    }
}
