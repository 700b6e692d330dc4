package dev.viewfold.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.s3vectors.CfnIndex;
import software.amazon.awscdk.services.s3vectors.CfnVectorBucket;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Amazon S3 Vectors, with {@code -c searchBackend=s3vectors}: a vector bucket and the model space's
 * indexes, {@code <prefix>-images} (or its shards {@code <prefix>-images-0} …) and
 * {@code <prefix>-observations}. A trained head's indexes ({@code <prefix>-h<12 hex>-images|observations})
 * are not here: train creates them when it trains. With the default {@code memory} backend this adds
 * nothing to the stack.
 */
final class Vectors {

    private final Settings settings;
    private final String bucketName;
    private CfnVectorBucket bucket;
    private final List<CfnIndex> imageIndexes = new ArrayList<>();
    private CfnIndex observationIndex;

    Vectors(Stack scope, Settings settings) {
        this.settings = settings;
        this.bucketName = settings.vectorBucket() != null ? settings.vectorBucket() : Kit.stackScopedName(scope, "vectors");
        if (!settings.s3Vectors()) {
            return;
        }
        bucket = CfnVectorBucket.Builder.create(scope, "VectorBucket")
                .vectorBucketName(bucketName)
                .encryptionConfiguration(CfnVectorBucket.EncryptionConfigurationProperty.builder().sseType("AES256").build())
                .build();
        // Kept on stack deletion like the tables: the vectors cost a re-encode of every photo to rebuild,
        // and the heads' indexes, which the stack does not own, keep the bucket from being deleted anyway.
        bucket.applyRemovalPolicy(RemovalPolicy.RETAIN);
        List<String> names = imageIndexNames(settings.indexPrefix(), settings.imageShards());
        for (int i = 0; i < names.size(); i++) {
            imageIndexes.add(index(scope, names.size() == 1 ? "ImagesIndex" : "ImagesIndex" + i, names.get(i)));
        }
        observationIndex = index(scope, "ObservationsIndex", settings.indexPrefix() + "-observations");

        Kit.out(scope, "VectorBucketName", bucketName, "S3 Vectors bucket (VIEWFOLD_SEARCH_S3VECTORS_BUCKET)");
        Kit.out(scope, "VectorIndexPrefix", settings.indexPrefix(),
                "index names: <prefix>-images (or -images-<shard>), <prefix>-observations, heads' <prefix>-h<12 hex>-…");
    }

    /** {@code <prefix>-images}, or one index per shard. */
    static List<String> imageIndexNames(String prefix, int shards) {
        if (shards == 1) {
            return List.of(prefix + "-images");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            names.add(prefix + "-images-" + i);
        }
        return names;
    }

    /**
     * Cosine, float32, the model's dimension. Every metadata key (observation, cluster, labels) is
     * filterable unless an index lists it as non-filterable, so no metadata configuration is needed.
     * The bucket's ARN (a GetAtt, not its name) makes CloudFormation create the bucket first.
     */
    private CfnIndex index(Stack scope, String id, String name) {
        CfnIndex index = CfnIndex.Builder.create(scope, id)
                .vectorBucketArn(bucket.getAttrVectorBucketArn())
                .indexName(name)
                .dataType("float32")
                .dimension(settings.dimension())
                .distanceMetric("cosine")
                .build();
        index.applyRemovalPolicy(RemovalPolicy.RETAIN);
        return index;
    }

    boolean enabled() {
        return bucket != null;
    }

    /**
     * The index ARNs a descriptor's {@code vectorIndexes} target names ({@link Descriptor#VECTOR_TARGETS}).
     * The stack's own indexes by their ARN attribute, so that a role's policy (and with it its function)
     * is created after the index; heads' indexes by a pattern, since train creates them later.
     */
    List<String> arns(String target) {
        if (!enabled()) {
            throw new IllegalStateException("no vector indexes without -c searchBackend=s3vectors");
        }
        return switch (target) {
            case "images" -> imageIndexes.stream().map(CfnIndex::getAttrIndexArn).toList();
            case "observations" -> List.of(observationIndex.getAttrIndexArn());
            case "heads" -> List.of(bucket.getAttrVectorBucketArn() + "/index/" + settings.indexPrefix() + "-h*");
            case "all" -> List.of(bucket.getAttrVectorBucketArn() + "/index/" + settings.indexPrefix() + "-*");
            default -> throw new IllegalArgumentException("unknown vector index target '" + target + "'; known: "
                    + Descriptor.VECTOR_TARGETS);
        };
    }

    /** What a function that reads or writes vectors is told: backend, bucket, index prefix, image shards. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("VIEWFOLD_SEARCH_BACKEND", "s3vectors");
        env.put("VIEWFOLD_SEARCH_S3VECTORS_BUCKET", bucketName);
        env.put("VIEWFOLD_SEARCH_S3VECTORS_INDEX_PREFIX", settings.indexPrefix());
        env.put("VIEWFOLD_SEARCH_S3VECTORS_IMAGE_SHARDS", Integer.toString(settings.imageShards()));
        return env;
    }
}
