package dev.viewfold.store.s3;

import dev.viewfold.store.ObjectStore;
import dev.viewfold.store.StoredObject;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.util.Map;

/** An S3 bucket as the object store. */
public final class S3ObjectStore implements ObjectStore {

    private final S3Client s3;
    private final String bucket;

    public S3ObjectStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public StoredObject get(String key, long maxBytes) throws IOException {
        try {
            // HEAD first so an oversized object is refused without downloading it.
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            if (head.contentLength() > maxBytes) {
                throw new ObjectTooLargeException(uri(key), head.contentLength(), maxBytes);
            }
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return new StoredObject(uri(key), key, got.asByteArray(), got.response().metadata());
        } catch (NoSuchKeyException e) {
            throw new ObjectNotFoundException(uri(key));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new ObjectNotFoundException(uri(key));
            }
            throw new IOException("S3 could not read " + uri(key) + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("S3 could not read " + uri(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void put(String key, byte[] bytes, Map<String, String> metadata) throws IOException {
        try {
            // So that a map page in the bucket opens as a page (S3 would say binary/octet-stream).
            String type = dev.viewfold.store.ContentTypes.of(key);
            s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata).contentType(type),
                    RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw new IOException("S3 could not write " + uri(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public java.util.List<String> list(String prefix) throws IOException {
        try {
            java.util.List<String> keys = new java.util.ArrayList<>();
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()
                    .forEach(o -> keys.add(o.key()));
            return keys; // S3 lists in key order
        } catch (SdkException e) {
            throw new IOException("S3 could not list " + uri(prefix) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw new IOException("S3 could not check " + uri(key) + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("S3 could not check " + uri(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key)); // S3 answers 204 for an absent key too
        } catch (SdkException e) {
            throw new IOException("S3 could not delete " + uri(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    public String bucket() {
        return bucket;
    }
}
