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
 */
public record Settings(Path repoRoot, Path functionsDir, Path artifactRoot, boolean allowPlaceholders, Path model, String modelName,
                       String encodeImageTag, String clusterMode, boolean gpuSpot, boolean bucketVersioning,
                       boolean reservedConcurrency, String alarmEmail, String jwtIssuer, String jwtAudience) {

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
        return new Settings(repoRoot, functions, artifacts, flag(node, "allowPlaceholders", false), model, modelName,
                string(node, "encodeImageTag", "latest"), clusterMode, flag(node, "gpuSpot", false),
                flag(node, "bucketVersioning", false), flag(node, "reservedConcurrency", true),
                string(node, "alarmEmail", null), issuer, audience);
    }

    private static String string(Node node, String key, String fallback) {
        Object v = node.tryGetContext(key);
        return v == null || v.toString().isBlank() ? fallback : v.toString();
    }

    private static Path path(Node node, String key, Path fallback) {
        String v = string(node, key, null);
        return v == null ? fallback.normalize() : Path.of(v).toAbsolutePath().normalize();
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
