package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.groups.HeadStore;
import dev.viewfold.groups.LabelEditor;
import dev.viewfold.wiring.EncodeWiring.EmbeddingSpace;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * {@code labels}: sets, adds or removes an observation's group labels ({@code POST /labels}). The
 * edit reaches every image of the observation, in the model's space and in every head's, and the
 * observation is refolded, so search filters and classifiers see it.
 */
@RegisterForReflection(targets = {LabelsFunction.Request.class, LabelsFunction.Response.class})
public class LabelsFunction {

    /**
     * @param observationId the observation to label
     * @param set           replace all labels with these (omit to keep them)
     * @param add           labels to add
     * @param remove        labels to remove
     */
    public record Request(String observationId, List<String> set, List<String> add, List<String> remove) {
    }

    /** The observation's labels after the edit. */
    public record Response(String observationId, Set<String> labels, int imagesUpdated, List<String> spaces) {
    }

    @Inject
    LabelEditor editor;

    @Inject
    HeadStore heads;

    @Inject
    EmbeddingSpace space;

    @Inject
    ObjectMapper json;

    @Funq("labels")
    public Response labels(JsonNode body) {
        Request r = RequestBodies.bind(json, body, Request.class);
        if (r.observationId() == null || r.observationId().isBlank()) {
            throw new BadRequest("observationId is required");
        }
        LabelEditor.Edit edit;
        try {
            edit = new LabelEditor.Edit(r.set() == null ? null : Set.copyOf(r.set()), copy(r.add()), copy(r.remove()));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new BadRequest(e instanceof NullPointerException ? "label lists may not hold null" : e.getMessage());
        }
        List<String> spaces = new ArrayList<>();
        spaces.add(space.id());
        spaces.addAll(heads.spacesOf(space.id()));
        try {
            var result = editor.apply(spaces, r.observationId(), edit);
            return new Response(result.observationId(), result.labels(), result.imagesUpdated(), result.spaces());
        } catch (NoSuchElementException e) {
            throw BadRequest.notFound(e.getMessage());
        }
    }

    private static Set<String> copy(List<String> labels) {
        return labels == null ? Set.of() : Set.copyOf(labels);
    }
}
