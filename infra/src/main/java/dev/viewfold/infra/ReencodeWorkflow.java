package dev.viewfold.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.stepfunctions.Chain;
import software.amazon.awscdk.services.stepfunctions.Choice;
import software.amazon.awscdk.services.stepfunctions.Condition;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.DistributedMap;
import software.amazon.awscdk.services.stepfunctions.Fail;
import software.amazon.awscdk.services.stepfunctions.ItemBatcher;
import software.amazon.awscdk.services.stepfunctions.JsonPath;
import software.amazon.awscdk.services.stepfunctions.OutputType;
import software.amazon.awscdk.services.stepfunctions.Pass;
import software.amazon.awscdk.services.stepfunctions.Result;
import software.amazon.awscdk.services.stepfunctions.ResultWriterV2;
import software.amazon.awscdk.services.stepfunctions.ResultWriterV2Props;
import software.amazon.awscdk.services.stepfunctions.S3ObjectsItemReader;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.amazon.awscdk.services.stepfunctions.TaskInput;
import software.amazon.awscdk.services.stepfunctions.Transformation;
import software.amazon.awscdk.services.stepfunctions.WriterConfig;
import software.amazon.awscdk.services.stepfunctions.tasks.SqsSendMessage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state machine {@code Reencode}: every photo under a prefix of the uploads bucket sent to encode
 * again (a new model, a backfill), started by hand with {@code {"prefix": "images/…"}} (default
 * {@code images/}). A Distributed Map lists the bucket (ListObjectsV2), hands the keys out in batches
 * of {@value #KEYS_PER_MESSAGE} and sends each batch as one message to the encode queue:
 * {@code {"source":"viewfold.reencode","bucket":"<uploads>","keys":["images/…", …]}}, the keys raw
 * (not URL-encoded as in S3's notifications).
 */
final class ReencodeWorkflow {

    static final int KEYS_PER_MESSAGE = 100;
    /** Batches sent at once. Sending is quick; the GPU fleet, not this, sets the pace of a re-encode. */
    static final int CONCURRENCY = 100;
    /** Where the map writes its children's results (a gathered result would outgrow 256 KiB at scale). */
    static final String RESULTS_PREFIX = "workflows/reencode/";

    private final StateMachine stateMachine;

    ReencodeWorkflow(Stack scope, Descriptor encode, Storage storage, Alarms alarms) {
        String uploads = encode.trigger().prefix();
        // The execution input over the defaults: {"prefix": "images/"} unless it names one.
        Pass defaults = Pass.Builder.create(scope, "Defaults")
                .result(Result.fromObject(Map.of("prefix", uploads)))
                .resultPath("$.defaults")
                .build();
        Pass options = Pass.Builder.create(scope, "Options")
                .parameters(Map.of("options", JsonPath.jsonMerge(JsonPath.objectAt("$.defaults"),
                        JsonPath.objectAt("$$.Execution.Input"))))
                .build();

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source", "viewfold.reencode");
        body.put("bucket", storage.bucket().getBucketName());
        body.put("keys", JsonPath.listAt("$.Items[*].Key"));
        SqsSendMessage send = SqsSendMessage.Builder.create(scope, "SendBatch")
                .queue(storage.queue())
                .messageBody(TaskInput.fromObject(body))
                .resultSelector(Map.of("messageId", JsonPath.stringAt("$.MessageId")))
                .build();
        DistributedMap batches = DistributedMap.Builder.create(scope, "SendBatches")
                .itemReader(S3ObjectsItemReader.Builder.create()
                        .bucket(storage.bucket())
                        .prefix(JsonPath.stringAt("$.options.prefix"))
                        .build())
                .itemBatcher(ItemBatcher.Builder.create().maxItemsPerBatch(KEYS_PER_MESSAGE).build())
                .maxConcurrency(CONCURRENCY)
                .toleratedFailurePercentage(0)
                .mapExecutionType(StateMachineType.EXPRESS) // one SQS send per child
                .label("SendBatches")
                .resultWriterV2(new PrefixResultWriter(storage.bucket(), RESULTS_PREFIX))
                .build();
        batches.itemProcessor(send);

        // encode reads images/ alone (its notifications and its role): refuse anything else up front
        Choice underUploads = Choice.Builder.create(scope, "UnderUploads").build()
                .when(Condition.stringMatches("$.options.prefix", uploads + "*"), batches)
                .otherwise(Fail.Builder.create(scope, "NotUnderUploads")
                        .error("Viewfold.PrefixOutsideUploads")
                        .cause("the prefix must start with " + uploads + " (what encode reads)")
                        .build());

        stateMachine = StateMachine.Builder.create(scope, "Reencode")
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromChainable(Chain.start(defaults).next(options).next(underUploads)))
                .timeout(Duration.hours(24))
                .comment("Viewfold re-encode of the uploads under a prefix: infra/README.md")
                .build();
        alarms.workflowAlarms("Reencode", stateMachine, "re-encode");
        Kit.out(scope, "ReencodeStateMachineArn", stateMachine.getStateMachineArn(),
                "re-encode the uploads: aws stepfunctions start-execution --input '{\"prefix\":\"" + uploads + "\"}'");
    }

    StateMachine stateMachine() {
        return stateMachine;
    }

    /**
     * A result writer whose grants stay under its prefix: CDK's grants its S3 actions on every key of
     * the bucket, photos included.
     */
    static final class PrefixResultWriter extends ResultWriterV2 {
        private final IBucket bucket;
        private final String prefix;

        PrefixResultWriter(IBucket bucket, String prefix) {
            super(ResultWriterV2Props.builder()
                    .bucket(bucket)
                    .prefix(prefix)
                    // the children's outputs, one JSON line each, without their inputs (100 keys each)
                    .writerConfig(WriterConfig.Builder.create().outputType(OutputType.JSONL).transformation(Transformation.COMPACT).build())
                    .build());
            this.bucket = bucket;
            this.prefix = prefix;
        }

        @Override
        public List<PolicyStatement> providePolicyStatements() {
            return List.of(Kit.statement(List.of("s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts",
                    "s3:AbortMultipartUpload"), List.of(bucket.arnForObjects(prefix + "*"))));
        }
    }
}
