package dev.viewfold.store.s3;

import dev.viewfold.search.ImageLinks;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.time.Duration;

/** Links to {@code s3://} images that a browser can open for a while without AWS credentials. */
public final class PresignedLinks implements ImageLinks {

    private final S3Presigner presigner;
    private final Duration ttl;

    public PresignedLinks(S3Presigner presigner, Duration ttl) {
        this.presigner = presigner;
        this.ttl = ttl;
    }

    @Override
    public String link(String imageId) {
        if (!imageId.startsWith("s3://")) {
            return imageId;
        }
        String rest = imageId.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = rest.substring(0, slash);
        String key = rest.substring(slash + 1);
        return presigner.presignGetObject(b -> b.signatureDuration(ttl).getObjectRequest(g -> g.bucket(bucket).key(key)))
                .url().toString();
    }
}
