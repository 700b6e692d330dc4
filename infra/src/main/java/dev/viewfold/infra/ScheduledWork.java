package dev.viewfold.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.targets.EcsRunFargateTask;
import software.amazon.awscdk.services.scheduler.targets.FargateTaskProps;
import software.amazon.awscdk.services.scheduler.targets.LambdaInvoke;
import software.amazon.awscdk.services.scheduler.targets.ScheduleTargetBaseProps;
import software.amazon.awscdk.services.sqs.Queue;

import java.util.List;
import java.util.Map;

/** The scheduled cluster run: EventBridge Scheduler invoking the cluster Lambda, or (large) a Fargate task. */
final class ScheduledWork {

    ScheduledWork(Stack scope, Settings settings, Descriptor d, Compute compute, Workloads workloads, Alarms alarms) {
        Queue dlq = Kit.deadLetterQueue(scope, "ClusterDeadLetters");
        ScheduleTargetBaseProps base = ScheduleTargetBaseProps.builder()
                .retryAttempts(d.trigger().retryAttempts())
                .maxEventAge(Duration.hours(1))
                .deadLetterQueue(dlq)
                .input(ScheduleTargetInput.fromObject(Map.of("trigger", "schedule")))
                .build();
        if (settings.clusterMode().equals("lambda")) {
            Function fn = workloads.lambda(d);
            fn.configureAsyncInvoke(EventInvokeConfigOptions.builder()
                    .retryAttempts(0)
                    .maxEventAge(Duration.hours(1))
                    .onFailure(new SqsDestination(dlq))
                    .build());
            Schedule.Builder.create(scope, "ClusterSchedule")
                    .description("cluster: re-cluster the observations")
                    .schedule(ScheduleExpression.expression(d.trigger().expression()))
                    .target(new LambdaInvoke(fn, base))
                    .build();
            alarms.errorAlarm("ClusterErrorsAlarm", fn, "cluster");
        } else {
            Workloads.FargateTask task = workloads.fargateTask("Cluster", "cluster", d, "cluster (ECS task): " + d.description());
            Schedule.Builder.create(scope, "ClusterSchedule")
                    .description("cluster: re-cluster the observations (ECS task)")
                    .schedule(ScheduleExpression.expression(d.trigger().expression()))
                    .target(new EcsRunFargateTask(compute.cluster(), FargateTaskProps.builder()
                            .taskDefinition(task.definition())
                            .assignPublicIp(true)
                            .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
                            .securityGroups(List.of(task.securityGroup()))
                            .retryAttempts(d.trigger().retryAttempts())
                            .deadLetterQueue(dlq)
                            .build()))
                    .build();
        }
        alarms.dlqAlarm("ClusterDeadLettersAlarm", dlq, "cluster: scheduled runs that could not start or failed");
    }
}
