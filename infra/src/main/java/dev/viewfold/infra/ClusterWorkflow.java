package dev.viewfold.infra;

import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecs.FargatePlatformVersion;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.stepfunctions.Chain;
import software.amazon.awscdk.services.stepfunctions.Choice;
import software.amazon.awscdk.services.stepfunctions.Condition;
import software.amazon.awscdk.services.stepfunctions.CustomState;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.DistributedMap;
import software.amazon.awscdk.services.stepfunctions.IChainable;
import software.amazon.awscdk.services.stepfunctions.IntegrationPattern;
import software.amazon.awscdk.services.stepfunctions.JsonPath;
import software.amazon.awscdk.services.stepfunctions.RetryProps;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.amazon.awscdk.services.stepfunctions.Succeed;
import software.amazon.awscdk.services.stepfunctions.TaskInput;
import software.amazon.awscdk.services.stepfunctions.tasks.EcsFargateLaunchTarget;
import software.amazon.awscdk.services.stepfunctions.tasks.EcsRunTask;
import software.amazon.awscdk.services.stepfunctions.tasks.EcsRunTaskProps;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster run as the state machine {@code ClusterRun}, which the schedule starts ({@link ScheduledWork}).
 *
 * <p>On Lambda: {@code Fit} invokes cluster with {@code {"phase":"fit"}}; if its answer says
 * {@code "assign": true}, {@code AssignSegments} (a Distributed Map over the answer's {@code segments})
 * invokes cluster once per segment with the segment as payload, at most {@code assignConcurrency} at a
 * time, and {@code Finish} invokes it with {@code {"phase":"finish","run":<the fit's run>}}.
 *
 * <p>With {@code clusterMode=ecs} the whole run (the {@code cluster} command, every phase in one process)
 * is one Fargate task the state machine runs to completion: a task cannot hand the fit's answer back
 * without an S3 hand-off or a task token, which the application does not do, so the fan-out is
 * Lambda's alone. Either way a failed run fails the execution, which raises an alarm.
 *
 * <p>One run at a time: the segments run side by side, so Lambda's reserved concurrency cannot
 * serialise runs any more, and the application's lock holds within one process only. The machine
 * starts by listing its own running executions ({@code OneRunAtATime}); if another is still running
 * (a run that outlasts the schedule's period) this one ends at once, successfully.
 */
final class ClusterWorkflow {

    /** Longer than any run should take; a stuck one times out (and alarms) instead of running for a year. */
    static final Duration TIMEOUT = Duration.hours(12);

    private final StateMachine stateMachine;
    private final Policy guardPolicy;

    ClusterWorkflow(Stack scope, Settings settings, Descriptor d, Compute compute, Workloads workloads, Alarms alarms) {
        IChainable run = settings.clusterMode().equals("lambda")
                ? phasesOnLambda(scope, settings, d, workloads, alarms)
                : wholeRunAsTask(scope, d, compute, workloads);
        stateMachine = StateMachine.Builder.create(scope, "ClusterRun")
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromChainable(oneAtATime(scope, run)))
                .timeout(TIMEOUT)
                .comment("Viewfold cluster run (" + settings.clusterMode() + "): infra/README.md")
                .build();
        // Its own policy, not the role's default one: the machine depends on that, and this names the machine.
        guardPolicy = Policy.Builder.create(scope, "ClusterRunGuardPolicy")
                .roles(List.of(stateMachine.getRole()))
                .statements(List.of(Kit.statement(List.of("states:ListExecutions"), List.of(stateMachine.getStateMachineArn()))))
                .build();
        alarms.workflowAlarms("ClusterRun", stateMachine, "cluster run");
        Kit.out(scope, "ClusterRunStateMachineArn", stateMachine.getStateMachineArn(),
                "the cluster run (scheduled; aws stepfunctions start-execution for one now)");
    }

    StateMachine stateMachine() {
        return stateMachine;
    }

    /** What an execution needs before its first state; the schedule waits for it. */
    Policy guardPolicy() {
        return guardPolicy;
    }

    /**
     * Lists this machine's running executions (at most two: itself and one more) and goes on to the run
     * only when it is alone. Two executions started within the same moment both end; the next start
     * runs. A custom state: CDK's CallAwsService would put the grant on the machine's own ARN into the
     * role's default policy, which the machine depends on (a cycle).
     */
    private static IChainable oneAtATime(Stack scope, IChainable run) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("StateMachineArn.$", "$$.StateMachine.Id");
        list.put("StatusFilter", "RUNNING");
        list.put("MaxResults", 2);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Type", "Task");
        state.put("Resource", "arn:" + Aws.PARTITION + ":states:::aws-sdk:sfn:listExecutions");
        state.put("Parameters", list);
        state.put("ResultSelector", Map.of("running.$", "States.ArrayLength($.Executions)"));
        state.put("ResultPath", "$.guard");
        state.put("Retry", List.of(Map.of("ErrorEquals", List.of("States.ALL"), // a read: retrying is harmless
                "IntervalSeconds", 2, "MaxAttempts", 3, "BackoffRate", 2)));
        CustomState listRunning = CustomState.Builder.create(scope, "ListRunning").stateJson(state).build();
        return Chain.start(listRunning).next(Choice.Builder.create(scope, "OneRunAtATime").build()
                .when(Condition.numberGreaterThan("$.guard.running", 1),
                        Succeed.Builder.create(scope, "AnotherRunIsRunning")
                                .comment("an earlier run is still going; this start is skipped").build())
                .otherwise(run));
    }

    private static IChainable phasesOnLambda(Stack scope, Settings settings, Descriptor d, Workloads workloads, Alarms alarms) {
        Function cluster = workloads.lambda(d);
        alarms.errorAlarm("ClusterErrorsAlarm", cluster, "cluster");

        LambdaInvoke fit = retried(LambdaInvoke.Builder.create(scope, "Fit").lambdaFunction(cluster)
                .payload(TaskInput.fromObject(Map.of("phase", "fit")))
                .outputPath("$.Payload") // the state is the fit's answer: run, space, assign, segments
                .build());

        DistributedMap assign = DistributedMap.Builder.create(scope, "AssignSegments")
                .itemsPath("$.segments")
                .maxConcurrency(settings.assignConcurrency())
                .toleratedFailurePercentage(0) // the service default: one failed segment fails the run
                // STANDARD children: a segment may take the function's whole 15 minutes; EXPRESS stop at 5
                .mapExecutionType(StateMachineType.STANDARD)
                .label("AssignSegments")
                .resultPath(JsonPath.DISCARD) // keep the fit's answer (Finish needs its run)
                .build();
        assign.itemProcessor(retried(LambdaInvoke.Builder.create(scope, "Assign").lambdaFunction(cluster)
                .payload(TaskInput.fromJsonPathAt("$")) // the segment, as the fit wrote it
                .resultSelector(Map.of("assigned", true)) // the map gathers every child's output: keep it tiny
                .build()));

        Map<String, Object> finishPayload = new LinkedHashMap<>();
        finishPayload.put("phase", "finish");
        finishPayload.put("run", JsonPath.stringAt("$.run"));
        LambdaInvoke finish = retried(LambdaInvoke.Builder.create(scope, "Finish").lambdaFunction(cluster)
                .payload(TaskInput.fromObject(finishPayload))
                .outputPath("$.Payload")
                .build());

        return Chain.start(fit).next(Choice.Builder.create(scope, "AssignNeeded").build()
                .when(Condition.booleanEquals("$.assign", true), assign.next(finish))
                .otherwise(Succeed.Builder.create(scope, "NothingToAssign")
                        .comment("the fit's answer said the run is complete").build()));
    }

    /**
     * Retried on Lambda's own errors (CDK's default retry) and on throttling; the function's errors
     * are not retried: a failed phase fails the run.
     */
    private static LambdaInvoke retried(LambdaInvoke task) {
        task.addRetry(RetryProps.builder()
                .errors(List.of("Lambda.TooManyRequestsException"))
                .interval(Duration.seconds(2)).maxAttempts(8).backoffRate(2)
                .build());
        return task;
    }

    private static IChainable wholeRunAsTask(Stack scope, Descriptor d, Compute compute, Workloads workloads) {
        Workloads.FargateTask task = workloads.fargateTask("Cluster", "cluster", d, "cluster (ECS task): " + d.description());
        EcsRunTask run = new ClusterScopedRunTask(scope, "RunCluster", EcsRunTaskProps.builder()
                .integrationPattern(IntegrationPattern.RUN_JOB)
                .cluster(compute.cluster())
                .taskDefinition(task.definition())
                .launchTarget(EcsFargateLaunchTarget.Builder.create().platformVersion(FargatePlatformVersion.LATEST).build())
                .assignPublicIp(true)
                .subnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
                .securityGroups(List.of(task.securityGroup()))
                .build());
        // ECS refusing to start the task (capacity, throttling) is worth a retry; a task that ran and
        // failed (States.TaskFailed) is not.
        run.addRetry(RetryProps.builder()
                .errors(List.of("ECS.AmazonECSException"))
                .interval(Duration.seconds(30)).maxAttempts(3).backoffRate(2)
                .build());
        return run;
    }

    /**
     * EcsRunTask grants {@code ecs:StopTask} and {@code ecs:DescribeTasks} on {@code *}; this keeps
     * them to tasks of the stack's cluster.
     */
    static final class ClusterScopedRunTask extends EcsRunTask {
        ClusterScopedRunTask(Construct scope, String id, EcsRunTaskProps props) {
            super(scope, id, props);
            ICluster cluster = props.getCluster();
            for (PolicyStatement st : getTaskPolicies()) {
                if (st.getActions().contains("ecs:StopTask")) {
                    st.addCondition("ArnEquals", Map.of("ecs:cluster", cluster.getClusterArn()));
                }
            }
        }
    }
}
