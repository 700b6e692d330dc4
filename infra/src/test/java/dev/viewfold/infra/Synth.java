package dev.viewfold.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Synthesises the stack for a test: offline, no credentials, placeholders for what was not built. */
final class Synth {

    static final ObjectMapper JSON = new ObjectMapper();

    private static Synth standard;
    private static Synth variant;
    private static Synth vectors;

    /** The stack as `cdk synth` builds it by default (IAM auth, cluster on Lambda), synthesised once. */
    static synchronized Synth standard() {
        if (standard == null) {
            standard = of(Map.of());
        }
        return standard;
    }

    /**
     * Every non-default switch at once (cluster on Fargate, JWT auth, versioned bucket, no reserved
     * concurrency, S3 Vectors under names of the deployment's choosing), synthesised once.
     */
    static synchronized Synth variant() {
        if (variant == null) {
            Map<String, Object> ctx = new HashMap<>(Map.of("clusterMode", "ecs", "jwtIssuer", "https://issuer.example/",
                    "jwtAudience", "viewfold", "bucketVersioning", "true", "reservedConcurrency", "false"));
            ctx.putAll(Map.of("searchBackend", "s3vectors", "vectorBucket", "photo-vectors", "indexPrefix", "photos",
                    "dimension", "512"));
            variant = of(ctx);
        }
        return variant;
    }

    /**
     * The default stack searching on S3 Vectors with four image shards (default names), and 32 assign
     * segments of a cluster run at once, synthesised once.
     */
    static synchronized Synth vectors() {
        if (vectors == null) {
            vectors = of(Map.of("searchBackend", "s3vectors", "imageShards", "4", "assignConcurrency", "32"));
        }
        return vectors;
    }

    final ViewfoldStack stack;
    final Template template;
    final JsonNode json;

    private Synth(ViewfoldStack stack) {
        this.stack = stack;
        this.template = Template.fromStack(stack);
        this.json = JSON.valueToTree(template.toJSON());
    }

    /** The stack with the given context on top of the tests' defaults (nothing built, a small stand-in model). */
    static Synth of(Map<String, Object> context) {
        Map<String, Object> ctx = new HashMap<>(defaults());
        ctx.putAll(context);
        App app = ViewfoldApp.newApp(ctx);
        return new Synth(ViewfoldApp.stack(app));
    }

    static Map<String, Object> defaults() {
        try {
            Path root = Files.createTempDirectory("viewfold-infra-test");
            Path model = root.resolve("models/test-model/model-embedding.onnx");
            Files.createDirectories(model.getParent());
            Files.write(model, new byte[] {8, 1});
            Files.writeString(model.resolveSibling("ignored.txt"), "not part of the layer");
            Path artifacts = Files.createDirectories(root.resolve("nothing-built"));
            return Map.of("allowPlaceholders", "true", "artifactRoot", artifacts.toString(),
                    "model", model.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Resources of a type, by logical id. */
    Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> found = new java.util.LinkedHashMap<>();
        json.path("Resources").fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals(type)) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    /** The one resource of a type whose logical id starts with the construct id. */
    JsonNode resource(String type, String idPrefix) {
        var matches = resources(type).entrySet().stream().filter(e -> e.getKey().startsWith(idPrefix)).toList();
        if (matches.size() != 1) {
            throw new AssertionError("expected one " + type + " named " + idPrefix + "*, found " + matches.size());
        }
        return matches.get(0).getValue();
    }

    /** The logical id of the one resource of a type whose id starts with the construct id. */
    String id(String type, String idPrefix) {
        var matches = resources(type).keySet().stream().filter(k -> k.startsWith(idPrefix)).toList();
        if (matches.size() != 1) {
            throw new AssertionError("expected one " + type + " named " + idPrefix + "*, found " + matches);
        }
        return matches.get(0);
    }

    /**
     * A CloudFormation value as a readable string: {@code Ref X} is {@code X}, {@code GetAtt X.Y} is
     * {@code X.Y}, joins are concatenated.
     */
    static String describe(JsonNode v) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.has("Ref")) {
            return v.get("Ref").asText();
        }
        if (v.has("Fn::GetAtt")) {
            return v.get("Fn::GetAtt").get(0).asText() + "." + v.get("Fn::GetAtt").get(1).asText();
        }
        if (v.has("Fn::Select") && v.get("Fn::Select").get(1).has("Fn::Split")) {
            JsonNode split = v.get("Fn::Select").get(1).get("Fn::Split");
            return "Select(" + v.get("Fn::Select").get(0).asText() + ", Split(" + split.get(0).asText() + ", "
                    + describe(split.get(1)) + "))";
        }
        if (v.has("Fn::Join")) {
            StringBuilder sb = new StringBuilder();
            JsonNode parts = v.get("Fn::Join").get(1);
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    sb.append(v.get("Fn::Join").get(0).asText());
                }
                sb.append(describe(parts.get(i)));
            }
            return sb.toString();
        }
        return v.toString();
    }

    /** A state machine's definition (its DefinitionString, references described) as JSON. */
    JsonNode definition(String idPrefix) {
        try {
            return JSON.readTree(describe(resource("AWS::StepFunctions::StateMachine", idPrefix).at("/Properties/DefinitionString")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Lambda's environment, or a task definition's first container's, as name → described value. */
    Map<String, String> environment(String type, String idPrefix) {
        Map<String, String> env = new java.util.TreeMap<>();
        JsonNode p = resource(type, idPrefix).path("Properties");
        if (type.equals("AWS::Lambda::Function")) {
            p.at("/Environment/Variables").fields().forEachRemaining(e -> env.put(e.getKey(), describe(e.getValue())));
        } else {
            for (JsonNode e : p.at("/ContainerDefinitions/0/Environment")) {
                env.put(e.path("Name").asText(), describe(e.path("Value")));
            }
        }
        return env;
    }

    /** Drops the hash suffix of the logical id that starts a described resource ("ImageTableF6499A4E.Arn/..."). */
    static String unhashAll(String described) {
        return described.replaceAll("^([A-Za-z0-9]+?)[0-9A-F]{8}(\\.|$)", "$1$2");
    }

    static String unhash(String logicalId) {
        return logicalId.replaceAll("[0-9A-F]{8}$", "");
    }

    public static void main(String[] args) throws IOException {
        Map<String, Object> ctx = new HashMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            ctx.put(kv[0], kv[1]);
        }
        Synth s = of(ctx);
        Files.writeString(Path.of("target/template.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s.json));
    }
}
