package dev.viewfold.functions;

import dev.viewfold.heads.HeadReport;
import dev.viewfold.heads.HeadStore;
import dev.viewfold.space.Space;
import dev.viewfold.space.Spaces;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;

import java.util.List;

/** {@code spaces}: the spaces a request may name ({@code GET /spaces}): the model's, and each trained head's. */
@RegisterForReflection(targets = {SpacesFunction.Listing.class, SpacesFunction.Head.class})
public class SpacesFunction {

    /** A head's space, its kind and when it was made. */
    public record Head(String space, String kind, String trainedAt) {
    }

    public record Listing(String model, List<Head> heads) {
    }

    @Inject
    Spaces spaces;

    @Inject
    HeadStore heads;

    @Funq("spaces")
    public Listing spaces() {
        return new Listing(spaces.model().id(), spaces.heads().stream().map(this::head).toList());
    }

    private Head head(Space space) {
        HeadReport r = heads.report(space);
        return new Head(space.id(), r.settings() == null ? null : r.settings().head(), r.trainedAt());
    }
}
