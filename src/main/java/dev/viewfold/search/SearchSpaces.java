package dev.viewfold.search;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The search services of every space a request may name: the deployment's own space, and spaces
 * derived from it (a trained head's), whose services are made on first use by {@code factory}. The
 * factory throws a {@link QueryException} (not found) for a space that does not exist.
 */
public final class SearchSpaces {

    private final SearchService base;
    private final Function<String, SearchService> factory;
    private final Map<String, SearchService> derived = new ConcurrentHashMap<>();

    public SearchSpaces(SearchService base, Function<String, SearchService> factory) {
        this.base = base;
        this.factory = factory;
    }

    /** The service of {@code space}; null or blank is the deployment's own space. */
    public SearchService of(String space) {
        if (space == null || space.isBlank() || space.equals(base.catalog().space())) {
            return base;
        }
        return derived.computeIfAbsent(space, factory);
    }

    public String defaultSpace() {
        return base.catalog().space();
    }
}
