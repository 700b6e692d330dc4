package dev.viewfold.encode;

/**
 * One object to encode. The observation and view, when given (an ingest manifest), win over the
 * object's metadata and its key.
 */
public record EncodeRequest(String key, String observationId, String viewId) {

    public static EncodeRequest of(String key) {
        return new EncodeRequest(key, null, null);
    }
}
