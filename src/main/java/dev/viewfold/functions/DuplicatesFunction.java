package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.errors.Refused;
import dev.viewfold.search.NearDuplicates;
import dev.viewfold.search.SearchQuery;
import dev.viewfold.search.SearchResult;
import dev.viewfold.search.SearchService;
import dev.viewfold.search.SearchServices;
import dev.viewfold.search.Target;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;

import java.util.List;

/** {@code duplicates}: near-duplicates of one image, or every near-duplicate group in the collection. */
@RegisterForReflection(targets = {DuplicatesRequest.class, DuplicatesResponse.class, NearDuplicates.Group.class})
public class DuplicatesFunction {

    @Inject
    SearchServices services;

    @Inject
    ObjectMapper json;

    @Inject
    ViewfoldConfig config;

    @Funq("duplicates")
    public DuplicatesResponse duplicates(JsonNode body) {
        DuplicatesRequest r = RequestBodies.bind(json, body, DuplicatesRequest.class);
        float threshold = r.threshold() == null ? config.search().duplicateThreshold() : r.threshold();
        if (!(threshold > 0 && threshold <= 1)) { // NaN fails too
            throw Refused.invalid("threshold is a cosine similarity above 0 and at most 1 (got " + threshold + ")");
        }
        int limit = r.limit() == null ? 100 : r.limit();
        if (limit < 1 || limit > config.search().maxK()) {
            throw Refused.invalid("limit must be between 1 and " + config.search().maxK() + " (got " + limit + ")");
        }
        Target target = r.target() == null ? Target.IMAGES : Target.parse(r.target());
        int sources = (r.image() != null ? 1 : 0) + (r.key() != null ? 1 : 0) + (r.imageId() != null ? 1 : 0);
        if (sources > 1) {
            throw Refused.invalid("give at most one of image, key or imageId");
        }
        SearchService service = services.model();
        if (sources == 1) {
            SearchQuery.Source source = QueryRequests.source(r.image(), null, r.key(), r.imageId(), null, null, 1);
            SearchQuery query = QueryRequests.options(source, limit, target.wire(), null,
                    new SearchRequest.Filter(null, null, threshold), false, false, null, config.search());
            SearchResult found = service.search(query);
            // A stored image is its own duplicate: leave it out of its own answer.
            List<SearchResult.Hit> matches = found.hits().stream()
                    .filter(h -> r.imageId() == null || !h.id().equals(r.imageId())).toList();
            return new DuplicatesResponse(found.space(), found.target(), threshold, matches, null, null);
        }
        List<NearDuplicates.Group> groups = NearDuplicates.groups(service.backend(), target, threshold, 10, i -> { });
        return new DuplicatesResponse(service.space(), target.wire(), threshold, null,
                groups.subList(0, Math.min(limit, groups.size())), groups.size());
    }
}
