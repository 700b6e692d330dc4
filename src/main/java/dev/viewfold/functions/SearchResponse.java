package dev.viewfold.functions;

import dev.viewfold.search.SearchResult;

import java.util.List;

/**
 * The answer of {@code POST /search}.
 *
 * @param path    {@code exact} (the scan) or {@code approximate} (the graph)
 * @param indexed rows in the index searched
 * @param tookMs  time spent in the service, encoding included
 */
public record SearchResponse(String space, String target, String metric, String path, int indexed, double tookMs,
                             String queryObservation, List<SearchResult.Hit> hits) {

    static SearchResponse of(SearchResult r, double tookMs) {
        return new SearchResponse(r.space(), r.target(), r.metric(), r.approximate() ? "approximate" : "exact",
                r.indexed(), tookMs, r.ownObservation(), r.hits());
    }
}
