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
    static final List<String> DATA_SERVICES = List.of("s3:", "s3vectors:", "dynamodb:", "sqs:", "lambda:", "execute-api:", "ecr:");

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
        assertEquals(withLogs("Cluster", CLUSTER), grants(s, "ClusterRole"), "Step Functions invokes it: no async DLQ");
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

    /** What a cluster run needs; it checks first: stale folds refolded, a head's missing rows projected again. */
    static final Map<String, Set<String>> CLUSTER = Map.ofEntries(
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
            Map.entry("s3:PutObject", Set.of("Uploads.Arn/maps/*")));

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

    /** The indexes of {@link Synth#vectors()}: four image shards, the observations, heads' pattern, all. */
    static final Set<String> IMAGES = Set.of("ImagesIndex0.IndexArn", "ImagesIndex1.IndexArn", "ImagesIndex2.IndexArn",
            "ImagesIndex3.IndexArn");
    static final Set<String> OBSERVATIONS = Set.of("ObservationsIndex.IndexArn");
    static final Set<String> HEADS = Set.of("VectorBucket.VectorBucketArn/index/viewfold-h*");
    static final Set<String> ALL_INDEXES = Set.of("VectorBucket.VectorBucketArn/index/viewfold-*");

    /** A failed index write's marker, which the writer puts and the cluster run's check (the repair pass) reads and removes. */
    static final Set<String> PENDING = Set.of("Uploads.Arn/index/pending/*");

    /**
     * With S3 Vectors each role gains exactly its vector grants and, where it writes an index, the
     * pending markers, written out here as above.
     */
    @Test
    void withS3VectorsEachRoleGainsOnlyItsVectorGrantsAndPendingMarkers() {
        Synth s = Synth.standard();
        Synth v = Synth.vectors();
        Map<String, Map<String, Set<String>>> added = Map.of(
                "EncodeRole", Map.of(
                        "s3vectors:PutVectors", IMAGES,
                        "s3vectors:DeleteVectors", IMAGES,
                        "s3vectors:GetIndex", IMAGES,
                        "s3:PutObject", PENDING),
                "AggregateRole", Map.of(
                        "s3vectors:PutVectors", OBSERVATIONS,
                        "s3vectors:GetIndex", OBSERVATIONS,
                        "s3:PutObject", PENDING,
                        // a batch's written folds read back together for the index
                        "dynamodb:BatchGetItem", Set.of("ObservationTable.Arn")),
                "ClusterRole", Map.of(
                        "s3vectors:PutVectors", OBSERVATIONS,
                        "s3vectors:GetVectors", OBSERVATIONS,
                        "s3vectors:GetIndex", OBSERVATIONS,
                        "s3vectors:ListVectors", OBSERVATIONS,
                        // the repair pass; it lists the markers with the bucket's ListBucket, which it has anyway
                        "s3:GetObject", PENDING,
                        "s3:PutObject", PENDING,
                        "s3:DeleteObject", PENDING,
                        "dynamodb:BatchGetItem", Set.of("ObservationTable.Arn")),
                "SearchRole", Map.of(
                        "s3vectors:QueryVectors", ALL_INDEXES,
                        "s3vectors:GetVectors", ALL_INDEXES,
                        "s3vectors:ListVectors", ALL_INDEXES),
                "GroupsRole", GROUPS_VECTORS,
                "TrainRole", GROUPS_VECTORS);
        for (var e : added.entrySet()) {
            Map<String, Set<String>> expected = new TreeMap<>(grants(s, e.getKey()));
            e.getValue().forEach((action, resources) -> expected.merge(action, resources, (a, b) -> union(a, b)));
            assertEquals(expected, grants(v, e.getKey()), e.getKey());
        }
        assertTrue(grants(v, "ClusterRole").get("s3:ListBucket").equals(Set.of("Uploads.Arn")), "the repair lists the markers");
    }

    /** labels and train on the model space's indexes; train creates and fills a head's, which labels and classify read. */
    static final Map<String, Set<String>> GROUPS_VECTORS = Map.of(
            "s3:PutObject", PENDING,
            "s3vectors:PutVectors", union(IMAGES, OBSERVATIONS, HEADS),
            "s3vectors:GetVectors", union(IMAGES, OBSERVATIONS, HEADS),
            "s3vectors:GetIndex", union(IMAGES, OBSERVATIONS, HEADS),
            "s3vectors:CreateIndex", HEADS,
            "s3vectors:QueryVectors", HEADS,
            "s3vectors:ListVectors", HEADS);

    @SafeVarargs
    static Set<String> union(Set<String>... sets) {
        Set<String> all = new TreeSet<>();
        for (Set<String> each : sets) {
            all.addAll(each);
        }
        return all;
    }

    @Test
    void onlyTrainCreatesIndexesOnlyEncodeDeletesVectorsAndNothingDropsAnIndex() {
        Synth v = Synth.vectors();
        for (String role : List.of("EncodeRole", "AggregateRole", "ClusterRole", "SearchRole", "GroupsRole", "TrainRole")) {
            Map<String, Set<String>> grants = grants(v, role);
            assertEquals(role.equals("GroupsRole") || role.equals("TrainRole"), grants.containsKey("s3vectors:CreateIndex"), role);
            assertEquals(role.equals("EncodeRole"), grants.containsKey("s3vectors:DeleteVectors"), role);
            assertTrue(grants.keySet().stream().noneMatch(a -> a.equals("s3vectors:DeleteIndex")
                    || a.startsWith("s3vectors:") && a.contains("VectorBucket")), role + " " + grants.keySet());
            // CreateIndex names heads' indexes only: the model space's are the stack's
            assertEquals(grants.containsKey("s3vectors:CreateIndex") ? HEADS : null, grants.get("s3vectors:CreateIndex"), role);
        }
    }

    @Test
    void groupsCannotTouchTheMapsNorDeleteAnything() {
        for (Synth s : List.of(Synth.standard(), Synth.vectors())) {
            groupsCannotTouchTheMapsNorDeleteAnything(s);
        }
    }

    private static void groupsCannotTouchTheMapsNorDeleteAnything(Synth s) {
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
        Map<String, String> function = new java.util.LinkedHashMap<>(); // role → descriptor
        for (String name : ViewfoldStack.FUNCTIONS) {
            function.put(Character.toUpperCase(name.charAt(0)) + name.substring(1) + "Role", name);
        }
        function.put("TrainRole", "groups");
        for (Synth s : List.of(Synth.standard(), Synth.vectors())) {
            String backend = s == Synth.standard() ? "memory" : "s3vectors";
            for (var e : function.entrySet()) {
                Descriptor d = Descriptor.load(DescriptorTest.FUNCTIONS, e.getValue());
                Map<String, Set<String>> expected = fromDescriptor(d, backend, vectorTargets("viewfold", 4));
                String prefix = e.getKey().replace("Role", "");
                if (d.lambda() != null && !e.getKey().equals("TrainRole")) {
                    // only the stream's mapping sends to a DLQ as the function; the schedule's DLQ is the scheduler's
                    expected = d.trigger().type().equals("dynamodb-stream") ? withLogsAndDlq(prefix, expected) : withLogs(prefix, expected);
                }
                assertEquals(expected, grants(s, e.getKey()), e.getKey() + " from functions/" + d.name() + " (" + backend + ")");
            }
        }
        assertEquals(fromDescriptor(Descriptor.load(DescriptorTest.FUNCTIONS, "cluster"), "s3vectors", vectorTargets("photos", 1)),
                grants(Synth.variant(), "ClusterRole"), "the cluster task (clusterMode=ecs, S3 Vectors under the prefix photos)");
    }

    /** Each vector target's index ARNs as {@link Synth#describe} prints them, for an index prefix and a shard count. */
    static Map<String, Set<String>> vectorTargets(String prefix, int shards) {
        Set<String> images = new TreeSet<>();
        for (int i = 0; i < shards; i++) {
            images.add(shards == 1 ? "ImagesIndex.IndexArn" : "ImagesIndex" + i + ".IndexArn");
        }
        return Map.of("images", images,
                "observations", Set.of("ObservationsIndex.IndexArn"),
                "heads", Set.of("VectorBucket.VectorBucketArn/index/" + prefix + "-h*"),
                "all", Set.of("VectorBucket.VectorBucketArn/index/" + prefix + "-*"));
    }

    /** action → resources of a descriptor's access list for a search backend, described as {@link Synth#describe} prints them. */
    static Map<String, Set<String>> fromDescriptor(Descriptor d, String backend, Map<String, Set<String>> vectorTargets) {
        Map<String, Set<String>> grants = new TreeMap<>();
        for (Descriptor.Access a : d.access()) {
            if (!a.appliesTo(backend)) {
                continue;
            }
            Set<String> resources = new TreeSet<>();
            switch (a.resource()) {
                case "bucket" -> resources.add("Uploads.Arn");
                case "objects" -> resources.add("Uploads.Arn/" + a.prefix() + "*");
                case "imageTable" -> resources.add("ImageTable.Arn");
                case "imageStream" -> resources.add("ImageTable.Arn/stream/*");
                case "observationTable" -> resources.add("ObservationTable.Arn");
                case "queue" -> resources.add("EncodeQueue.Arn");
                case "vectorIndexes" -> a.targets().forEach(t -> resources.addAll(vectorTargets.get(t)));
                default -> resources.add(a.resource().replace("imageTable/index/", "ImageTable.Arn/index/"));
            }
            for (String action : a.actions()) {
                grants.computeIfAbsent(action, x -> new TreeSet<>()).addAll(resources);
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
        assertEquals(Map.of("states:StartExecution", Set.of("ClusterRun"), "sqs:SendMessage", Set.of("ClusterDeadLetters.Arn")),
                scheduler, "the schedule starts the cluster run, or parks the start in its DLQ");
    }

    /** The state machines invoke, list and send what their states name, and start and watch only their own runs. */
    @Test
    void eachStateMachineMayDoOnlyWhatItsStatesDo() {
        Synth s = Synth.standard();
        String cluster = s.id("AWS::StepFunctions::StateMachine", "ClusterRun");
        Map<String, Set<String>> run = new TreeMap<>(ownExecutions(cluster, "AssignSegments"));
        run.put("lambda:InvokeFunction", Set.of("ClusterFunction.Arn", "ClusterFunction.Arn:*"));
        run.put("states:ListExecutions", Set.of("ClusterRun")); // one run at a time
        assertEquals(run, grants(s, "ClusterRunRole"));

        String reencode = s.id("AWS::StepFunctions::StateMachine", "Reencode");
        Map<String, Set<String>> re = new TreeMap<>(ownExecutions(reencode, "SendBatches"));
        re.put("s3:ListBucket", Set.of("Uploads.Arn"));
        re.put("sqs:SendMessage", Set.of("EncodeQueue.Arn"));
        for (String a : List.of("s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload")) {
            re.put(a, Set.of("Uploads.Arn/workflows/reencode/*")); // its results; not the photos
        }
        assertEquals(re, grants(s, "ReencodeRole"));

        // clusterMode=ecs: run the task, pass its two roles, watch it through the rule Step Functions manages;
        // stopping and describing tasks is limited to the stack's cluster
        Synth ecs = Synth.variant();
        Map<String, Set<String>> task = new TreeMap<>();
        task.put("ecs:RunTask", Set.of("ClusterTask"));
        task.put("iam:PassRole", Set.of("ClusterRole.Arn", "ClusterExecutionRole.Arn"));
        String rule = "arn:AWS::Partition:events:AWS::Region:AWS::AccountId:rule/StepFunctionsGetEventsForECSTaskRule";
        for (String a : List.of("events:PutTargets", "events:PutRule", "events:DescribeRule")) {
            task.put(a, Set.of(rule));
        }
        task.put("states:ListExecutions", Set.of("ClusterRun"));
        task.put("ecs:StopTask", Set.of("*"));
        task.put("ecs:DescribeTasks", Set.of("*"));
        assertEquals(task, grants(ecs, "ClusterRunRole"));
        boolean scoped = statements(ecs).stream().anyMatch(st -> strings(st.path("Action")).contains("ecs:StopTask")
                && Synth.describe(st.at("/Condition/ArnEquals/ecs:cluster")).equals(ecs.id("AWS::ECS::Cluster", "Compute") + ".Arn"));
        assertTrue(scoped, "ecs:StopTask and ecs:DescribeTasks only on the stack's cluster");
    }

    /**
     * A Distributed Map's own grants: start its child runs, describe and stop its executions, redrive
     * its map runs (the executions' ARNs name the machine, whose logical id keeps its hash there).
     */
    static Map<String, Set<String>> ownExecutions(String machine, String label) {
        String executions = "arn:AWS::Partition:states:AWS::Region:AWS::AccountId:execution:Select(6, Split(:, " + machine + "))";
        return Map.of(
                "states:StartExecution", Set.of(Synth.unhash(machine)),
                "states:DescribeExecution", Set.of(executions + ":*"),
                "states:StopExecution", Set.of(executions + ":*"),
                "states:RedriveExecution", Set.of(executions + "/" + label + ":*"));
    }


    @Test
    void noPolicyHasAWildcardActionOrAWildcardResourceOnData() {
        for (Synth each : List.of(Synth.standard(), Synth.variant(), Synth.vectors())) {
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
