package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.search.IndexCatalog;
import dev.viewfold.search.NearDuplicates;
import dev.viewfold.search.SearchIndex;
import dev.viewfold.search.SearchResult;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;

import java.util.List;

/** {@code duplicates}: near-duplicates of one image, or every near-duplicate group in the collection. */
@RegisterForReflection(targets = {DuplicatesRequest.class, DuplicatesResponse.class, NearDuplicates.Group.class})
public class DuplicatesFunction {

    @Inject
    SearchFunction search;

    @Inject
    IndexCatalog catalog;

    @Inject
    ObjectMapper json;

    @Inject
    ViewfoldConfig config;

    @Funq("duplicates")
    public DuplicatesResponse duplicates(JsonNode body) {
        DuplicatesRequest r = RequestBodies.bind(json, body, DuplicatesRequest.class);
        float threshold = r.threshold() == null ? config.search().duplicateThreshold() : r.threshold();
        if (!(threshold > 0 && threshold <= 1)) { // NaN fails too
            throw new BadRequest("threshold is a cosine similarity above 0 and at most 1 (got " + threshold + ")");
        }
        int limit = r.limit() == null ? 100 : r.limit();
        if (limit < 1 || limit > config.search().maxK()) {
            throw new BadRequest("limit must be between 1 and " + config.search().maxK() + " (got " + limit + ")");
        }
        String target = r.target() == null ? "images" : r.target();
        int sources = (r.image() != null ? 1 : 0) + (r.key() != null ? 1 : 0) + (r.imageId() != null ? 1 : 0);
        if (sources > 1) {
            throw new BadRequest("give at most one of image, key or imageId");
        }
        if (sources == 1) {
            SearchRequest asSearch = new SearchRequest(r.image(), null, r.key(), r.imageId(), null, null, limit, target,
                    null, new SearchRequest.Filter(null, null, threshold), false, false, null, null);
            SearchResponse found = search.run(search.toQuery(asSearch));
            // A stored image is its own duplicate: leave it out of its own answer.
            List<SearchResult.Hit> matches = found.hits().stream()
                    .filter(h -> r.imageId() == null || !h.id().equals(r.imageId())).toList();
            return new DuplicatesResponse(found.space(), found.target(), threshold, matches, null, null);
        }
        IndexCatalog.Target t;
        try {
            t = IndexCatalog.Target.parse(target);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        SearchIndex index = catalog.index(t);
        List<NearDuplicates.Group> groups = NearDuplicates.groups(index, threshold, 10, i -> { });
        return new DuplicatesResponse(catalog.space(), target, threshold, null,
                groups.subList(0, Math.min(limit, groups.size())), groups.size());
    }
}
