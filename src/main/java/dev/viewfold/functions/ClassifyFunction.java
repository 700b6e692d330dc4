package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.groups.CalibratedClassifier;
import dev.viewfold.groups.Classification;
import dev.viewfold.groups.ClassifierKind;
import dev.viewfold.groups.GroupClassifiers;
import dev.viewfold.groups.GroupScore;
import dev.viewfold.search.QueryException;
import dev.viewfold.search.SearchQuery;
import dev.viewfold.search.SearchService;
import dev.viewfold.search.SearchSpaces;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code classify}: places an image, several images, a stored image or observation, or a vector into
 * the labelled groups of a space ({@code POST /classify}), with a score per group; {@code groups}
 * holds those over their calibrated threshold (possibly several), and {@code none} is true when no
 * group is close enough.
 */
@RegisterForReflection(targets = {ClassifyFunction.Request.class, ClassifyFunction.Response.class,
        ClassifyFunction.Score.class})
public class ClassifyFunction {

    /**
     * Exactly one of {@code image}, {@code images}, {@code key}, {@code imageId}, {@code observationId}
     * and {@code vector}, as for search.
     *
     * @param method   {@code prototype} (group centroids) or {@code knn} (default: configured)
     * @param space    the space to classify in (default: the model's; a head's space uses the head)
     * @param top      scores to return at most (default 5; the member groups always come back)
     * @param strategy how {@code images} are folded
     */
    public record Request(String image, List<String> images, String key, String imageId, String observationId,
                          float[] vector, String method, String space, Integer top, String strategy) {
    }

    /** One group's score and the threshold calibrated for it. */
    public record Score(String group, float score, float threshold, boolean member) {
    }

    /**
     * @param heldOutAccuracy top-1 accuracy of this classifier on the held-out observations that set the
     *                        thresholds; null when every group has a single observation, so none could be held
     *                        out (a group's threshold is then halfway between the best score another
     *                        group's observation gets and 1)
     */
    public record Response(String space, String method, String observation, List<String> groups, boolean none,
                           List<Score> scores, int knownGroups, Double heldOutAccuracy, double millis) {
    }

    @Inject
    SearchSpaces spaces;

    @Inject
    GroupClassifiers classifiers;

    @Inject
    SearchFunction search;

    @Inject
    ViewfoldConfig config;

    @Inject
    ObjectMapper json;

    @Funq("classify")
    public Response classify(JsonNode body) {
        long started = System.nanoTime();
        Request r = RequestBodies.bind(json, body, Request.class);
        ClassifierKind kind = RequestBodies.choice(ClassifierKind.class, "method",
                r.method() == null ? config.groups().classifier() : r.method());
        int top = r.top() == null ? 5 : r.top();
        if (top < 1 || top > 1000) {
            throw new BadRequest("top must be between 1 and 1000 (got " + top + ")");
        }
        SearchQuery.Source source = search.source(r.image(), r.images(), r.key(), r.imageId(), r.observationId(),
                r.vector());
        try {
            SearchService service = spaces.of(r.space());
            String space = service.catalog().space();
            SearchService.Resolved query = service.vectorOf(source, r.strategy());
            CalibratedClassifier classifier = classifiers.of(space, kind);
            Classification c = classifier.classify(query.vector());
            List<Score> scores = new ArrayList<>();
            for (GroupScore s : c.scores()) {
                boolean member = c.groups().contains(s.group());
                if (scores.size() < top || member) {
                    scores.add(new Score(s.group(), s.score(), classifier.thresholds().of(s.group()), member));
                }
            }
            return new Response(space, kind.name().toLowerCase(java.util.Locale.ROOT), query.observation(), c.groups(),
                    c.none(), scores, c.scores().size(),
                    Double.isNaN(classifier.heldOutAccuracy()) ? null : classifier.heldOutAccuracy(),
                    (System.nanoTime() - started) / 1e6);
        } catch (QueryException e) {
            throw BadRequest.of(e);
        } catch (GroupClassifiers.NoLabelledObservations e) {
            throw new BadRequest(409, e.getMessage());
        }
    }
}
