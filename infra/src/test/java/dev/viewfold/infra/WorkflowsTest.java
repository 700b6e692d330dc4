package dev.viewfold.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state machines: the scheduled cluster run (on Lambda, and as one ECS task) and the re-encode. */
class WorkflowsTest {

    static final String LAMBDA_INVOKE = "arn:AWS::Partition:states:::lambda:invoke";

    @Test
    void theScheduleStartsTheClusterRun() {
        Synth s = Synth.standard();
        JsonNode schedule = s.resource("AWS::Scheduler::Schedule", "ClusterSchedule").path("Properties");
        assertEquals("rate(1 hour)", schedule.path("ScheduleExpression").asText());
        assertEquals(s.id("AWS::StepFunctions::StateMachine", "ClusterRun"), Synth.describe(schedule.at("/Target/Arn")));
        assertEquals("{\"trigger\":\"schedule\"}", schedule.at("/Target/Input").asText());
        assertEquals(s.id("AWS::SQS::Queue", "ClusterDeadLetters") + ".Arn",
                Synth.describe(schedule.at("/Target/DeadLetterConfig/Arn")), "starts that cannot be made");
        assertEquals(0, schedule.at("/Target/RetryPolicy/MaximumRetryAttempts").asInt());

        JsonNode fn = s.resource("AWS::Lambda::Function", "ClusterFunction").path("Properties");
        assertEquals("cluster", fn.at("/Environment/Variables/QUARKUS_FUNQY_EXPORT").asText());
        assertTrue(fn.path("ReservedConcurrentExecutions").isMissingNode(),
                "assign segments run side by side: no reserved concurrency (the application keeps one run at a time)");
        assertEquals(900, fn.path("Timeout").asInt());
        assertTrue(s.resources("AWS::Lambda::EventInvokeConfig").isEmpty(), "Step Functions invokes it synchronously");
        assertTrue(Synth.describe(s.resource("AWS::Scheduler::Schedule", "ClusterSchedule").path("DependsOn")).contains(
                s.id("AWS::IAM::Policy", "ClusterRunGuardPolicy")), "no start before the machine may list its own runs");
        JsonNode machine = s.resource("AWS::StepFunctions::StateMachine", "ClusterRun").path("Properties");
        assertEquals("STANDARD", machine.path("StateMachineType").asText());
    }

    @Test
    void theClusterRunFitsThenAssignsTheSegmentsInParallelThenFinishes() {
        Synth s = Synth.standard();
        String cluster = s.id("AWS::Lambda::Function", "ClusterFunction") + ".Arn";
        JsonNode d = s.definition("ClusterRun");
        assertTrue(d.path("TimeoutSeconds").asInt() >= 3600, "a stuck run times out (and alarms)");
        JsonNode states = d.path("States");
        assertEquals("Fit", aloneThen(d), "one run at a time, then the fit");

        JsonNode fit = states.path("Fit");
        assertInvokes(fit, cluster, "{\"phase\":\"fit\"}");
        assertEquals("$.Payload", fit.path("OutputPath").asText(), "the state is the fit's answer");
        assertEquals("AssignNeeded", fit.path("Next").asText());

        JsonNode choice = states.path("AssignNeeded");
        assertEquals("Choice", choice.path("Type").asText());
        assertEquals("$.assign", choice.at("/Choices/0/Variable").asText());
        assertTrue(choice.at("/Choices/0/BooleanEquals").asBoolean());
        assertEquals("AssignSegments", choice.at("/Choices/0/Next").asText());
        assertEquals("Succeed", states.path(choice.path("Default").asText()).path("Type").asText(), "nothing to assign: done");

        JsonNode map = states.path("AssignSegments");
        assertEquals("Map", map.path("Type").asText());
        assertEquals("$.segments", map.path("ItemsPath").asText());
        assertEquals("DISTRIBUTED", map.at("/ItemProcessor/ProcessorConfig/Mode").asText());
        assertEquals("STANDARD", map.at("/ItemProcessor/ProcessorConfig/ExecutionType").asText(),
                "a segment may take the function's 15 minutes; EXPRESS children stop at 5");
        assertEquals(16, map.path("MaxConcurrency").asInt(), "assignConcurrency's default");
        // CDK leaves out a zero ToleratedFailurePercentage; zero is the service's default: any failed segment fails the run
        assertEquals(0, map.path("ToleratedFailurePercentage").asInt(0));
        assertTrue(map.has("ResultPath") && map.path("ResultPath").isNull(), "the fit's answer (its run) goes on to Finish");
        assertEquals("Finish", map.path("Next").asText());
        JsonNode assign = map.at("/ItemProcessor/States").path(map.at("/ItemProcessor/StartAt").asText());
        assertInvokes(assign, cluster, null);
        assertEquals("$", assign.at("/Parameters/Payload.$").asText(), "each segment is the payload as the fit wrote it");
        assertTrue(assign.path("End").asBoolean());
        assertEquals("{\"assigned\":true}", assign.path("ResultSelector").toString(), "children's results stay small");

        JsonNode finish = states.path("Finish");
        assertInvokes(finish, cluster, "{\"phase\":\"finish\",\"run.$\":\"$.run\"}");
        assertTrue(finish.path("End").asBoolean());
    }

    @Test
    void theClusterRunsConcurrencyIsASetting() {
        JsonNode map = Synth.vectors().definition("ClusterRun").at("/States/AssignSegments");
        assertEquals(32, map.path("MaxConcurrency").asInt());
    }

    /**
     * The machine starts by counting its own running executions and ends at once, successfully, when
     * another one is running; returns the state it goes on to when alone.
     */
    private static String aloneThen(JsonNode d) {
        JsonNode states = d.path("States");
        assertEquals("ListRunning", d.path("StartAt").asText());
        JsonNode list = states.path("ListRunning");
        assertEquals("Task", list.path("Type").asText());
        assertEquals("arn:AWS::Partition:states:::aws-sdk:sfn:listExecutions", list.path("Resource").asText());
        assertEquals("{\"StateMachineArn.$\":\"$$.StateMachine.Id\",\"StatusFilter\":\"RUNNING\",\"MaxResults\":2}",
                list.path("Parameters").toString(), "itself and at most one more");
        assertEquals("States.ArrayLength($.Executions)", list.at("/ResultSelector/running.$").asText());
        assertEquals("$.guard", list.path("ResultPath").asText(), "the execution's input goes on");
        assertEquals("OneRunAtATime", list.path("Next").asText());
        JsonNode guard = states.path("OneRunAtATime");
        assertEquals("Choice", guard.path("Type").asText());
        assertEquals(1, guard.path("Choices").size());
        assertEquals("$.guard.running", guard.at("/Choices/0/Variable").asText());
        assertEquals(1, guard.at("/Choices/0/NumericGreaterThan").asInt());
        assertEquals("Succeed", states.path(guard.at("/Choices/0/Next").asText()).path("Type").asText(),
                "another run is going: skip, without a failure to alarm on");
        return guard.path("Default").asText();
    }

    /** A Lambda task on the cluster function, retried on Lambda's service errors and throttling only. */
    private static void assertInvokes(JsonNode task, String function, String payload) {
        assertEquals("Task", task.path("Type").asText());
        assertEquals(LAMBDA_INVOKE, task.path("Resource").asText());
        assertEquals(function, task.at("/Parameters/FunctionName").asText());
        if (payload != null) {
            assertEquals(payload, task.at("/Parameters/Payload").toString());
        }
        List<String> retried = retriedOn(task);
        assertTrue(retried.containsAll(List.of("Lambda.ServiceException", "Lambda.AWSLambdaException",
                "Lambda.SdkClientException", "Lambda.TooManyRequestsException")), retried.toString());
        assertFalse(retried.contains("States.ALL") || retried.contains("States.TaskFailed"),
                "the function's own failures are not retried: " + retried);
    }

    private static List<String> retriedOn(JsonNode task) {
        List<String> retried = new ArrayList<>();
        task.path("Retry").forEach(r -> r.path("ErrorEquals").forEach(e -> retried.add(e.asText())));
        return retried;
    }

    @Test
    void withClusterOnEcsTheRunIsOneFargateTaskTheMachineWaitsFor() {
        Synth s = Synth.variant();
        JsonNode schedule = s.resource("AWS::Scheduler::Schedule", "ClusterSchedule").path("Properties");
        assertEquals(s.id("AWS::StepFunctions::StateMachine", "ClusterRun"), Synth.describe(schedule.at("/Target/Arn")));
        JsonNode d = s.definition("ClusterRun");
        JsonNode run = d.path("States").path(aloneThen(d));
        assertEquals("arn:AWS::Partition:states:::ecs:runTask.sync", run.path("Resource").asText(), "RUN_JOB: waits for the task");
        assertTrue(run.path("End").asBoolean());
        assertEquals(s.id("AWS::ECS::Cluster", "Compute") + ".Arn", run.at("/Parameters/Cluster").asText());
        // the task definition's family: its latest revision, the one this stack deploys
        assertEquals(s.resource("AWS::ECS::TaskDefinition", "ClusterTask").at("/Properties/Family").asText(),
                run.at("/Parameters/TaskDefinition").asText());
        assertEquals(List.of("ECS.AmazonECSException"), retriedOn(run), "a task that failed is not started again");
        assertEquals("FARGATE", run.at("/Parameters/LaunchType").asText());
        JsonNode network = run.at("/Parameters/NetworkConfiguration/AwsvpcConfiguration");
        assertEquals("ENABLED", network.path("AssignPublicIp").asText());
        assertEquals(s.id("AWS::EC2::SecurityGroup", "ClusterTaskSecurityGroup") + ".GroupId",
                network.at("/SecurityGroups/0").asText());
        assertEquals("[\"java\",\"-jar\",\"/app/quarkus-run.jar\",\"cluster\"]",
                s.resource("AWS::ECS::TaskDefinition", "ClusterTask").at("/Properties/ContainerDefinitions/0/Command").toString(),
                "every phase in one process");
    }

    @Test
    void reencodeListsTheUploadsAndSendsOneMessagePerHundredKeys() {
        Synth s = Synth.standard();
        String uploads = s.id("AWS::S3::Bucket", "Uploads");
        JsonNode d = s.definition("Reencode");
        JsonNode states = d.path("States");
        assertEquals("Defaults", d.path("StartAt").asText());
        assertEquals("{\"prefix\":\"images/\"}", states.at("/Defaults/Result").toString());
        assertEquals("States.JsonMerge($.defaults, $$.Execution.Input, false)",
                states.at("/Options/Parameters/options.$").asText(), "the execution's input over the defaults");
        JsonNode guard = states.path("UnderUploads");
        assertEquals("$.options.prefix", guard.at("/Choices/0/Variable").asText());
        assertEquals("images/*", guard.at("/Choices/0/StringMatches").asText());
        assertEquals("Fail", states.path(guard.path("Default").asText()).path("Type").asText(), "encode reads images/ alone");

        JsonNode map = states.path("SendBatches");
        assertEquals("Map", map.path("Type").asText());
        assertEquals("arn:AWS::Partition:states:::s3:listObjectsV2", map.at("/ItemReader/Resource").asText());
        assertEquals(uploads, map.at("/ItemReader/Parameters/Bucket").asText());
        assertEquals("$.options.prefix", map.at("/ItemReader/Parameters/Prefix.$").asText());
        assertEquals(100, map.at("/ItemBatcher/MaxItemsPerBatch").asInt());
        assertEquals("DISTRIBUTED", map.at("/ItemProcessor/ProcessorConfig/Mode").asText());
        assertEquals("EXPRESS", map.at("/ItemProcessor/ProcessorConfig/ExecutionType").asText());
        assertTrue(map.path("MaxConcurrency").asInt() > 0);
        // the children's results go to S3 (a gathered result would pass 256 KiB), compact, under their own prefix
        assertEquals(uploads, map.at("/ResultWriter/Parameters/Bucket").asText());
        assertEquals("workflows/reencode/", map.at("/ResultWriter/Parameters/Prefix").asText());
        assertEquals("COMPACT", map.at("/ResultWriter/WriterConfig/Transformation").asText());

        JsonNode send = map.at("/ItemProcessor/States").path(map.at("/ItemProcessor/StartAt").asText());
        assertEquals("arn:AWS::Partition:states:::sqs:sendMessage", send.path("Resource").asText());
        assertEquals(s.id("AWS::SQS::Queue", "EncodeQueue"), send.at("/Parameters/QueueUrl").asText());
        JsonNode body = send.at("/Parameters/MessageBody");
        assertEquals("viewfold.reencode", body.path("source").asText());
        assertEquals(uploads, body.path("bucket").asText());
        assertEquals("$.Items[*].Key", body.path("keys.$").asText(), "the batch's raw object keys, one message per batch");
        assertEquals(3, body.size(), body.toString());
        assertTrue(send.path("End").asBoolean());
    }

    @Test
    void eachStateMachineAlarmsOnFailedAndTimedOutExecutions() {
        for (Synth s : List.of(Synth.standard(), Synth.variant())) {
            Map<String, JsonNode> alarms = s.resources("AWS::CloudWatch::Alarm");
            String topic = s.id("AWS::SNS::Topic", "Alarms");
            for (String machine : List.of("ClusterRun", "Reencode")) {
                String id = s.id("AWS::StepFunctions::StateMachine", machine);
                for (String metric : List.of("ExecutionsFailed", "ExecutionsTimedOut")) {
                    assertTrue(alarms.values().stream().anyMatch(a ->
                            a.at("/Properties/MetricName").asText().equals(metric)
                                    && a.at("/Properties/Namespace").asText().equals("AWS/States")
                                    && Synth.describe(a.at("/Properties/Dimensions/0/Value")).equals(id)
                                    && a.at("/Properties/Threshold").asDouble() == 1
                                    && Synth.describe(a.at("/Properties/AlarmActions/0")).equals(topic)), metric + " of " + machine);
                }
            }
        }
    }

    @Test
    void theStateMachinesAreOutputs() {
        Synth s = Synth.standard();
        assertEquals(s.id("AWS::StepFunctions::StateMachine", "ClusterRun"),
                Synth.describe(s.json.at("/Outputs/ClusterRunStateMachineArn/Value")));
        assertEquals(s.id("AWS::StepFunctions::StateMachine", "Reencode"),
                Synth.describe(s.json.at("/Outputs/ReencodeStateMachineArn/Value")));
    }
}
