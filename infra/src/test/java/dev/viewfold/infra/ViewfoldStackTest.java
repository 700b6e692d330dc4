package dev.viewfold.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Triggers, storage settings, the GPU service and its scaling, alarms and outputs of the default stack. */
class ViewfoldStackTest {

    final Synth s = Synth.standard();

    @Test
    void theBucketIsPrivateEncryptedTlsOnlyAndRetained() {
        JsonNode bucket = s.resource("AWS::S3::Bucket", "Uploads");
        JsonNode p = bucket.path("Properties");
        for (String flag : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertTrue(p.path("PublicAccessBlockConfiguration").path(flag).asBoolean(), flag);
        }
        assertEquals("AES256", p.at("/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm").asText());
        assertEquals("BucketOwnerEnforced", p.at("/OwnershipControls/Rules/0/ObjectOwnership").asText());
        assertTrue(p.path("VersioningConfiguration").isMissingNode(), "versioning is off unless asked for");
        assertEquals("Retain", bucket.path("DeletionPolicy").asText());

        JsonNode statements = s.resource("AWS::S3::BucketPolicy", "Uploads").at("/Properties/PolicyDocument/Statement");
        boolean denyPlainHttp = false;
        boolean denyOldTls = false;
        for (JsonNode st : statements) {
            if (st.path("Effect").asText().equals("Deny")) {
                denyPlainHttp |= st.at("/Condition/Bool/aws:SecureTransport").asText().equals("false");
                denyOldTls |= st.at("/Condition/NumericLessThan/s3:TlsVersion").asText().equals("1.2");
            }
        }
        assertTrue(denyPlainHttp, "the bucket refuses requests without TLS");
        assertTrue(denyOldTls, "the bucket refuses TLS older than 1.2");
    }

    @Test
    void uploadsNotifyTheEncodeQueueWhichHasADeadLetterQueue() {
        String queue = s.id("AWS::SQS::Queue", "EncodeQueue");
        String dlq = s.id("AWS::SQS::Queue", "EncodeDeadLetters");
        JsonNode bucket = s.resource("AWS::S3::Bucket", "Uploads");
        List<String> events = new ArrayList<>();
        for (JsonNode c : bucket.at("/Properties/NotificationConfiguration/QueueConfigurations")) {
            assertEquals(queue + ".Arn", Synth.describe(c.path("Queue")));
            assertEquals("prefix", c.at("/Filter/S3Key/Rules/0/Name").asText());
            assertEquals("images/", c.at("/Filter/S3Key/Rules/0/Value").asText());
            events.add(c.path("Event").asText());
        }
        assertEquals(List.of("s3:ObjectCreated:*", "s3:ObjectRemoved:*"), events);
        // S3 checks it may send before it accepts the notification: the queue policy comes first.
        String policy = s.id("AWS::SQS::QueuePolicy", "EncodeQueuePolicy");
        assertTrue(bucket.path("DependsOn").toString().contains(policy), bucket.path("DependsOn").toString());
        boolean s3MaySend = false;
        for (JsonNode st : s.resource("AWS::SQS::QueuePolicy", "EncodeQueuePolicy").at("/Properties/PolicyDocument/Statement")) {
            if (st.at("/Principal/Service").asText().equals("s3.amazonaws.com")) {
                s3MaySend = st.path("Action").asText().equals("sqs:SendMessage")
                        && Synth.describe(st.at("/Condition/ArnLike/aws:SourceArn")).startsWith("arn:AWS::Partition:s3:::viewfold-images-")
                        && Synth.describe(st.at("/Condition/StringEquals/aws:SourceAccount")).equals("AWS::AccountId");
            }
        }
        assertTrue(s3MaySend, "only S3, for this bucket in this account, may send to the queue");

        JsonNode q = s.resource("AWS::SQS::Queue", "EncodeQueue").path("Properties");
        assertEquals(dlq + ".Arn", Synth.describe(q.at("/RedrivePolicy/deadLetterTargetArn")));
        assertEquals(5, q.at("/RedrivePolicy/maxReceiveCount").asInt());
        assertEquals(300, q.path("VisibilityTimeout").asInt());
        for (JsonNode each : s.resources("AWS::SQS::Queue").values()) {
            assertTrue(each.at("/Properties/SqsManagedSseEnabled").asBoolean(), "every queue is encrypted");
        }
    }

    @Test
    void theTablesAreOnDemandWithPointInTimeRecoveryAndTheImageTableStreams() {
        for (String table : List.of("ImageTable", "ObservationTable")) {
            JsonNode p = s.resource("AWS::DynamoDB::Table", table).path("Properties");
            assertEquals("PAY_PER_REQUEST", p.path("BillingMode").asText(), table);
            assertTrue(p.at("/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled").asBoolean(), table);
            assertEquals("Retain", s.resource("AWS::DynamoDB::Table", table).path("DeletionPolicy").asText());
        }
        JsonNode images = s.resource("AWS::DynamoDB::Table", "ImageTable").path("Properties");
        assertEquals("NEW_AND_OLD_IMAGES", images.at("/StreamSpecification/StreamViewType").asText());
        assertEquals("by-observation", images.at("/GlobalSecondaryIndexes/0/IndexName").asText());
        assertEquals("KEYS_ONLY", images.at("/GlobalSecondaryIndexes/0/Projection/ProjectionType").asText(),
                "a copy of each row in the index would bill every vector twice");
        assertEquals("image_id", images.at("/KeySchema/0/AttributeName").asText());
        assertEquals("space", images.at("/KeySchema/1/AttributeName").asText());
    }

    @Test
    void theFirstDeployOfTheIndexMigrationDropsTheIndexAndTheSecondCreatesItKeysOnly() {
        // CloudFormation replaces an index to change its projection, and a stack update may delete or
        // create one index, not both: an older stack (whole rows) moves in two deploys.
        JsonNode without = Synth.of(Map.of("observationIndex", "false")).resource("AWS::DynamoDB::Table", "ImageTable")
                .path("Properties");
        assertTrue(without.path("GlobalSecondaryIndexes").isMissingNode(), without.path("GlobalSecondaryIndexes").toString());
        assertEquals("NEW_AND_OLD_IMAGES", without.at("/StreamSpecification/StreamViewType").asText(),
                "the table itself is unchanged: same keys, same stream");
        JsonNode with = s.resource("AWS::DynamoDB::Table", "ImageTable").path("Properties");
        assertEquals(1, with.path("GlobalSecondaryIndexes").size());
        assertEquals(without.path("KeySchema"), with.path("KeySchema"));
    }

    @Test
    void theImageStreamFeedsAggregateWithBatchItemFailuresAndADeadLetterQueue() {
        JsonNode esm = s.resources("AWS::Lambda::EventSourceMapping").values().iterator().next().path("Properties");
        assertEquals(1, s.resources("AWS::Lambda::EventSourceMapping").size());
        assertEquals(s.id("AWS::DynamoDB::Table", "ImageTable") + ".StreamArn", Synth.describe(esm.path("EventSourceArn")));
        assertEquals(s.id("AWS::Lambda::Function", "AggregateFunction"), Synth.describe(esm.path("FunctionName")));
        assertEquals("[\"ReportBatchItemFailures\"]", esm.path("FunctionResponseTypes").toString());
        assertEquals(s.id("AWS::SQS::Queue", "AggregateDeadLetters") + ".Arn",
                Synth.describe(esm.at("/DestinationConfig/OnFailure/Destination")));
        assertFalse(esm.path("BisectBatchOnFunctionError").asBoolean());
        assertEquals(100, esm.path("BatchSize").asInt());
        assertEquals("TRIM_HORIZON", esm.path("StartingPosition").asText());

        JsonNode fn = s.resource("AWS::Lambda::Function", "AggregateFunction").path("Properties");
        assertEquals("aggregate", fn.at("/Environment/Variables/QUARKUS_FUNQY_EXPORT").asText());
        assertEquals(512, fn.path("MemorySize").asInt());
        assertEquals("[\"arm64\"]", fn.path("Architectures").toString());
        assertEquals("provided.al2023", fn.path("Runtime").asText(), "nothing built: the descriptor's native runtime");
    }

    @Test
    void theHttpApiRoutesReachSearchBehindIamAndThrottling() {
        String api = s.id("AWS::ApiGatewayV2::Api", "SearchApi");
        Map<String, String> targets = routeTargets();
        assertEquals(6, targets.size(), targets.toString());
        String searchIntegration = s.id("AWS::ApiGatewayV2::Integration", "SearchApiPOSTsearchSearchIntegration");
        assertEquals(s.id("AWS::Lambda::Alias", "SearchLive"), Synth.describe(s.json.at("/Resources/"
                + searchIntegration + "/Properties/IntegrationUri")));
        for (String route : List.of("POST /search", "POST /search/image", "POST /duplicates")) {
            assertEquals("integrations/" + searchIntegration, targets.get(route), route);
        }
        for (JsonNode r : s.resources("AWS::ApiGatewayV2::Route").values()) {
            assertEquals("AWS_IAM", r.at("/Properties/AuthorizationType").asText(), r.toString());
            assertEquals(api, Synth.describe(r.at("/Properties/ApiId")));
        }
        assertEquals(1, s.resources("AWS::ApiGatewayV2::Api").size(), "one API, one URL");
        assertEquals(1, s.resources("AWS::ApiGatewayV2::Stage").size());
        JsonNode stage = s.resource("AWS::ApiGatewayV2::Stage", "SearchStage").path("Properties");
        assertEquals(50, stage.at("/DefaultRouteSettings/ThrottlingRateLimit").asInt());
        assertEquals(100, stage.at("/DefaultRouteSettings/ThrottlingBurstLimit").asInt());
        assertFalse(stage.at("/AccessLogSettings/DestinationArn").isMissingNode(), "access logs are kept");

        JsonNode fn = s.resource("AWS::Lambda::Function", "SearchFunction").path("Properties");
        assertEquals("java21", fn.path("Runtime").asText());
        assertEquals("io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest", fn.path("Handler").asText());
        assertEquals("PublishedVersions", fn.at("/SnapStart/ApplyOn").asText());
        assertTrue(fn.at("/Environment/Variables/QUARKUS_FUNQY_EXPORT").isMissingNode(), "search serves several functions");
    }

    @Test
    void theGroupsRoutesReachGroupsOnTheSameApiBehindIamWithTheirOwnThrottle() {
        Map<String, String> targets = routeTargets();
        String groupsIntegration = s.id("AWS::ApiGatewayV2::Integration", "SearchApiPOSTlabelsGroupsIntegration");
        assertEquals(s.id("AWS::Lambda::Alias", "GroupsLive"), Synth.describe(s.json.at("/Resources/"
                + groupsIntegration + "/Properties/IntegrationUri")));
        assertEquals(2, s.resources("AWS::ApiGatewayV2::Integration").size(), "one integration per function");
        List<String> groupsRoutes = List.of("POST /labels", "POST /classify", "POST /train");
        for (String route : groupsRoutes) {
            assertEquals("integrations/" + groupsIntegration, targets.get(route), route);
        }
        JsonNode stage = s.resource("AWS::ApiGatewayV2::Stage", "SearchStage");
        for (String route : groupsRoutes) {
            JsonNode settings = stage.at("/Properties/RouteSettings").path(route);
            assertEquals(10, settings.path("ThrottlingRateLimit").asInt(), route);
            assertEquals(20, settings.path("ThrottlingBurstLimit").asInt(), route);
        }
        // a route setting names a route: the stage is written after the routes it names
        for (var r : s.resources("AWS::ApiGatewayV2::Route").entrySet()) {
            if (groupsRoutes.contains(r.getValue().at("/Properties/RouteKey").asText())) {
                assertTrue(stage.path("DependsOn").toString().contains(r.getKey()), r.getKey());
            }
        }

        JsonNode fn = s.resource("AWS::Lambda::Function", "GroupsFunction").path("Properties");
        assertEquals("java21", fn.path("Runtime").asText());
        assertEquals("[\"arm64\"]", fn.path("Architectures").toString());
        assertEquals("io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest", fn.path("Handler").asText());
        assertEquals("PublishedVersions", fn.at("/SnapStart/ApplyOn").asText());
        assertEquals(3008, fn.path("MemorySize").asInt());
        assertEquals(29, fn.path("Timeout").asInt());
        assertEquals(s.id("AWS::IAM::Role", "GroupsRole") + ".Arn", Synth.describe(fn.path("Role")));
        assertTrue(fn.at("/Environment/Variables/QUARKUS_FUNQY_EXPORT").isMissingNode(), "groups serves three functions");
        assertEquals(s.id("AWS::S3::Bucket", "Uploads"), Synth.describe(fn.at("/Environment/Variables/VIEWFOLD_AWS_BUCKET")));

        // callers of the groups routes need their own policy: exactly the three routes
        JsonNode policy = s.resource("AWS::IAM::ManagedPolicy", "GroupsClientPolicy").at("/Properties/PolicyDocument/Statement/0");
        assertEquals("execute-api:Invoke", policy.path("Action").asText());
        List<String> arns = new ArrayList<>();
        policy.path("Resource").forEach(r -> arns.add(Synth.describe(r).replaceAll("^.*:" + s.id("AWS::ApiGatewayV2::Api", "SearchApi"), "")));
        assertEquals(java.util.Set.of("/$default/POST/labels", "/$default/POST/classify", "/$default/POST/train"),
                new java.util.HashSet<>(arns));
        assertEquals(3, arns.size());
    }

    @Test
    void largeTrainingIsAOneOffFargateTaskWithTheEncodeImage() {
        JsonNode task = s.resource("AWS::ECS::TaskDefinition", "TrainTask").path("Properties");
        assertEquals("[\"FARGATE\"]", task.path("RequiresCompatibilities").toString());
        assertEquals("4096", task.path("Cpu").asText());
        assertEquals("16384", task.path("Memory").asText());
        assertEquals(s.id("AWS::IAM::Role", "TrainRole") + ".Arn", Synth.describe(task.path("TaskRoleArn")));
        JsonNode container = task.at("/ContainerDefinitions/0");
        assertEquals("train", container.path("Name").asText());
        assertEquals("[\"java\",\"-jar\",\"/app/quarkus-run.jar\",\"train\"]", container.path("Command").toString());
        assertTrue(Synth.describe(container.path("Image")).contains(s.id("AWS::ECR::Repository", "EncodeRepository")));
        Map<String, String> env = VariantsTest.env(task);
        assertEquals("cpu", env.get("VIEWFOLD_MODEL_DEVICE"), "no GPU on Fargate");
        assertTrue(env.get("JAVA_TOOL_OPTIONS").contains("-XX:MaxRAMPercentage=75"), env.get("JAVA_TOOL_OPTIONS"));
        assertFalse(env.containsKey("QUARKUS_FUNQY_EXPORT"));
        assertEquals("/opt/model/model-embedding.onnx", env.get("VIEWFOLD_MODEL"));
        assertTrue(s.resources("AWS::Scheduler::Schedule").values().stream()
                .noneMatch(sch -> sch.toString().contains(s.id("AWS::ECS::TaskDefinition", "TrainTask"))), "nothing starts it");
        for (String o : List.of("TrainTaskDefinitionArn", "TrainTaskSecurityGroupId", "TrainTaskSubnetIds")) {
            assertFalse(s.json.path("Outputs").path(o).isMissingNode(), o);
        }
    }

    /** route key → target of every route of the API. */
    private Map<String, String> routeTargets() {
        Map<String, String> targets = new java.util.TreeMap<>();
        for (JsonNode r : s.resources("AWS::ApiGatewayV2::Route").values()) {
            targets.put(r.at("/Properties/RouteKey").asText(), Synth.describe(r.at("/Properties/Target")));
        }
        return targets;
    }

    @Test
    void encodeRunsOnGpuInstancesFromTheEcsGpuAmi() {
        JsonNode task = s.resource("AWS::ECS::TaskDefinition", "EncodeTask").path("Properties");
        JsonNode container = task.at("/ContainerDefinitions/0");
        assertEquals("[{\"Type\":\"GPU\",\"Value\":\"1\"}]", container.path("ResourceRequirements").toString());
        assertEquals("[\"java\",\"-jar\",\"/app/quarkus-run.jar\",\"worker\"]", container.path("Command").toString());
        assertEquals("[\"EC2\"]", task.path("RequiresCompatibilities").toString());
        assertEquals(s.id("AWS::IAM::Role", "EncodeRole") + ".Arn", Synth.describe(task.path("TaskRoleArn")));
        boolean queueUrl = false;
        for (JsonNode env : container.path("Environment")) {
            queueUrl |= env.path("Name").asText().equals("VIEWFOLD_AWS_QUEUE_URL")
                    && Synth.describe(env.path("Value")).equals(s.id("AWS::SQS::Queue", "EncodeQueue"));
        }
        assertTrue(queueUrl, "the worker drains the stack's queue");

        JsonNode lt = s.resource("AWS::EC2::LaunchTemplate", "GpuLaunchTemplate").at("/Properties/LaunchTemplateData");
        String ami = Synth.describe(lt.path("ImageId"));
        assertEquals("/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id",
                s.json.at("/Parameters/" + ami + "/Default").asText());
        assertEquals("required", lt.at("/MetadataOptions/HttpTokens").asText());
        assertEquals(1, lt.at("/MetadataOptions/HttpPutResponseHopLimit").asInt());
        assertTrue(lt.at("/BlockDeviceMappings/0/Ebs/Encrypted").asBoolean());
        JsonNode asg = s.resource("AWS::AutoScaling::AutoScalingGroup", "GpuInstances").path("Properties");
        List<String> types = new ArrayList<>();
        asg.at("/MixedInstancesPolicy/LaunchTemplate/Overrides").forEach(o -> types.add(o.path("InstanceType").asText()));
        assertEquals(List.of("g5.xlarge", "g6.xlarge"), types);
        assertTrue(s.resources("AWS::EC2::SecurityGroup").values().stream()
                .noneMatch(g -> g.at("/Properties/SecurityGroupIngress").isArray()), "nothing may connect in");
    }

    @Test
    void encodeScalesOnTheQueueDownToZero() {
        JsonNode asg = s.resource("AWS::AutoScaling::AutoScalingGroup", "GpuInstances").path("Properties");
        assertEquals("0", asg.path("MinSize").asText());
        assertEquals("8", asg.path("MaxSize").asText());
        JsonNode provider = s.resource("AWS::ECS::CapacityProvider", "GpuCapacity").at("/Properties/AutoScalingGroupProvider");
        assertEquals("ENABLED", provider.at("/ManagedScaling/Status").asText());
        JsonNode service = s.resource("AWS::ECS::Service", "EncodeService").path("Properties");
        assertEquals(0, service.path("DesiredCount").asInt());
        assertEquals(s.id("AWS::ECS::CapacityProvider", "GpuCapacity"),
                Synth.describe(service.at("/CapacityProviderStrategy/0/CapacityProvider")));
        JsonNode target = s.resources("AWS::ApplicationAutoScaling::ScalableTarget").values().iterator().next().path("Properties");
        assertEquals(0, target.path("MinCapacity").asInt());
        assertEquals(8, target.path("MaxCapacity").asInt());

        // The step policy sets the task count from the backlog; an empty queue (visible + in flight) means 0.
        boolean toZero = false;
        boolean outOnBacklog = false;
        for (JsonNode policy : s.resources("AWS::ApplicationAutoScaling::ScalingPolicy").values()) {
            JsonNode cfg = policy.at("/Properties/StepScalingPolicyConfiguration");
            assertEquals("ExactCapacity", cfg.path("AdjustmentType").asText());
            for (JsonNode step : cfg.path("StepAdjustments")) {
                toZero |= step.path("ScalingAdjustment").asInt() == 0 && step.has("MetricIntervalUpperBound");
                outOnBacklog |= step.path("ScalingAdjustment").asInt() == 1;
            }
        }
        assertTrue(toZero && outOnBacklog, "scales out on a backlog and back to zero when it is gone");
        boolean backlogAlarm = s.resources("AWS::CloudWatch::Alarm").values().stream().anyMatch(a ->
                a.at("/Properties/Metrics").toString().contains("visible + inflight")
                        && a.at("/Properties/Metrics").toString().contains("ApproximateNumberOfMessagesNotVisible"));
        assertTrue(backlogAlarm, "scaling watches waiting and in-flight messages");
    }

    @Test
    void everyDeadLetterQueueAndFunctionHasAnAlarmThatNotifies() {
        Map<String, JsonNode> alarms = s.resources("AWS::CloudWatch::Alarm");
        String topic = s.id("AWS::SNS::Topic", "Alarms");
        for (String dlq : List.of("EncodeDeadLetters", "AggregateDeadLetters", "ClusterDeadLetters")) {
            String queue = s.id("AWS::SQS::Queue", dlq);
            assertTrue(alarms.values().stream().anyMatch(a ->
                    a.at("/Properties/MetricName").asText().equals("ApproximateNumberOfMessagesVisible")
                            && Synth.describe(a.at("/Properties/Dimensions/0/Value")).equals(queue + ".QueueName")
                            && a.at("/Properties/Threshold").asDouble() == 1
                            && Synth.describe(a.at("/Properties/AlarmActions/0")).equals(topic)), "alarm on " + dlq);
        }
        for (String fn : List.of("AggregateFunction", "ClusterFunction", "SearchFunction", "GroupsFunction")) {
            String id = s.id("AWS::Lambda::Function", fn);
            assertTrue(alarms.values().stream().anyMatch(a ->
                    a.at("/Properties/MetricName").asText().equals("Errors")
                            && Synth.describe(a.at("/Properties/Dimensions/0/Value")).equals(id)
                            && Synth.describe(a.at("/Properties/AlarmActions/0")).equals(topic)), "errors alarm on " + fn);
        }
    }

    @Test
    void theOutputsAUserNeedsAreThere() {
        JsonNode outputs = s.json.path("Outputs");
        for (String o : List.of("BucketName", "ApiUrl", "ImageTableName", "ObservationTableName", "QueueUrl",
                "EncodeRepositoryUri", "SearchClientPolicyArn", "GroupsClientPolicyArn", "AlarmTopicArn")) {
            assertFalse(outputs.path(o).isMissingNode(), o);
        }
        assertEquals(s.id("AWS::S3::Bucket", "Uploads"), Synth.describe(outputs.at("/BucketName/Value")));
        assertEquals(s.id("AWS::SQS::Queue", "EncodeQueue"), Synth.describe(outputs.at("/QueueUrl/Value")));
    }

    @Test
    void everyFunctionGetsTheModelLayerAndTheStacksNames() {
        s.template.hasResourceProperties("AWS::Lambda::LayerVersion", Map.of(
                "Description", Match.stringLikeRegexp("test-model/model-embedding.onnx")));
        for (String fn : List.of("AggregateFunction", "ClusterFunction", "SearchFunction", "GroupsFunction")) {
            JsonNode p = s.resource("AWS::Lambda::Function", fn).path("Properties");
            assertEquals(s.id("AWS::Lambda::LayerVersion", "Model"), Synth.describe(p.at("/Layers/0")));
            JsonNode env = p.at("/Environment/Variables");
            assertEquals("/opt/model-embedding.onnx", env.path("VIEWFOLD_MODEL").asText(), fn);
            assertEquals("test-model", env.path("VIEWFOLD_MODEL_NAME").asText(), fn);
            assertEquals("aws", env.path("VIEWFOLD_STORE").asText(), fn);
            assertEquals(s.id("AWS::DynamoDB::Table", "ObservationTable"),
                    Synth.describe(env.path("VIEWFOLD_AWS_OBSERVATION_TABLE")), fn);
        }
    }
}
