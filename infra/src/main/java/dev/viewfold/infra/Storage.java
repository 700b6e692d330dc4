package dev.viewfold.infra;

import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.ecr.LifecycleRule;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the data lives: the uploads bucket (its notifications go to the encode queue, which has a
 * dead-letter queue), the image table (with its stream and its keys-only {@code by-observation}
 * index) and the observation table. All are kept when the stack is deleted.
 */
final class Storage {

    private final Stack scope;
    private Bucket bucket;
    private Queue queue;
    private Queue encodeDlq;
    private Table imageTable;
    private Table observationTable;

    Storage(Stack scope, Settings settings, Descriptor encode, Alarms alarms) {
        this.scope = scope;
                Descriptor.Trigger trigger = encode.trigger();
        // A name the queue policy can state before the bucket exists: S3 checks that it may send
        // to the queue when the notification is created, so the policy comes first.
        String bucketName = Fn.join("-", List.of(scope.getStackName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-"),
                "images", Aws.ACCOUNT_ID, Aws.REGION));

        encodeDlq = Kit.deadLetterQueue(scope, "EncodeDeadLetters");
        queue = Queue.Builder.create(scope, "EncodeQueue")
                .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true)
                .visibilityTimeout(Duration.seconds(encode.timeoutSeconds()))
                .retentionPeriod(Duration.days(4))
                .deadLetterQueue(DeadLetterQueue.builder().queue(encodeDlq).maxReceiveCount(trigger.maxReceiveCount()).build())
                .build();
        queue.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("S3UploadNotifications")
                .principals(List.of(new ServicePrincipal("s3.amazonaws.com")))
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(queue.getQueueArn()))
                .conditions(Map.of(
                        "ArnLike", Map.of("aws:SourceArn", "arn:" + Aws.PARTITION + ":s3:::" + bucketName),
                        "StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                .build());

        var lifecycle = new ArrayList<software.amazon.awscdk.services.s3.LifecycleRule>();
        lifecycle.add(software.amazon.awscdk.services.s3.LifecycleRule.builder()
                .id("abort-incomplete-uploads").abortIncompleteMultipartUploadAfter(Duration.days(7)).build());
        if (settings.bucketVersioning()) {
            lifecycle.add(software.amazon.awscdk.services.s3.LifecycleRule.builder()
                    .id("expire-old-versions").noncurrentVersionExpiration(Duration.days(30)).build());
        }
        bucket = Bucket.Builder.create(scope, "Uploads")
                .bucketName(bucketName)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .versioned(settings.bucketVersioning())
                .lifecycleRules(lifecycle)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        // The notification on the bucket itself (no custom resource and no Lambda with a wildcard role).
        CfnBucket cfnBucket = (CfnBucket) bucket.getNode().getDefaultChild();
        List<Object> queueConfigurations = new ArrayList<>();
        for (String event : trigger.events()) {
            queueConfigurations.add(CfnBucket.QueueConfigurationProperty.builder()
                    .event(event)
                    .queue(queue.getQueueArn())
                    .filter(CfnBucket.NotificationFilterProperty.builder()
                            .s3Key(CfnBucket.S3KeyFilterProperty.builder()
                                    .rules(List.of(CfnBucket.FilterRuleProperty.builder()
                                            .name("prefix").value(trigger.prefix()).build()))
                                    .build())
                            .build())
                    .build());
        }
        cfnBucket.setNotificationConfiguration(CfnBucket.NotificationConfigurationProperty.builder()
                .queueConfigurations(queueConfigurations).build());
        // the queue policy (enforceSsl and the statement above share it) exists before the bucket names the queue
        cfnBucket.addResourceDependency((CfnResource) queue.getNode().findChild("Policy").getNode().getDefaultChild());

        imageTable = Kit.table(scope, "ImageTable", "image_id").stream(StreamViewType.NEW_AND_OLD_IMAGES).build();
        // Keys only: a copy of the whole row would bill every vector twice; readers of an
        // observation's views fetch the rows by these keys (BatchGetItem). Off only for the first of
        // the two deploys that move an older stack's whole-row index to keys only (infra/README.md).
        if (settings.observationIndex()) {
            imageTable.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                    .indexName("by-observation")
                    .partitionKey(Attribute.builder().name("space_observation").type(AttributeType.STRING).build())
                    .sortKey(Attribute.builder().name("image_id").type(AttributeType.STRING).build())
                    .projectionType(ProjectionType.KEYS_ONLY)
                    .build());
        }
        observationTable = Kit.table(scope, "ObservationTable", "observation_id").build();

        alarms.dlqAlarm("EncodeDeadLettersAlarm", encodeDlq, "encode: notifications that failed "
                + trigger.maxReceiveCount() + " times (S3 or the table unreachable)");
        alarms.alarm("EncodeBacklogAgeAlarm", queue.metricApproximateAgeOfOldestMessage(MetricOptions.builder()
                        .period(Duration.minutes(5)).statistic("Maximum").build()), 3600,
                "encode: the oldest upload has waited an hour (no GPU capacity, or the service is failing)");

        Kit.out(scope, "BucketName", bucket.getBucketName(), "upload photos here under " + trigger.prefix());
        Kit.out(scope, "UploadPrefix", trigger.prefix(), "key prefix that triggers encoding");
        Kit.out(scope, "ImageTableName", imageTable.getTableName(), "image rows (VIEWFOLD_AWS_IMAGE_TABLE)");
        Kit.out(scope, "ObservationTableName", observationTable.getTableName(), "observation rows (VIEWFOLD_AWS_OBSERVATION_TABLE)");
        Kit.out(scope, "QueueUrl", queue.getQueueUrl(), "S3 notifications for encode (VIEWFOLD_AWS_QUEUE_URL)");
        Kit.out(scope, "DeadLetterQueueUrl", encodeDlq.getQueueUrl(), "encode notifications that kept failing");
    }

    Bucket bucket() {
        return bucket;
    }

    Queue queue() {
        return queue;
    }

    Queue encodeDlq() {
        return encodeDlq;
    }

    Table imageTable() {
        return imageTable;
    }

    Table observationTable() {
        return observationTable;
    }
}
