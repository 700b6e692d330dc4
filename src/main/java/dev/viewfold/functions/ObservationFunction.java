package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.errors.Refused;
import dev.viewfold.search.ImageLinks;
import dev.viewfold.space.Spaces;
import dev.viewfold.store.ObservationRow;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Set;

/**
 * {@code observation}: one observation as a person reads it ({@code POST /observation}): its views
 * with each one's agreement with the fold and whether it was left out as an outlier, the fold's
 * explanation, its labels and its cluster.
 */
@RegisterForReflection(targets = {ObservationFunction.Request.class, ObservationFunction.Observation.class,
        ObservationFunction.ViewOf.class, ObservationRow.Placement.class})
public class ObservationFunction {

    /** @param space default the model's */
    public record Request(String observationId, String space) {
    }

    /**
     * One view: its image, its agreement (cosine) with the fold, whether the fold left it out, where
     * to see it, and for a view left out as looking like another observation of the space, that
     * observation and the view's cosine with its fold (null otherwise).
     */
    public record ViewOf(String imageId, String viewId, float agreement, boolean outlier, String link,
                         String likelyHome, Float likelyHomeScore) {
    }

    /**
     * @param dispersion  how much the kept views disagree (median cosine distance to the fold)
     * @param explanation the fold's account of itself
     * @param placement   where the latest cluster run put it, or null
     */
    public record Observation(String observationId, String space, String status, String strategy, int viewCount,
                              double dispersion, String explanation, Set<String> labels, String clusterId,
                              ObservationRow.Placement placement, List<ViewOf> views) {
    }

    @Inject
    Aggregator aggregator;

    @Inject
    Spaces spaces;

    @Inject
    ImageLinks links;

    @Inject
    ObjectMapper json;

    @Funq("observation")
    public Observation observation(JsonNode body) {
        Request r = RequestBodies.bind(json, body, Request.class);
        if (r.observationId() == null || r.observationId().isBlank()) {
            throw Refused.invalid("observationId is required");
        }
        String space = spaces.require(r.space()).id();
        ObservationRow row = aggregator.stored(space, r.observationId()).orElseThrow(() -> Refused.notFound(
                "no observation with id '" + Refused.echo(r.observationId()) + "' in space " + space));
        return new Observation(row.observationId(), row.space(), row.status().wire(), row.strategy(), row.viewCount(),
                row.dispersion(), row.explanation(), row.labels(), row.clusterId(), row.placement(),
                row.views().stream().map(v -> new ViewOf(v.imageId(), v.viewId(), v.agreement(), v.outlier(),
                        links.link(v.imageId()), v.likelyHome(), v.likelyHomeScore())).toList());
    }
}
