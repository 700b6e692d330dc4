package dev.viewfold.store;

import java.util.Map;

/**
 * An object read from the object store.
 *
 * @param uri      where it lives ({@code s3://bucket/key}, {@code file:/path}); the image id of its row
 * @param key      its key inside the store
 * @param metadata user metadata (S3 {@code x-amz-meta-*}, lower-case names without the prefix)
 */
public record StoredObject(String uri, String key, byte[] bytes, Map<String, String> metadata) {

    public StoredObject {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
