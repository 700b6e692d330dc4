package dev.viewfold.encode;

/**
 * One object to encode. The observation and view, when given (an ingest manifest), win over the
 * object's metadata and its key. {@code sequencer} is the S3 event's, when the request comes from
 * one: an event older than the row already written is skipped.
 */
public record EncodeRequest(String key, String observationId, String viewId, String sequencer) {

    public EncodeRequest(String key, String observationId, String viewId) {
        this(key, observationId, viewId, null);
    }

    public static EncodeRequest of(String key) {
        return new EncodeRequest(key, null, null, null);
    }
}
