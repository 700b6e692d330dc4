package dev.viewfold.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;


/** The alarms topic and the kinds of alarm the stack raises, each publishing to it. */
final class Alarms {

    private final Construct scope;
    private final Topic topic;

    Alarms(Construct scope, String email) {
        this.scope = scope;
        topic = Topic.Builder.create(scope, "Alarms").displayName("Viewfold alarms").enforceSsl(true).build();
        if (email != null) {
            topic.addSubscription(new EmailSubscription(email));
        }
    }

    Topic topic() {
        return topic;
    }

    void dlqAlarm(String id, Queue dlq, String description) {
        alarm(id, dlq.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                .period(Duration.minutes(5)).statistic("Maximum").build()), 1, description);
    }

    void errorAlarm(String id, Function fn, String name) {
        alarm(id, fn.metricErrors(MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build()), 1,
                name + ": the function failed (see its log group)");
    }

    /** A state machine's failed executions and those that ran past its timeout. */
    void workflowAlarms(String id, StateMachine machine, String name) {
        MetricOptions sum = MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build();
        alarm(id + "FailedAlarm", machine.metricFailed(sum), 1, name + ": an execution failed (its history names the state)");
        alarm(id + "TimedOutAlarm", machine.metricTimedOut(sum), 1, name + ": an execution ran past the state machine's timeout");
    }

    void alarm(String id, IMetric metric, double threshold, String description) {
        Alarm alarm = Alarm.Builder.create(scope, id)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
    }
}
