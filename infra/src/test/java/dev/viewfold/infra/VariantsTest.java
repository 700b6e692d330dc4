package dev.viewfold.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a deployment can choose: cluster as an ECS task, JWT instead of IAM, versioning, no reserved concurrency. */
class VariantsTest {

    @Test
    void largeCollectionsClusterAsAScheduledFargateTaskBehindJwt() {
        Synth s = Synth.variant();
        assertTrue(s.resources("AWS::Lambda::Function").keySet().stream().noneMatch(k -> k.startsWith("ClusterFunction")));
        // the schedule starts ClusterRun, which runs this task (WorkflowsTest)
        JsonNode task = s.resource("AWS::ECS::TaskDefinition", "ClusterTask").path("Properties");
        assertEquals("[\"java\",\"-jar\",\"/app/quarkus-run.jar\",\"cluster\"]",
                task.at("/ContainerDefinitions/0/Command").toString());
        assertEquals(s.id("AWS::IAM::Role", "ClusterRole") + ".Arn", Synth.describe(task.path("TaskRoleArn")));
        assertEquals("cpu", env(task).get("VIEWFOLD_MODEL_DEVICE"), "Fargate has no GPU; the image's default is gpu");
        Map<String, Set<String>> cluster = new TreeMap<>(LeastPrivilegeTest.CLUSTER);
        for (String a : List.of("s3vectors:PutVectors", "s3vectors:GetVectors", "s3vectors:GetIndex", "s3vectors:ListVectors")) {
            cluster.put(a, Set.of("ObservationsIndex.IndexArn"));
        }
        // the check before the run repairs the index writes marked pending
        for (String a : List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject")) {
            cluster.merge(a, LeastPrivilegeTest.PENDING, LeastPrivilegeTest::union);
        }
        cluster.merge("dynamodb:BatchGetItem", Set.of("ObservationTable.Arn"), LeastPrivilegeTest::union);
        assertEquals(cluster, LeastPrivilegeTest.grants(s, "ClusterRole"), "the task role has the function's grants and no more");

        assertEquals(6, s.resources("AWS::ApiGatewayV2::Route").size(), "search's three routes and groups' three");
        for (JsonNode r : s.resources("AWS::ApiGatewayV2::Route").values()) {
            assertEquals("JWT", r.at("/Properties/AuthorizationType").asText());
        }
        assertEquals(1, s.resources("AWS::ApiGatewayV2::Authorizer").size(), "one authoriser for every route");
        JsonNode authorizer = s.resources("AWS::ApiGatewayV2::Authorizer").values().iterator().next().path("Properties");
        assertEquals("https://issuer.example/", authorizer.at("/JwtConfiguration/Issuer").asText());
        assertEquals("[\"viewfold\"]", authorizer.at("/JwtConfiguration/Audience").toString());
        assertTrue(s.json.at("/Outputs/SearchClientPolicyArn").isMissingNode(), "no IAM client policy with JWT");
        assertTrue(s.json.at("/Outputs/GroupsClientPolicyArn").isMissingNode(), "no IAM client policy with JWT");
        assertTrue(s.resources("AWS::IAM::ManagedPolicy").isEmpty());

        assertEquals("Enabled", s.resource("AWS::S3::Bucket", "Uploads").at("/Properties/VersioningConfiguration/Status").asText());
        assertTrue(s.resources("AWS::Lambda::Function").values().stream()
                .allMatch(f -> f.at("/Properties/ReservedConcurrentExecutions").isMissingNode()));
    }

    static Map<String, String> env(JsonNode task) {
        Map<String, String> env = new java.util.TreeMap<>();
        for (JsonNode e : task.at("/ContainerDefinitions/0/Environment")) {
            env.put(e.path("Name").asText(), Synth.describe(e.path("Value")));
        }
        return env;
    }

    @Test
    void withoutPlaceholdersAMissingBuildStopsTheSynthWithItsCommand() {
        Map<String, Object> ctx = new java.util.HashMap<>(Synth.defaults());
        ctx.put("allowPlaceholders", "false");
        App app = ViewfoldApp.newApp(ctx);
        var e = assertThrows(RuntimeException.class, () -> ViewfoldApp.stack(app));
        assertTrue(e.getMessage().contains("is missing. Build it with `./mvnw -Plambda"), e.getMessage());
    }
}
