package dev.viewfold.infra;

import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.util.List;
import java.util.Locale;

/** Small builders every component of the stack shares; each adds to the scope it is given. */
final class Kit {

    private Kit() {
    }

    static PolicyStatement statement(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(actions).resources(resources).build();
    }

    /** A row table keyed by its id and the model space, billed per request, recoverable, kept on stack deletion. */
    static Table.Builder table(Construct scope, String id, String partitionKey) {
        return Table.Builder.create(scope, id)
                .partitionKey(Attribute.builder().name(partitionKey).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("space").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .removalPolicy(RemovalPolicy.RETAIN);
    }

    /**
     * A bucket name this stack alone uses in its account and region, {@code <stack>-<purpose>-<account>-<region>},
     * known before the bucket exists (as the uploads bucket's is).
     */
    static String stackScopedName(Stack scope, String purpose) {
        return Fn.join("-", List.of(scope.getStackName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-"),
                purpose, Aws.ACCOUNT_ID, Aws.REGION));
    }

    static Queue deadLetterQueue(Construct scope, String id) {
        return Queue.Builder.create(scope, id)
                .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true)
                .retentionPeriod(Duration.days(14)).build();
    }

    static LogGroup logGroup(Construct scope, String id) {
        return LogGroup.Builder.create(scope, id).retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY).build();
    }

    static void out(Construct scope, String id, String value, String description) {
        CfnOutput.Builder.create(scope, id).value(value).description(description).build();
    }

    static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
