package dev.viewfold.encode;

import java.util.Set;

/**
 * One object to encode. The observation, view and labels, when given (an ingest manifest), win over
 * the object's metadata and its key. {@code sequencer} is the S3 event's, when the request comes from
 * one: an event older than the row already written is skipped.
 *
 * @param labels the image's group labels, or null when the request does not say (then the object's
 *               {@code labels} metadata decides, and without it the row keeps what it has)
 */
public record EncodeRequest(String key, String observationId, String viewId, String sequencer, Set<String> labels) {

    public EncodeRequest(String key, String observationId, String viewId, String sequencer) {
        this(key, observationId, viewId, sequencer, null);
    }

    public EncodeRequest(String key, String observationId, String viewId) {
        this(key, observationId, viewId, null, null);
    }

    public static EncodeRequest of(String key) {
        return new EncodeRequest(key, null, null, null, null);
    }
}
