package dev.viewfold.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.targets.ScheduleTargetBaseProps;
import software.amazon.awscdk.services.scheduler.targets.StepFunctionsStartExecution;
import software.amazon.awscdk.services.sqs.Queue;

import java.util.Map;

/**
 * The cluster run's schedule: EventBridge Scheduler starts the {@code ClusterRun} state machine
 * ({@link ClusterWorkflow}). Starts that cannot be made go to a dead-letter queue; runs that fail fail
 * their execution, and the workflow's alarms report those.
 */
final class ScheduledWork {

    ScheduledWork(Stack scope, Descriptor d, ClusterWorkflow workflow, Alarms alarms) {
        Queue dlq = Kit.deadLetterQueue(scope, "ClusterDeadLetters");
        Schedule schedule = Schedule.Builder.create(scope, "ClusterSchedule")
                .description("cluster: re-cluster the observations (starts the ClusterRun state machine)")
                .schedule(ScheduleExpression.expression(d.trigger().expression()))
                .target(new StepFunctionsStartExecution(workflow.stateMachine(), ScheduleTargetBaseProps.builder()
                        .retryAttempts(d.trigger().retryAttempts())
                        .maxEventAge(Duration.hours(1))
                        .deadLetterQueue(dlq)
                        .input(ScheduleTargetInput.fromObject(Map.of("trigger", "schedule")))
                        .build()))
                .build();
        schedule.getNode().addDependency(workflow.guardPolicy()); // no start before the machine may list its runs
        alarms.dlqAlarm("ClusterDeadLettersAlarm", dlq, "cluster: scheduled runs that could not be started");
    }
}
