package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.search.SearchQuery;
import dev.viewfold.search.SearchResult;
import dev.viewfold.search.SearchServices;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;

/** {@code search}: similarity search over HTTP ({@code POST /search}, JSON in and out). */
@RegisterForReflection(targets = {SearchRequest.class, SearchRequest.Filter.class, SearchResponse.class,
        SearchResult.Hit.class})
public class SearchFunction {

    @Inject
    SearchServices services;

    @Inject
    ObjectMapper json;

    @Inject
    ViewfoldConfig config;

    @Funq("search")
    public SearchResponse search(JsonNode body) {
        SearchRequest request = RequestBodies.bind(json, body, SearchRequest.class);
        return run(request.space(), QueryRequests.query(request, config.search()));
    }

    /** Runs a query in a space (null: the model's). */
    SearchResponse run(String space, SearchQuery query) {
        long started = System.nanoTime();
        SearchResult r = services.of(space).search(query);
        return SearchResponse.of(r, (System.nanoTime() - started) / 1e6);
    }
}
