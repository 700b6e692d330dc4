package dev.viewfold.space;

import dev.viewfold.errors.Refused;

import java.util.Objects;

/**
 * An embedding space: where vectors may be compared with each other. Either a model's own space,
 * {@code <model name>@<12 hex>} (a digest of the model file and its preprocessing, see
 * {@code encode.ModelSpace}), or the space a head trained on it makes,
 * {@code <model space>+head@<head digest>}. The head digest covers the head's weights, so a
 * retrained head is a new space and its vectors are never compared with another's. Rows are keyed by
 * {@link #id()}.
 *
 * @param model      the model space's id
 * @param headDigest the head's digest, or null for the model space itself
 */
public record Space(String model, String headDigest) {

    private static final String HEAD_MARK = "+head@";

    public Space {
        Objects.requireNonNull(model, "model");
        if (model.isBlank() || model.contains(HEAD_MARK)) {
            throw new IllegalArgumentException("not a model space: '" + model + "'");
        }
        if (headDigest != null && (headDigest.isBlank() || headDigest.contains("/") || headDigest.contains(HEAD_MARK))) {
            throw new IllegalArgumentException("not a head digest: '" + headDigest + "'");
        }
    }

    /** A model's own space. */
    public static Space ofModel(String modelSpace) {
        return new Space(modelSpace, null);
    }

    /**
     * A space from its id, as rows, requests and the bucket name it.
     *
     * @throws Refused (invalid) for a blank id or a head mark with nothing around it
     */
    public static Space parse(String id) {
        if (id == null || id.isBlank()) {
            throw Refused.invalid("a space id is a model space (<name>@<digest>) or a head's space"
                    + " (<model space>+head@<digest>), not '" + Refused.echo(id) + "'");
        }
        int at = id.indexOf(HEAD_MARK);
        try {
            return at < 0 ? new Space(id, null) : new Space(id.substring(0, at), id.substring(at + HEAD_MARK.length()));
        } catch (IllegalArgumentException e) {
            throw Refused.invalid("'" + Refused.echo(id) + "' is not a space id: " + e.getMessage());
        }
    }

    /** The space a head with this digest makes of this model space. */
    public Space withHead(String digest) {
        if (headDigest != null) {
            throw new IllegalStateException("heads are trained on a model space, not on " + id());
        }
        return new Space(model, digest);
    }

    public boolean isHead() {
        return headDigest != null;
    }

    /** The model space this one derives from (itself for a model space). */
    public Space base() {
        return headDigest == null ? this : new Space(model, null);
    }

    /** How rows, requests and the bucket name this space. */
    public String id() {
        return headDigest == null ? model : model + HEAD_MARK + headDigest;
    }

    @Override
    public String toString() {
        return id();
    }
}
