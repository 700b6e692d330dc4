package dev.viewfold.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every role grants exactly the actions on exactly the resources its function needs (written out
 * here, independently of the descriptors, so that widening a descriptor fails this test), and no
 * policy in the stack has a wildcard action or a wildcard resource on data.
 */
class LeastPrivilegeTest {

    /** Actions AWS authorises on no resource but "*" (Service Authorization Reference). */
    static final Set<String> NO_RESOURCE_LEVEL = Set.of("ecr:GetAuthorizationToken", "ecs:DiscoverPollEndpoint");

    /** Services whose resources hold Viewfold's data. */
    static final List<String> DATA_SERVICES = List.of("s3:", "dynamodb:", "sqs:", "lambda:", "execute-api:", "ecr:");

    @Test
    void eachFunctionRoleGrantsOnlyWhatItsFunctionNeeds() {
        Synth s = Synth.standard();
        assertEquals(Map.of(
                "s3:ListBucket", Set.of("Uploads.Arn"),
                "s3:GetObject", Set.of("Uploads.Arn/images/*", "Uploads.Arn/heads/*"),
                "dynamodb:GetItem", Set.of("ImageTable.Arn"),
                "dynamodb:PutItem", Set.of("ImageTable.Arn"),
                "dynamodb:BatchWriteItem", Set.of("ImageTable.Arn"),
                "dynamodb:DeleteItem", Set.of("ImageTable.Arn"),
                "sqs:ReceiveMessage", Set.of("EncodeQueue.Arn"),
                "sqs:DeleteMessage", Set.of("EncodeQueue.Arn")), grants(s, "EncodeRole"));
        assertEquals(withLogsAndDlq("Aggregate", Map.of(
                "dynamodb:DescribeStream", Set.of("ImageTable.Arn/stream/*"),
                "dynamodb:GetRecords", Set.of("ImageTable.Arn/stream/*"),
                "dynamodb:GetShardIterator", Set.of("ImageTable.Arn/stream/*"),
                "dynamodb:ListStreams", Set.of("ImageTable.Arn/stream/*"),
                "dynamodb:Query", Set.of("ImageTable.Arn/index/by-observation"),
                "dynamodb:BatchGetItem", Set.of("ImageTable.Arn"),
                "dynamodb:GetItem", Set.of("ObservationTable.Arn"),
                "dynamodb:UpdateItem", Set.of("ObservationTable.Arn"))), grants(s, "AggregateRole"));
        // The scheduled run checks first: stale folds refolded, a head's missing rows projected again.
        assertEquals(withLogsAndDlq("Cluster", Map.ofEntries(
                Map.entry("s3:ListBucket", Set.of("Uploads.Arn")),
                Map.entry("dynamodb:Scan", Set.of("ObservationTable.Arn", "ImageTable.Arn")),
                Map.entry("dynamodb:GetItem", Set.of("ObservationTable.Arn")),
                Map.entry("dynamodb:UpdateItem", Set.of("ObservationTable.Arn")),
                Map.entry("dynamodb:Query", Set.of("ImageTable.Arn/index/by-observation")),
                Map.entry("dynamodb:BatchGetItem", Set.of("ImageTable.Arn")),
                Map.entry("dynamodb:BatchWriteItem", Set.of("ImageTable.Arn")),
                Map.entry("dynamodb:PutItem", Set.of("ImageTable.Arn")),
                Map.entry("dynamodb:DeleteItem", Set.of("ImageTable.Arn")),
                Map.entry("s3:GetObject", Set.of("Uploads.Arn/maps/*", "Uploads.Arn/heads/*")),
                Map.entry("s3:PutObject", Set.of("Uploads.Arn/maps/*")))), grants(s, "ClusterRole"));
        assertEquals(Map.of(
                "s3:ListBucket", Set.of("Uploads.Arn"),
                "s3:GetObject", Set.of("Uploads.Arn/images/*", "Uploads.Arn/index/*", "Uploads.Arn/heads/*"),
                "dynamodb:Scan", Set.of("ImageTable.Arn", "ObservationTable.Arn"),
                "logs:CreateLogStream", Set.of("SearchLogs.Arn"),
                "logs:PutLogEvents", Set.of("SearchLogs.Arn")), grants(s, "SearchRole"));
        Map<String, Set<String>> groups = new TreeMap<>(GROUPS);
        groups.put("logs:CreateLogStream", Set.of("GroupsLogs.Arn"));
        groups.put("logs:PutLogEvents", Set.of("GroupsLogs.Arn"));
        assertEquals(groups, grants(s, "GroupsRole"));
        assertEquals(GROUPS, grants(s, "TrainRole"), "the train task: the function's grants, its logs by the execution role");
    }

    /** What labels, classify and train need (the groups function and the train task alike). */
    static final Map<String, Set<String>> GROUPS = Map.of(
            "s3:ListBucket", Set.of("Uploads.Arn"),
            "s3:GetObject", Set.of("Uploads.Arn/images/*", "Uploads.Arn/index/*", "Uploads.Arn/heads/*"),
            "s3:PutObject", Set.of("Uploads.Arn/heads/*"),
            "dynamodb:Scan", Set.of("ImageTable.Arn", "ObservationTable.Arn"),
            "dynamodb:BatchGetItem", Set.of("ImageTable.Arn"),
            "dynamodb:BatchWriteItem", Set.of("ImageTable.Arn"),
            "dynamodb:PutItem", Set.of("ImageTable.Arn"),
            "dynamodb:Query", Set.of("ImageTable.Arn/index/by-observation"),
            "dynamodb:UpdateItem", Set.of("ObservationTable.Arn"));

    @Test
    void groupsCannotTouchTheMapsNorDeleteAnything() {
        Synth s = Synth.standard();
        for (String role : List.of("GroupsRole", "TrainRole")) {
            for (var grant : grants(s, role).entrySet()) {
                assertFalse(grant.getKey().contains("Delete"), role + " may " + grant.getKey());
                assertTrue(grant.getValue().stream().noneMatch(r -> r.contains("maps/")), role + ": " + grant);
                assertTrue(grant.getValue().stream().noneMatch(r -> r.contains("EncodeQueue")), role + ": " + grant);
            }
        }
        // heads/ is written by train alone; the others only read it
        for (String role : List.of("EncodeRole", "AggregateRole", "ClusterRole", "SearchRole")) {
            assertTrue(grants(s, role).getOrDefault("s3:PutObject", Set.of()).stream().noneMatch(r -> r.contains("heads/")), role);
        }
    }

    /**
     * Each role is its descriptor's access list, resolved to this stack's ARNs, plus no more than its
     * own log group (Lambdas) and its dead-letter queue (asynchronous triggers).
     */
    @Test
    void eachRoleIsItsDescriptorsAccessList() {
        Synth s = Synth.standard();
        Synth ecs = Synth.variant();
        Map<String, String> function = new java.util.LinkedHashMap<>(); // role → descriptor
        for (String name : ViewfoldStack.FUNCTIONS) {
            function.put(Character.toUpperCase(name.charAt(0)) + name.substring(1) + "Role", name);
        }
        function.put("TrainRole", "groups");
        for (var e : function.entrySet()) {
            Descriptor d = Descriptor.load(DescriptorTest.FUNCTIONS, e.getValue());
            Map<String, Set<String>> expected = fromDescriptor(d);
            String prefix = e.getKey().replace("Role", "");
            if (d.lambda() != null && !e.getKey().equals("TrainRole")) {
                expected = d.trigger().type().equals("http-api") ? withLogs(prefix, expected) : withLogsAndDlq(prefix, expected);
            }
            assertEquals(expected, grants(s, e.getKey()), e.getKey() + " from functions/" + d.name());
        }
        assertEquals(fromDescriptor(Descriptor.load(DescriptorTest.FUNCTIONS, "cluster")), grants(ecs, "ClusterRole"),
                "the cluster task (clusterMode=ecs)");
    }

    /** action → resources of a descriptor's access list, described as {@link Synth#describe} prints them. */
    static Map<String, Set<String>> fromDescriptor(Descriptor d) {
        Map<String, Set<String>> grants = new TreeMap<>();
        for (Descriptor.Access a : d.access()) {
            String resource = switch (a.resource()) {
                case "bucket" -> "Uploads.Arn";
                case "objects" -> "Uploads.Arn/" + a.prefix() + "*";
                case "imageTable" -> "ImageTable.Arn";
                case "imageStream" -> "ImageTable.Arn/stream/*";
                case "observationTable" -> "ObservationTable.Arn";
                case "queue" -> "EncodeQueue.Arn";
                default -> a.resource().replace("imageTable/index/", "ImageTable.Arn/index/");
            };
            for (String action : a.actions()) {
                grants.computeIfAbsent(action, x -> new TreeSet<>()).add(resource);
            }
        }
        return grants;
    }

    @Test
    void theSupportingRolesAreScopedToo() {
        Synth s = Synth.standard();
        Map<String, Set<String>> execution = grants(s, "EncodeExecutionRole");
        assertEquals(Set.of("EncodeRepository.Arn"), execution.get("ecr:BatchGetImage"));
        assertEquals(Set.of("EncodeLogs.Arn"), execution.get("logs:PutLogEvents"));
        Map<String, Set<String>> instance = grants(s, "GpuInstanceRole");
        assertEquals(Set.of("Compute.Arn"), instance.get("ecs:RegisterContainerInstance"));
        assertFalse(instance.keySet().stream().anyMatch(a -> a.startsWith("logs:") || a.startsWith("ecr:")),
                "instances get no log or image rights: the execution role has them");
        Map<String, Set<String>> scheduler = grants(s, "SchedulerRoleForTarget");
        assertEquals(Set.of("lambda:InvokeFunction", "sqs:SendMessage"), scheduler.keySet());
    }

    @Test
    void noPolicyHasAWildcardActionOrAWildcardResourceOnData() {
        Synth s = Synth.standard();
        Synth other = Synth.variant();
        for (Synth each : List.of(s, other)) {
            List<JsonNode> statements = statements(each);
            assertTrue(statements.size() > 20, "found the policies");
            for (JsonNode st : statements) {
                for (String action : strings(st.path("Action"))) {
                    assertFalse(action.contains("*"), "wildcard action " + action + " in " + st);
                }
                if (strings(st.path("Resource")).contains("*")) {
                    boolean noResourceLevel = NO_RESOURCE_LEVEL.containsAll(strings(st.path("Action")));
                    boolean scopedToCluster = st.at("/Condition/ArnEquals/ecs:cluster").isObject();
                    if (!noResourceLevel && !scopedToCluster) {
                        fail("'*' resource for actions that can be scoped: " + st);
                    }
                    for (String action : strings(st.path("Action"))) {
                        if (DATA_SERVICES.stream().anyMatch(action::startsWith) && !NO_RESOURCE_LEVEL.contains(action)) {
                            fail("data action on '*': " + st);
                        }
                    }
                }
            }
            for (JsonNode role : each.resources("AWS::IAM::Role").values()) {
                assertTrue(role.at("/Properties/ManagedPolicyArns").isMissingNode(),
                        "no AWS managed policies (they grant on '*'): " + role);
            }
        }
    }

    /** action → resources granted to the role (its default policy), resources described by {@link Synth#describe}. */
    static Map<String, Set<String>> grants(Synth s, String rolePrefix) {
        String role = s.id("AWS::IAM::Role", rolePrefix);
        Map<String, Set<String>> grants = new TreeMap<>();
        for (JsonNode policy : s.resources("AWS::IAM::Policy").values()) {
            boolean attached = false;
            for (JsonNode r : policy.at("/Properties/Roles")) {
                attached |= Synth.describe(r).equals(role);
            }
            if (!attached) {
                continue;
            }
            for (JsonNode st : policy.at("/Properties/PolicyDocument/Statement")) {
                assertEquals("Allow", st.path("Effect").asText());
                List<String> resources = new ArrayList<>();
                JsonNode r = st.path("Resource");
                if (r.isArray()) {
                    r.forEach(x -> resources.add(Synth.unhashAll(Synth.describe(x))));
                } else {
                    resources.add(Synth.unhashAll(Synth.describe(r)));
                }
                for (String action : strings(st.path("Action"))) {
                    grants.computeIfAbsent(action, a -> new TreeSet<>()).addAll(resources);
                }
            }
        }
        assertFalse(grants.isEmpty(), "no policy on " + rolePrefix);
        return grants;
    }

    static Map<String, Set<String>> withLogs(String fn, Map<String, Set<String>> grants) {
        Map<String, Set<String>> all = new TreeMap<>(grants);
        all.put("logs:CreateLogStream", Set.of(fn + "Logs.Arn"));
        all.put("logs:PutLogEvents", Set.of(fn + "Logs.Arn"));
        return all;
    }

    static Map<String, Set<String>> withLogsAndDlq(String fn, Map<String, Set<String>> grants) {
        Map<String, Set<String>> all = withLogs(fn, grants);
        for (String a : List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl")) {
            all.put(a, Set.of(fn + "DeadLetters.Arn"));
        }
        return all;
    }

    static List<JsonNode> statements(Synth s) {
        List<JsonNode> all = new ArrayList<>();
        for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
            for (JsonNode p : s.resources(type).values()) {
                p.at("/Properties/PolicyDocument/Statement").forEach(all::add);
            }
        }
        for (JsonNode role : s.resources("AWS::IAM::Role").values()) {
            for (JsonNode p : role.at("/Properties/Policies")) {
                p.at("/PolicyDocument/Statement").forEach(all::add);
            }
        }
        return all;
    }

    static List<String> strings(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(x -> out.add(x.isTextual() ? x.asText() : x.toString()));
        } else if (!v.isMissingNode()) {
            out.add(v.isTextual() ? v.asText() : v.toString());
        }
        return out;
    }
}
