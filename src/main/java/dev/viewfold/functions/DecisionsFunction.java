package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.errors.Choice;
import dev.viewfold.search.DuplicateDecisions;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;

import java.util.List;

/**
 * {@code decide} ({@code POST /decide}) records a person's decision on a near-duplicate group: keep
 * one of them, or not duplicates at all; {@code decisions} ({@code GET /decisions}) lists them.
 * Nothing is deleted.
 */
@RegisterForReflection(targets = {DecisionsFunction.Request.class, DecisionsFunction.Listing.class,
        DuplicateDecisions.Record.class})
public class DecisionsFunction {

    /** @param decision {@code keep-one} (with {@code keep}) or {@code not-duplicates} */
    public record Request(List<String> ids, String decision, String keep) {
    }

    public record Listing(List<DuplicateDecisions.Record> decisions) {
    }

    @Inject
    DuplicateDecisions decisions;

    @Inject
    ObjectMapper json;

    @Funq("decide")
    public DuplicateDecisions.Record decide(JsonNode body) {
        Request r = RequestBodies.bind(json, body, Request.class);
        return decisions.decide(r.ids(), Choice.of(DuplicateDecisions.Decision.class, "decision", r.decision()),
                r.keep());
    }

    @Funq("decisions")
    public Listing decisions() {
        return new Listing(decisions.all());
    }
}
