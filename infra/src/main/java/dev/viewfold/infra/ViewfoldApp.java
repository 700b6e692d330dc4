package dev.viewfold.infra;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CDK app: {@code cdk synth} / {@code cdk deploy} in {@code infra/} run it (cdk.json). The stack is
 * environment-agnostic (no account or region baked in): {@code cdk deploy} deploys it to the account
 * and region of the credentials it runs with, and the synth needs none.
 */
public final class ViewfoldApp {

    private ViewfoldApp() {
    }

    public static void main(String[] args) {
        App app = newApp(Map.of());
        stack(app);
        app.synth();
    }

    /**
     * An app with the feature flags of {@code cdk.json} (the ones {@code cdk init} writes), so that the
     * tests and a run without the CLI build the same template as {@code cdk synth}; the CLI's own
     * context ({@code -c}) and then {@code overrides} win over them.
     */
    public static App newApp(Map<String, Object> overrides) {
        return new App(AppProps.builder()
                .context(cdkJsonContext(Path.of("cdk.json")))
                .postCliContext(overrides)
                .build());
    }

    public static ViewfoldStack stack(App app) {
        Object name = app.getNode().tryGetContext("stackName");
        Tags.of(app).add("project", "viewfold"); // cost allocation and finding what the stack made
        return new ViewfoldStack(app, name == null ? "Viewfold" : name.toString(), StackProps.builder()
                .description("Viewfold: photos into searchable, clustered embeddings (infra/README.md)")
                .build(), Settings.from(app.getNode()));
    }

    static Map<String, Object> cdkJsonContext(Path cdkJson) {
        if (!Files.isRegularFile(cdkJson)) {
            throw new IllegalStateException("run the app from infra/ (no cdk.json in " + Path.of("").toAbsolutePath() + ")");
        }
        try {
            ObjectMapper json = new ObjectMapper();
            JsonNode context = json.readTree(cdkJson.toFile()).path("context");
            return new LinkedHashMap<>(json.convertValue(context, new TypeReference<Map<String, Object>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + cdkJson, e);
        }
    }
}
