package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.errors.Refused;
import dev.viewfold.labels.LabelEditor;
import dev.viewfold.space.Spaces;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;

import java.util.List;
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
    Spaces spaces;

    @Inject
    ObjectMapper json;

    @Funq("labels")
    public Response labels(JsonNode body) {
        Request r = RequestBodies.bind(json, body, Request.class);
        if (r.observationId() == null || r.observationId().isBlank()) {
            throw Refused.invalid("observationId is required");
        }
        var result = editor.apply(spaces.all(), r.observationId(), new LabelEditor.Edit(r.set(), r.add(), r.remove()));
        return new Response(result.observationId(), result.labels(), result.imagesUpdated(), result.spaces());
    }
}
