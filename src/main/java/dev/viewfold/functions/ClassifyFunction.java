package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.classify.ClassifierKind;
import dev.viewfold.classify.ClassifyService;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.errors.Choice;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;

import java.util.List;

/**
 * {@code classify}: places an image, several images, a stored image or observation, or a vector into
 * the labelled groups of a space ({@code POST /classify}), with a score per group; {@code groups}
 * holds those over their calibrated threshold (possibly several), and {@code none} is true when no
 * group is close enough.
 */
@RegisterForReflection(targets = {ClassifyFunction.Request.class, ClassifyService.Answer.class,
        ClassifyService.Score.class})
public class ClassifyFunction {

    /**
     * Exactly one of {@code image}, {@code images}, {@code key}, {@code imageId}, {@code observationId}
     * and {@code vector}, as for search.
     *
     * @param method   {@code auto} (the held-out winner), {@code linear}, {@code prototype} (group centroids) or
     *                 {@code knn} (default: configured)
     * @param space    the space to classify in (default: the model's; a head's space uses the head)
     * @param top      scores to return at most (default 5; the member groups always come back)
     * @param strategy how {@code images} are folded
     */
    public record Request(String image, List<String> images, String key, String imageId, String observationId,
                          float[] vector, String method, String space, Integer top, String strategy) {
    }

    @Inject
    ClassifyService classify;

    @Inject
    ViewfoldConfig config;

    @Inject
    ObjectMapper json;

    @Funq("classify")
    public ClassifyService.Answer classify(JsonNode body) {
        Request r = RequestBodies.bind(json, body, Request.class);
        ClassifierKind kind = r.method() == null ? config.groups().classifier()
                : Choice.of(ClassifierKind.class, "method", r.method());
        return classify.classify(r.space(), QueryRequests.source(r.image(), r.images(), r.key(), r.imageId(),
                r.observationId(), r.vector(), config.search().maxImages()), r.strategy(), kind,
                r.top() == null ? 5 : r.top());
    }
}
