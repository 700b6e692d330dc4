package dev.viewfold.infra;

import software.constructs.Node;

import java.nio.file.Path;

/**
 * What a deployment may choose, from CDK context ({@code cdk synth -c key=value}, or cdk.json).
 * Relative paths are resolved against the working directory, which is {@code infra/} under the CDK
 * CLI and under the tests.
 *
 * @param repoRoot          the repository (function artifacts are relative to it)
 * @param functionsDir      where the descriptors are
 * @param artifactRoot      where the descriptors' artifact paths are looked up (the repository)
 * @param allowPlaceholders a missing Lambda package or model becomes a clearly named placeholder
 *                          (synth and tests without a build); off by default, so a real deploy
 *                          cannot ship one by accident
 * @param model             the ONNX model every function uses (encode bakes it into its image)
 * @param modelName         the embedding space's name; the model's folder name, as a local run would use
 * @param encodeImageTag    tag of the encode image in the stack's ECR repository
 * @param clusterMode       {@code lambda} or {@code ecs} (a Fargate task with the encode image)
 * @param gpuSpot           GPU instances from Spot instead of on demand
 * @param bucketVersioning  keep old versions of uploads
 * @param reservedConcurrency apply the descriptors' reserved concurrency (off for accounts whose
 *                          concurrency limit is still the new-account 10)
 * @param alarmEmail        where alarms are mailed (optional)
 * @param jwtIssuer         JWT authoriser instead of IAM when set, with {@code jwtAudience}
 * @param searchBackend     {@code memory} (each function's own index, today's stack) or {@code s3vectors}
 *                          (Amazon S3 Vectors: a vector bucket, its indexes, their grants and settings)
 * @param vectorBucket      the vector bucket's name; null derives it from the stack, as the uploads bucket's
 * @param indexPrefix       the model space's index names start with it ({@code <prefix>-images}, …)
 * @param imageShards       image indexes: 1 is {@code <prefix>-images}, N is {@code <prefix>-images-0} … {@code -<N-1>}
 * @param dimension         the indexes' vector length (the model's embedding size)
 * @param assignConcurrency how many segments of a cluster run's assign phase run at once
 * @param observationIndex  the image table's {@code by-observation} index: on (keys only), or off for
 *                          the first of the two deploys that move a stack from a whole-row index to
 *                          keys only (CloudFormation cannot change an index's projection in place)
 */
public record Settings(Path repoRoot, Path functionsDir, Path artifactRoot, boolean allowPlaceholders, Path model, String modelName,
                       String encodeImageTag, String clusterMode, boolean gpuSpot, boolean bucketVersioning,
                       boolean reservedConcurrency, String alarmEmail, String jwtIssuer, String jwtAudience,
                       String searchBackend, String vectorBucket, String indexPrefix, int imageShards, int dimension,
                       int assignConcurrency, boolean observationIndex) {

    /** Index names are {@code <prefix>-h<12 hex>-observations} at the longest, and S3 Vectors allows 63 characters. */
    static final int MAX_INDEX_PREFIX = 63 - "-h000000000000-observations".length();

    public static Settings from(Node node) {
        Path repoRoot = Path.of(string(node, "repoRoot", "..")).toAbsolutePath().normalize();
        Path functions = path(node, "functionsDir", repoRoot.resolve("functions"));
        Path artifacts = path(node, "artifactRoot", repoRoot);
        Path model = path(node, "model",
                repoRoot.resolve("../shared/models/mobilenetv2-12-int8/model-embedding.onnx"));
        String modelName = string(node, "modelName",
                model.getParent() == null ? "model" : model.getParent().getFileName().toString());
        String clusterMode = string(node, "clusterMode", "lambda");
        if (!clusterMode.equals("lambda") && !clusterMode.equals("ecs")) {
            throw new IllegalArgumentException("clusterMode must be lambda or ecs, not '" + clusterMode + "'");
        }
        String issuer = string(node, "jwtIssuer", null);
        String audience = string(node, "jwtAudience", null);
        if ((issuer == null) != (audience == null)) {
            throw new IllegalArgumentException("set both jwtIssuer and jwtAudience for a JWT authoriser, or neither for IAM");
        }
        String backend = string(node, "searchBackend", "memory");
        if (!backend.equals("memory") && !backend.equals("s3vectors")) {
            throw new IllegalArgumentException("searchBackend must be memory or s3vectors, not '" + backend + "'");
        }
        String vectorBucket = string(node, "vectorBucket", null);
        if (vectorBucket != null && !vectorBucket.matches("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("vectorBucket must be 3 to 63 lower-case letters, digits and hyphens, not '"
                    + vectorBucket + "'");
        }
        String indexPrefix = string(node, "indexPrefix", "viewfold");
        if (!indexPrefix.matches("[a-z0-9][a-z0-9-]*") || indexPrefix.length() > MAX_INDEX_PREFIX) {
            throw new IllegalArgumentException("indexPrefix must be lower-case letters, digits and hyphens, at most "
                    + MAX_INDEX_PREFIX + " characters (index names end in -h<12 hex>-observations), not '" + indexPrefix + "'");
        }
        return new Settings(repoRoot, functions, artifacts, flag(node, "allowPlaceholders", false), model, modelName,
                string(node, "encodeImageTag", "latest"), clusterMode, flag(node, "gpuSpot", false),
                flag(node, "bucketVersioning", false), flag(node, "reservedConcurrency", true),
                string(node, "alarmEmail", null), issuer, audience,
                backend, vectorBucket, indexPrefix,
                // each shard is one more ARN in five roles' policies (10,240 characters per role) and one more
                // query per search: 16 shards take 40,000 inserts/s, far beyond the encode fleet
                integer(node, "imageShards", 1, 1, 16),
                integer(node, "dimension", 1280, 1, 4096),
                integer(node, "assignConcurrency", 16, 1, 10_000),
                flag(node, "observationIndex", true));
    }

    /** Search on Amazon S3 Vectors instead of each function's own index. */
    boolean s3Vectors() {
        return searchBackend.equals("s3vectors");
    }

    private static String string(Node node, String key, String fallback) {
        Object v = node.tryGetContext(key);
        return v == null || v.toString().isBlank() ? fallback : v.toString();
    }

    private static Path path(Node node, String key, Path fallback) {
        String v = string(node, key, null);
        return v == null ? fallback.normalize() : Path.of(v).toAbsolutePath().normalize();
    }

    private static int integer(Node node, String key, int fallback, int min, int max) {
        String v = string(node, key, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("context " + key + " must be a whole number from " + min + " to " + max
                + ", not '" + v + "'");
    }

    private static boolean flag(Node node, String key, boolean fallback) {
        String v = string(node, key, null);
        if (v == null) {
            return fallback;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("context " + key + " must be true or false, not '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }
}
