package dev.viewfold.space;

import dev.viewfold.errors.Refused;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The spaces this deployment has: the configured model's own, and the space of every head trained
 * on it. The one place that says whether a space exists, and the one check for it.
 */
public final class Spaces {

    private final Space model;
    private final Function<Space, List<Space>> headsOf;
    private final Predicate<Space> unlisted;

    /**
     * @param model   the configured model's space
     * @param headsOf the head spaces trained on a model space, oldest first (the head store's listing)
     */
    public Spaces(Space model, Function<Space, List<Space>> headsOf) {
        this(model, headsOf, space -> false);
    }

    /**
     * @param unlisted whether a head space has weights but is not listed yet: its training is still
     *                 filling it, or stopped before it was done
     */
    public Spaces(Space model, Function<Space, List<Space>> headsOf, Predicate<Space> unlisted) {
        if (model.isHead()) {
            throw new IllegalArgumentException("the deployment's space is a model space, not " + model);
        }
        this.model = model;
        this.headsOf = headsOf;
        this.unlisted = unlisted;
    }

    /** The configured model's space: where ingest writes and what a request means by no space. */
    public Space model() {
        return model;
    }

    /** The head spaces trained on the model's space, oldest first. */
    public List<Space> heads() {
        return headsOf.apply(model);
    }

    /** Every space: the model's first, then its heads'. */
    public List<Space> all() {
        List<Space> out = new ArrayList<>();
        out.add(model);
        out.addAll(heads());
        return out;
    }

    /**
     * The space a request names; null or blank is the model's.
     *
     * @throws UnknownSpace (404) when this deployment has no such space
     * @throws Refused (503) for a head's space that is still being filled: never an empty answer
     */
    public Space require(String id) {
        if (id == null || id.isBlank() || id.equals(model.id())) {
            return model;
        }
        List<Space> heads = heads();
        for (Space head : heads) {
            if (head.id().equals(id)) {
                return head;
            }
        }
        Space asked = parseOrNull(id);
        if (asked != null && asked.isHead() && asked.base().equals(model) && unlisted.test(asked)) {
            throw new Refused(Refused.Kind.UNAVAILABLE, "space '" + id + "' is not ready: its head's training is still"
                    + " filling it, or stopped before it was done (train again); it is listed once every row is in it");
        }
        throw new UnknownSpace(id, model, heads);
    }

    private static Space parseOrNull(String id) {
        try {
            return Space.parse(id);
        } catch (Refused notASpace) {
            return null;
        }
    }
}
