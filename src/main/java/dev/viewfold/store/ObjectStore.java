package dev.viewfold.store;

import java.io.IOException;
import java.util.Map;

/** Where uploaded images live: a local folder, or an S3 bucket. */
public interface ObjectStore {

    /**
     * Reads an object whole.
     *
     * @throws ObjectNotFoundException when no object has that key (for example deleted after its event)
     * @throws ObjectTooLargeException when it is larger than {@code maxBytes}
     * @throws IOException             when the store cannot be read; the caller may retry
     */
    StoredObject get(String key, long maxBytes) throws IOException;

    /**
     * Writes an object whole: a reader sees the old object or the new one, never a part of it (S3
     * puts are atomic; a folder writes a temporary file and renames it).
     */
    void put(String key, byte[] bytes, Map<String, String> metadata) throws IOException;

    /** The keys under a prefix, in key order. */
    java.util.List<String> list(String prefix) throws IOException;

    /** Whether an object has that key now. */
    boolean exists(String key) throws IOException;

    /** Removes an object; an absent key is fine. */
    void delete(String key) throws IOException;

    /** The location of a key, as used for image ids: {@code s3://bucket/key} or {@code file:/path}. */
    String uri(String key);

    final class ObjectNotFoundException extends IOException {
        public ObjectNotFoundException(String uri) {
            super("no such object: " + uri);
        }
    }

    final class ObjectTooLargeException extends IOException {
        public final long size;

        public ObjectTooLargeException(String uri, long size, long maxBytes) {
            super("object of " + size + " bytes exceeds the " + maxBytes + "-byte limit: " + uri);
            this.size = size;
        }
    }
}
