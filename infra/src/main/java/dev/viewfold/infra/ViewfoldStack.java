package dev.viewfold.infra;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizerProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.applicationautoscaling.AdjustmentType;
import software.amazon.awscdk.services.applicationautoscaling.BasicStepScalingPolicyProps;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.applicationautoscaling.ScalingInterval;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.InstancesDistribution;
import software.amazon.awscdk.services.autoscaling.LaunchTemplateOverrides;
import software.amazon.awscdk.services.autoscaling.MixedInstancesPolicy;
import software.amazon.awscdk.services.autoscaling.OnDemandAllocationStrategy;
import software.amazon.awscdk.services.autoscaling.SpotAllocationStrategy;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecr.LifecycleRule;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.RepositoryEncryption;
import software.amazon.awscdk.services.ecr.TagMutability;
import software.amazon.awscdk.services.ecs.AddAutoScalingGroupCapacityOptions;
import software.amazon.awscdk.services.ecs.AmiHardwareType;
import software.amazon.awscdk.services.ecs.AsgCapacityProvider;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.CapacityProviderStrategy;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.Ec2Service;
import software.amazon.awscdk.services.ecs.Ec2TaskDefinition;
import software.amazon.awscdk.services.ecs.EcsOptimizedImage;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.ecs.MachineImageType;
import software.amazon.awscdk.services.ecs.NetworkMode;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.EventSourceMappingOptions;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.ILayerVersion;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.targets.EcsRunFargateTask;
import software.amazon.awscdk.services.scheduler.targets.FargateTaskProps;
import software.amazon.awscdk.services.scheduler.targets.LambdaInvoke;
import software.amazon.awscdk.services.scheduler.targets.ScheduleTargetBaseProps;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole Viewfold deployment in one stack, built from the five descriptors in {@code functions/}:
 * the uploads bucket and its notification queue, the two tables, the encode service on GPU
 * instances, the aggregate, cluster, search and groups functions with their triggers (search and
 * groups share one HTTP API), the one-off train task, one role per function, alarms and outputs.
 */
public class ViewfoldStack extends Stack {

    public static final List<String> FUNCTIONS = List.of("encode", "aggregate", "cluster", "search", "groups");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z]+)}");

    private final Settings settings;
    private final Map<String, Descriptor> descriptors = new LinkedHashMap<>();
    private final Topic alarms;

    private Bucket bucket;
    private Queue queue;
    private Queue encodeDlq;
    private Table imageTable;
    private Table observationTable;
    private Vpc vpc;
    private Cluster ecsCluster;
    private Repository encodeRepository;
    private String modelFile;
    private ILayerVersion modelLayer;
    private HttpApi api;
    private HttpStage stage;
    private IHttpRouteAuthorizer authorizer;

    public ViewfoldStack(Construct scope, String id, StackProps props, Settings settings) {
        super(scope, id, props);
        this.settings = settings;
        for (String name : FUNCTIONS) {
            descriptors.put(name, Descriptor.load(settings.functionsDir(), name));
        }
        alarms = Topic.Builder.create(this, "Alarms").displayName("Viewfold alarms").enforceSsl(true).build();
        if (settings.alarmEmail() != null) {
            alarms.addSubscription(new EmailSubscription(settings.alarmEmail()));
        }
        storage();
        modelLayer();
        network();
        encode(descriptors.get("encode"));
        aggregate(descriptors.get("aggregate"));
        cluster(descriptors.get("cluster"));
        api();
        search(descriptors.get("search"));
        groups(descriptors.get("groups"));
        out("AlarmTopicArn", alarms.getTopicArn(), "SNS topic the alarms publish to");
    }

    // ---------------------------------------------------------------- storage

    private void storage() {
        Descriptor encode = descriptors.get("encode");
        Descriptor.Trigger trigger = encode.trigger();
        // A name the queue policy can state before the bucket exists: S3 checks that it may send
        // to the queue when the notification is created, so the policy comes first.
        String bucketName = Fn.join("-", List.of(getStackName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-"),
                "images", Aws.ACCOUNT_ID, Aws.REGION));

        encodeDlq = deadLetterQueue("EncodeDeadLetters");
        queue = Queue.Builder.create(this, "EncodeQueue")
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
        bucket = Bucket.Builder.create(this, "Uploads")
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

        imageTable = table("ImageTable", "image_id").stream(StreamViewType.NEW_AND_OLD_IMAGES).build();
        imageTable.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName("by-observation")
                .partitionKey(Attribute.builder().name("space_observation").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("image_id").type(AttributeType.STRING).build())
                .projectionType(ProjectionType.ALL)
                .build());
        observationTable = table("ObservationTable", "observation_id").build();

        dlqAlarm("EncodeDeadLettersAlarm", encodeDlq, "encode: notifications that failed "
                + trigger.maxReceiveCount() + " times (S3 or the table unreachable)");
        alarm("EncodeBacklogAgeAlarm", queue.metricApproximateAgeOfOldestMessage(MetricOptions.builder()
                        .period(Duration.minutes(5)).statistic("Maximum").build()), 3600,
                "encode: the oldest upload has waited an hour (no GPU capacity, or the service is failing)");

        out("BucketName", bucket.getBucketName(), "upload photos here under " + trigger.prefix());
        out("UploadPrefix", trigger.prefix(), "key prefix that triggers encoding");
        out("ImageTableName", imageTable.getTableName(), "image rows (VIEWFOLD_AWS_IMAGE_TABLE)");
        out("ObservationTableName", observationTable.getTableName(), "observation rows (VIEWFOLD_AWS_OBSERVATION_TABLE)");
        out("QueueUrl", queue.getQueueUrl(), "S3 notifications for encode (VIEWFOLD_AWS_QUEUE_URL)");
        out("DeadLetterQueueUrl", encodeDlq.getQueueUrl(), "encode notifications that kept failing");
    }

    /** The model every function reads (the embedding space is a digest of its bytes). */
    private void modelLayer() {
        modelFile = settings.model().getFileName().toString();
        Code code;
        if (Files.isRegularFile(settings.model())) {
            code = Code.fromAsset(settings.model().getParent().toString(),
                    software.amazon.awscdk.services.s3.assets.AssetOptions.builder()
                            .exclude(List.of("*", "!" + modelFile)).build());
        } else if (settings.allowPlaceholders()) {
            code = Code.fromAsset(settings.repoRoot().resolve("infra/placeholder/model").toString());
        } else {
            throw new IllegalStateException("the model " + settings.model() + " is missing: pass -c model=<file.onnx>"
                    + " (or -c allowPlaceholders=true for a placeholder that cannot run)");
        }
        modelLayer = LayerVersion.Builder.create(this, "Model")
                .code(code)
                .compatibleArchitectures(List.of(Architecture.ARM_64, Architecture.X86_64))
                .description("ONNX model " + settings.modelName() + "/" + modelFile + " at /opt/" + modelFile)
                .build();
    }

    private void network() {
        // Public subnets and no NAT gateway: the GPU instances reach AWS APIs through the internet
        // gateway (S3 and DynamoDB through free gateway endpoints) and accept no inbound traffic.
        vpc = Vpc.Builder.create(this, "Network")
                .maxAzs(2)
                .natGateways(0)
                .restrictDefaultSecurityGroup(false)
                .subnetConfiguration(List.of(SubnetConfiguration.builder()
                        .name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build()))
                .build();
        vpc.addGatewayEndpoint("S3Endpoint", GatewayVpcEndpointOptions.builder()
                .service(GatewayVpcEndpointAwsService.S3).build());
        vpc.addGatewayEndpoint("DynamoDbEndpoint", GatewayVpcEndpointOptions.builder()
                .service(GatewayVpcEndpointAwsService.DYNAMODB).build());
        ecsCluster = Cluster.Builder.create(this, "Compute").vpc(vpc).build();
        out("EcsClusterName", ecsCluster.getClusterName(), "ECS cluster of the encode service");
    }

    // ---------------------------------------------------------------- encode: GPU containers

    private void encode(Descriptor d) {
        Descriptor.ContainerSpec c = d.container();
        Descriptor.Scaling scaling = d.trigger().scaling();
        encodeRepository = Repository.Builder.create(this, "EncodeRepository")
                .imageScanOnPush(true)
                .imageTagMutability(TagMutability.MUTABLE)
                .encryption(RepositoryEncryption.AES_256)
                .lifecycleRules(List.of(LifecycleRule.builder().description("keep the last 10 images").maxImageCount(10).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        // Instances: the ECS-optimised GPU AMI (NVIDIA driver and container toolkit), IMDSv2 with one
        // hop (containers cannot reach the instance's credentials), encrypted root volume.
        Role instanceRole = Role.Builder.create(this, "GpuInstanceRole")
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .description("ECS container instances of the encode service: register with the cluster, nothing else")
                .build();
        instanceRole.addToPolicy(statement(List.of("ecs:RegisterContainerInstance", "ecs:DeregisterContainerInstance",
                        "ecs:SubmitAttachmentStateChanges", "ecs:SubmitContainerStateChange", "ecs:SubmitTaskStateChange"),
                List.of(ecsCluster.getClusterArn())));
        instanceRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("ecs:Poll", "ecs:StartTelemetrySession"))
                .resources(List.of("*")) // these act on container instances; scoped to the cluster below
                .conditions(Map.of("ArnEquals", Map.of("ecs:cluster", ecsCluster.getClusterArn())))
                .build());
        instanceRole.addToPolicy(statement(List.of("ecs:DiscoverPollEndpoint"), List.of("*"))); // no resource-level permissions
        SecurityGroup sg = SecurityGroup.Builder.create(this, "GpuInstanceSecurityGroup")
                .vpc(vpc).description("encode GPU instances: no inbound traffic").allowAllOutbound(true).build();
        UserData userData = UserData.forLinux();
        userData.addCommands(
                "echo ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true >> /etc/ecs/ecs.config",
                "echo ECS_ENABLE_GPU_SUPPORT=true >> /etc/ecs/ecs.config");
        LaunchTemplate template = LaunchTemplate.Builder.create(this, "GpuLaunchTemplate")
                .machineImage(EcsOptimizedImage.amazonLinux2023(AmiHardwareType.GPU))
                .role(instanceRole.withoutPolicyUpdates())
                .userData(userData)
                .securityGroup(sg)
                .associatePublicIpAddress(true)
                .requireImdsv2(true)
                .httpPutResponseHopLimit(1)
                .blockDevices(List.of(BlockDevice.builder().deviceName("/dev/xvda")
                        .volume(BlockDeviceVolume.ebs(100, EbsDeviceOptions.builder()
                                .encrypted(true).volumeType(EbsDeviceVolumeType.GP3).build()))
                        .build()))
                .build();
        List<LaunchTemplateOverrides> overrides = c.instanceTypes().stream()
                .map(t -> LaunchTemplateOverrides.builder().instanceType(new InstanceType(t)).build()).toList();
        InstancesDistribution distribution = settings.gpuSpot()
                ? InstancesDistribution.builder().onDemandBaseCapacity(0).onDemandPercentageAboveBaseCapacity(0)
                        .spotAllocationStrategy(SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED).build()
                : InstancesDistribution.builder().onDemandBaseCapacity(0).onDemandPercentageAboveBaseCapacity(100)
                        .onDemandAllocationStrategy(OnDemandAllocationStrategy.PRIORITIZED).build();
        AutoScalingGroup asg = AutoScalingGroup.Builder.create(this, "GpuInstances")
                .vpc(vpc)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
                .mixedInstancesPolicy(MixedInstancesPolicy.builder()
                        .launchTemplate(template).launchTemplateOverrides(overrides)
                        .instancesDistribution(distribution).build())
                .minCapacity(0)
                .maxCapacity(scaling.max())
                .build();
        AsgCapacityProvider capacity = AsgCapacityProvider.Builder.create(this, "GpuCapacity")
                .autoScalingGroup(asg)
                .machineImageType(MachineImageType.AMAZON_LINUX_2)
                .enableManagedScaling(true)
                .enableManagedTerminationProtection(true)
                .targetCapacityPercent(100)
                .build();
        ecsCluster.addAsgCapacityProvider(capacity, AddAutoScalingGroupCapacityOptions.builder()
                .spotInstanceDraining(settings.gpuSpot()).build());

        // The task: one GPU, the worker command, least-privilege task role.
        Role taskRole = Role.Builder.create(this, "EncodeRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("encode: " + d.description())
                .build();
        grants(taskRole, d);
        Role executionRole = Role.Builder.create(this, "EncodeExecutionRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("ECS pulls the encode image and writes its logs")
                .build();
        LogGroup logs = logGroup("EncodeLogs");
        Ec2TaskDefinition task = Ec2TaskDefinition.Builder.create(this, "EncodeTask")
                .networkMode(NetworkMode.BRIDGE)
                .taskRole(taskRole)
                .executionRole(executionRole)
                .build();
        task.addContainer("encode", ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromEcrRepository(encodeRepository, settings.encodeImageTag()))
                .command(c.command())
                .cpu(c.cpu())
                .memoryReservationMiB(d.memoryMiB())
                .gpuCount(c.gpus())
                .environment(environment(d, c.modelPath() + "/" + modelFile))
                .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix("encode").build()))
                .stopTimeout(Duration.seconds(120))
                .build());
        Ec2Service service = Ec2Service.Builder.create(this, "EncodeService")
                .cluster(ecsCluster)
                .taskDefinition(task)
                .desiredCount(0)
                .minHealthyPercent(0)
                .maxHealthyPercent(100)
                .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
                .capacityProviderStrategies(List.of(CapacityProviderStrategy.builder()
                        .capacityProvider(capacity.getCapacityProviderName()).weight(1).build()))
                .build();

        // Scale on the backlog (waiting + in flight): none for a few minutes scales the service, and
        // then the instances, to zero; each backlogPerTask more messages add a GPU task.
        IMetric backlog = MathExpression.Builder.create()
                .expression("visible + inflight")
                // a sorted map: Map.of's order changes from run to run, and with it the alarms' metric list
                .usingMetrics(new java.util.TreeMap<>(Map.of(
                        "visible", queue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                                .period(Duration.minutes(1)).statistic("Maximum").build()),
                        "inflight", queue.metricApproximateNumberOfMessagesNotVisible(MetricOptions.builder()
                                .period(Duration.minutes(1)).statistic("Maximum").build()))))
                .label("encode backlog")
                .period(Duration.minutes(1))
                .build();
        ScalableTaskCount count = service.autoScaleTaskCount(EnableScalingProps.builder()
                .minCapacity(scaling.min()).maxCapacity(scaling.max()).build());
        List<ScalingInterval> steps = new ArrayList<>();
        steps.add(ScalingInterval.builder().upper(0).change(0).build());
        for (int tasks = 1; tasks <= scaling.max(); tasks++) {
            steps.add(ScalingInterval.builder().lower(tasks == 1 ? 1 : (tasks - 1) * scaling.backlogPerTask())
                    .change(tasks).build());
        }
        count.scaleOnMetric("QueueBacklog", BasicStepScalingPolicyProps.builder()
                .metric(backlog)
                .scalingSteps(steps)
                .adjustmentType(AdjustmentType.EXACT_CAPACITY)
                .evaluationPeriods(scaling.evaluationMinutes())
                .cooldown(Duration.minutes(1))
                .build());

        out("EncodeRepositoryUri", encodeRepository.getRepositoryUri(), "push the encode image here (tag "
                + settings.encodeImageTag() + ")");
        out("EncodeServiceName", service.getServiceName(), "ECS service draining the queue");
    }

    // ---------------------------------------------------------------- aggregate: stream → Lambda

    private void aggregate(Descriptor d) {
        Descriptor.Trigger t = d.trigger();
        Queue dlq = deadLetterQueue("AggregateDeadLetters");
        Function fn = lambda(d);
        fn.addEventSourceMapping("ImageStream", EventSourceMappingOptions.builder()
                .eventSourceArn(imageTable.getTableStreamArn())
                .startingPosition(StartingPosition.valueOf(t.startingPosition()))
                .batchSize(t.batchSize())
                .maxBatchingWindow(Duration.seconds(t.maxBatchingWindowSeconds()))
                .parallelizationFactor(t.parallelizationFactor())
                .retryAttempts(t.retryAttempts())
                .maxRecordAge(Duration.hours(t.maxRecordAgeHours()))
                .bisectBatchOnError(false)
                .reportBatchItemFailures(t.reportBatchItemFailures())
                .onFailure(new SqsDlq(dlq))
                .build());
        dlqAlarm("AggregateDeadLettersAlarm", dlq, "aggregate: stream batches dropped after "
                + t.retryAttempts() + " retries (their records are in the DLQ message)");
        errorAlarm("AggregateErrorsAlarm", fn, "aggregate");
    }

    // ---------------------------------------------------------------- cluster: schedule → Lambda or ECS task

    private void cluster(Descriptor d) {
        Queue dlq = deadLetterQueue("ClusterDeadLetters");
        ScheduleTargetBaseProps base = ScheduleTargetBaseProps.builder()
                .retryAttempts(d.trigger().retryAttempts())
                .maxEventAge(Duration.hours(1))
                .deadLetterQueue(dlq)
                .input(ScheduleTargetInput.fromObject(Map.of("trigger", "schedule")))
                .build();
        if (settings.clusterMode().equals("lambda")) {
            Function fn = lambda(d);
            fn.configureAsyncInvoke(EventInvokeConfigOptions.builder()
                    .retryAttempts(0)
                    .maxEventAge(Duration.hours(1))
                    .onFailure(new SqsDestination(dlq))
                    .build());
            Schedule.Builder.create(this, "ClusterSchedule")
                    .description("cluster: re-cluster the observations")
                    .schedule(ScheduleExpression.expression(d.trigger().expression()))
                    .target(new LambdaInvoke(fn, base))
                    .build();
            errorAlarm("ClusterErrorsAlarm", fn, "cluster");
        } else {
            FargateTask task = fargateTask("Cluster", "cluster", d, "cluster (ECS task): " + d.description());
            Schedule.Builder.create(this, "ClusterSchedule")
                    .description("cluster: re-cluster the observations (ECS task)")
                    .schedule(ScheduleExpression.expression(d.trigger().expression()))
                    .target(new EcsRunFargateTask(ecsCluster, FargateTaskProps.builder()
                            .taskDefinition(task.definition())
                            .assignPublicIp(true)
                            .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
                            .securityGroups(List.of(task.securityGroup()))
                            .retryAttempts(d.trigger().retryAttempts())
                            .deadLetterQueue(dlq)
                            .build()))
                    .build();
        }
        dlqAlarm("ClusterDeadLettersAlarm", dlq, "cluster: scheduled runs that could not start or failed");
    }

    // ---------------------------------------------------------------- the HTTP API: search and groups

    /** One HTTP API and stage for every routed function; the stage's default throttle is search's. */
    private void api() {
        Descriptor.Trigger t = descriptors.get("search").trigger();
        List<String> routes = new ArrayList<>();
        for (String name : List.of("search", "groups")) {
            routes.addAll(descriptors.get(name).trigger().routes());
        }
        api = HttpApi.Builder.create(this, "SearchApi")
                .description("Viewfold search and groups: " + String.join(", ", routes))
                .createDefaultStage(false)
                .build();
        LogGroup accessLogs = logGroup("SearchApiAccessLogs");
        stage = HttpStage.Builder.create(this, "SearchStage")
                .httpApi(api)
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder().rateLimit(t.throttle().rateLimit()).burstLimit(t.throttle().burstLimit()).build())
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public IAccessLogDestination getDestination() {
                        return new LogGroupLogDestination(accessLogs);
                    }
                })
                .build();
        authorizer = settings.jwtIssuer() != null
                ? new HttpJwtAuthorizer("SearchJwt", settings.jwtIssuer(), HttpJwtAuthorizerProps.builder()
                        .jwtAudience(List.of(settings.jwtAudience())).build())
                : new HttpIamAuthorizer();
        alarm("SearchApi5xxAlarm", Metric.Builder.create()
                        .namespace("AWS/ApiGateway").metricName("5xx")
                        .dimensionsMap(Map.of("ApiId", api.getApiId(), "Stage", "$default"))
                        .statistic("Sum").period(Duration.minutes(5)).build(), 5,
                "HTTP API (search and groups): 5 or more server errors in 5 minutes");
        out("ApiUrl", stage.getUrl(), "HTTP API (" + String.join(", ", routes) + ")"
                + (settings.jwtIssuer() == null ? "; IAM (SigV4) authentication" : "; JWT authentication"));
    }

    // ---------------------------------------------------------------- search: HTTP API → Lambda

    private void search(Descriptor d) {
        Function fn = lambda(d);
        Alias live = Alias.Builder.create(this, "SearchLive").aliasName("live").version(fn.getCurrentVersion()).build();
        routes(d, live, "the search API", "attach to callers of the search API");
        errorAlarm("SearchErrorsAlarm", fn, "search");
    }

    // ---------------------------------------------------------------- groups: the same HTTP API → Lambda; train as an ECS task

    private void groups(Descriptor d) {
        Descriptor.Trigger t = d.trigger();
        Function fn = lambda(d);
        Alias live = Alias.Builder.create(this, "GroupsLive").aliasName("live").version(fn.getCurrentVersion()).build();
        List<HttpRoute> routes = routes(d, live, "the groups routes " + String.join(", ", t.routes()),
                "attach to callers of the groups routes (labels and train write)");
        if (t.throttle() != null) {
            // The stage's default throttle is search's; these routes get their own. A route setting
            // names a route that must exist when the stage is written.
            CfnResource cfnStage = (CfnResource) stage.getNode().getDefaultChild();
            for (int i = 0; i < routes.size(); i++) {
                String key = t.routes().get(i);
                cfnStage.addPropertyOverride("RouteSettings." + key, Map.of(
                        "ThrottlingRateLimit", t.throttle().rateLimit(),
                        "ThrottlingBurstLimit", t.throttle().burstLimit()));
                cfnStage.addResourceDependency((CfnResource) routes.get(i).getNode().getDefaultChild());
            }
        }
        errorAlarm("GroupsErrorsAlarm", fn, "groups");

        // Training beyond API Gateway's 29 s: the `train` command as a one-off Fargate task (nothing
        // starts it; `aws ecs run-task` with the outputs below).
        FargateTask train = fargateTask("Train", "train", d, "train (ECS task of groups): " + d.description());
        out("TrainTaskDefinitionArn", train.definition().getTaskDefinitionArn(),
                "one-off `train` task (aws ecs run-task --launch-type FARGATE, container train)");
        out("TrainTaskSecurityGroupId", train.securityGroup().getSecurityGroupId(), "security group for the train task");
        out("TrainTaskSubnetIds", Fn.join(",", vpc.getPublicSubnets().stream().map(sn -> sn.getSubnetId()).toList()),
                "public subnets for the train task (assignPublicIp=ENABLED)");
    }

    /**
     * The descriptor's routes on the HTTP API to the alias, behind the API's authoriser; with IAM a
     * managed policy that may invoke exactly these routes, for the callers. (A managed policy's
     * description cannot change without replacing it, and with it the ARN callers attached.)
     */
    private List<HttpRoute> routes(Descriptor d, Alias live, String callable, String clientPolicyUse) {
        String id = capitalise(d.name());
        HttpLambdaIntegration integration = new HttpLambdaIntegration(id + "Integration", live);
        List<HttpRoute> added = new ArrayList<>();
        List<String> invokeArns = new ArrayList<>();
        for (String route : d.trigger().routes()) {
            String[] parts = route.split(" ", 2);
            added.addAll(api.addRoutes(AddRoutesOptions.builder()
                    .path(parts[1])
                    .methods(List.of(HttpMethod.valueOf(parts[0])))
                    .integration(integration)
                    .authorizer(authorizer)
                    .build()));
            invokeArns.add(api.arnForExecuteApi(parts[0], parts[1], "$default"));
        }
        if (settings.jwtIssuer() == null) {
            ManagedPolicy client = ManagedPolicy.Builder.create(this, id + "ClientPolicy")
                    .description("Attach to the users or roles that may call " + callable + " (SigV4, service execute-api)")
                    .statements(List.of(statement(List.of("execute-api:Invoke"), invokeArns)))
                    .build();
            out(id + "ClientPolicyArn", client.getManagedPolicyArn(), clientPolicyUse);
        }
        return added;
    }

    // ---------------------------------------------------------------- helpers

    private record FargateTask(FargateTaskDefinition definition, SecurityGroup securityGroup) {
    }

    /**
     * The descriptor's {@code large} work as a Fargate task with the encode image: its own task role
     * with the descriptor's grants, an execution role, a log group, a security group with no inbound
     * rule. Fargate has no GPU, so the model runs on the CPU whatever the image's default.
     */
    private FargateTask fargateTask(String id, String container, Descriptor d, String roleDescription) {
        Descriptor.LargeSpec large = d.large();
        if (large == null) {
            throw new IllegalArgumentException(d.name() + ": no 'large' section for an ECS task");
        }
        Role taskRole = Role.Builder.create(this, id + "Role")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description(roleDescription)
                .build();
        grants(taskRole, d);
        Role executionRole = Role.Builder.create(this, id + "ExecutionRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("ECS pulls the image of the " + container + " task and writes its logs")
                .build();
        FargateTaskDefinition task = FargateTaskDefinition.Builder.create(this, id + "Task")
                .cpu(large.cpu()).memoryLimitMiB(large.memoryMiB())
                .taskRole(taskRole).executionRole(executionRole)
                .build();
        String modelPath = descriptors.get("encode").container().modelPath() + "/" + modelFile;
        Map<String, String> env = environment(d, modelPath);
        env.remove("QUARKUS_FUNQY_EXPORT");
        env.remove("DISABLE_SIGNAL_HANDLERS");
        env.put("VIEWFOLD_MODEL_DEVICE", "cpu"); // the image says gpu (for encode)
        if (env.containsKey("JAVA_TOOL_OPTIONS") && !env.get("JAVA_TOOL_OPTIONS").contains("MaxRAMPercentage")) {
            // replaces the image's JAVA_TOOL_OPTIONS: keep its heap sizing
            env.put("JAVA_TOOL_OPTIONS", env.get("JAVA_TOOL_OPTIONS") + " -XX:MaxRAMPercentage=75");
        }
        task.addContainer(container, ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromEcrRepository(encodeRepository, settings.encodeImageTag()))
                .command(large.command())
                .environment(env)
                .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder().logGroup(logGroup(id + "Logs"))
                        .streamPrefix(container).build()))
                .build());
        SecurityGroup sg = SecurityGroup.Builder.create(this, id + "TaskSecurityGroup")
                .vpc(vpc).description(container + " task: no inbound traffic").allowAllOutbound(true).build();
        return new FargateTask(task, sg);
    }

    /** A Lambda from its descriptor: its own role (the descriptor's grants plus its log group), the model layer. */
    private Function lambda(Descriptor d) {
        String id = capitalise(d.name());
        LambdaArtifact artifact = LambdaArtifact.resolve(d, settings);
        Role role = Role.Builder.create(this, id + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description(d.name() + ": " + d.description())
                .build();
        grants(role, d);
        LogGroup logs = logGroup(id + "Logs");
        role.addToPolicy(statement(List.of("logs:CreateLogStream", "logs:PutLogEvents"), List.of(logs.getLogGroupArn())));
        Function.Builder b = Function.Builder.create(this, id + "Function")
                .description(d.name() + " (" + artifact.kind() + (artifact.kind().equals("placeholder")
                        ? ": cannot run, build " + d.lambda().artifact() : "") + ")")
                .code(artifact.code())
                .runtime(artifact.runtime())
                .handler(artifact.handler())
                .architecture(artifact.architecture())
                .memorySize(d.memoryMiB())
                .timeout(Duration.seconds(d.timeoutSeconds()))
                .role(role)
                .logGroup(logs)
                .layers(List.of(modelLayer))
                .environment(environment(d, "/opt/" + modelFile));
        if (settings.reservedConcurrency() && d.reservedConcurrency() != null) {
            b.reservedConcurrentExecutions(d.reservedConcurrency());
        }
        if (Boolean.TRUE.equals(d.lambda().snapStart()) && artifact.runtime() == Runtime.JAVA_21) {
            b.snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
        }
        Function fn = b.build();
        Annotations.of(fn).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "the API invokes the published version through the alias 'live'");
        return fn;
    }

    /** The descriptor's access list as policy statements on the stack's resources. */
    private void grants(Role role, Descriptor d) {
        for (Descriptor.Access a : d.access()) {
            String resource = switch (a.resource()) {
                case "bucket" -> bucket.getBucketArn();
                case "objects" -> {
                    if (a.prefix() == null || a.prefix().isBlank() || !a.prefix().endsWith("/")) {
                        throw new IllegalArgumentException(d.name() + ": objects access needs a key prefix ending in '/'");
                    }
                    yield bucket.arnForObjects(a.prefix() + "*");
                }
                case "imageTable" -> imageTable.getTableArn();
                case "imageStream" -> imageTable.getTableArn() + "/stream/*";
                case "observationTable" -> observationTable.getTableArn();
                case "queue" -> queue.getQueueArn();
                default -> {
                    if (a.resource().startsWith("imageTable/index/")) {
                        yield imageTable.getTableArn() + "/index/" + a.resource().substring("imageTable/index/".length());
                    }
                    throw new IllegalArgumentException(d.name() + ": unknown resource '" + a.resource() + "'");
                }
            };
            role.addToPolicy(statement(a.actions(), List.of(resource)));
        }
    }

    /** The descriptor's environment with its placeholders filled in. */
    private Map<String, String> environment(Descriptor d, String modelPath) {
        Map<String, String> values = Map.of(
                "bucket", bucket.getBucketName(),
                "imageTable", imageTable.getTableName(),
                "observationTable", observationTable.getTableName(),
                "queueUrl", queue.getQueueUrl(),
                "model", modelPath,
                "modelName", settings.modelName());
        Map<String, String> env = new LinkedHashMap<>();
        d.environment().forEach((k, v) -> {
            Matcher m = PLACEHOLDER.matcher(v);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String value = values.get(m.group(1));
                if (value == null) {
                    throw new IllegalArgumentException(d.name() + ": unknown placeholder ${" + m.group(1) + "} in " + k
                            + "; known: " + values.keySet());
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(value));
            }
            m.appendTail(sb);
            env.put(k, sb.toString());
        });
        return env;
    }

    private static PolicyStatement statement(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(actions).resources(resources).build();
    }

    /** A row table keyed by its id and the model space, billed per request, recoverable, kept on stack deletion. */
    private Table.Builder table(String id, String partitionKey) {
        return Table.Builder.create(this, id)
                .partitionKey(Attribute.builder().name(partitionKey).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("space").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .removalPolicy(RemovalPolicy.RETAIN);
    }

    private Queue deadLetterQueue(String id) {
        return Queue.Builder.create(this, id)
                .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true)
                .retentionPeriod(Duration.days(14)).build();
    }

    private LogGroup logGroup(String id) {
        return LogGroup.Builder.create(this, id).retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY).build();
    }

    private void dlqAlarm(String id, Queue dlq, String description) {
        alarm(id, dlq.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                .period(Duration.minutes(5)).statistic("Maximum").build()), 1, description);
    }

    private void errorAlarm(String id, Function fn, String name) {
        alarm(id, fn.metricErrors(MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build()), 1,
                name + ": the function failed (see its log group)");
    }

    private void alarm(String id, IMetric metric, double threshold, String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .build();
        alarm.addAlarmAction(new SnsAction(alarms));
    }

    private void out(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    private static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
