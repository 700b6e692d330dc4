package dev.viewfold.infra;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Functions and tasks made from their descriptors: each with its own role holding exactly the
 * descriptor's grants on the stack's resources, its log group and its environment.
 */
final class Workloads {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z]+)}");

    /** A Fargate task definition and the security group it runs in. */
    record FargateTask(FargateTaskDefinition definition, SecurityGroup securityGroup) {
    }

    private final Stack scope;
    private final Settings settings;
    private final Storage storage;
    private final Vectors vectors;
    private final Compute compute;
    private final Descriptor encode;

    /** @param encode the encode service's descriptor: the Fargate tasks run its image, where the model sits */
    Workloads(Stack scope, Settings settings, Storage storage, Vectors vectors, Compute compute, Descriptor encode) {
        this.scope = scope;
        this.settings = settings;
        this.storage = storage;
        this.vectors = vectors;
        this.compute = compute;
        this.encode = encode;
    }

    /**
     * The descriptor's {@code large} work as a Fargate task with the encode image: its own task role
     * with the descriptor's grants, an execution role, a log group, a security group with no inbound
     * rule. Fargate has no GPU, so the model runs on the CPU whatever the image's default.
     */
    FargateTask fargateTask(String id, String container, Descriptor d, String roleDescription) {
        Descriptor.LargeSpec large = d.large();
        if (large == null) {
            throw new IllegalArgumentException(d.name() + ": no 'large' section for an ECS task");
        }
        Role taskRole = Role.Builder.create(scope, id + "Role")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description(roleDescription)
                .build();
        grants(taskRole, d);
        Role executionRole = Role.Builder.create(scope, id + "ExecutionRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("ECS pulls the image of the " + container + " task and writes its logs")
                .build();
        FargateTaskDefinition task = FargateTaskDefinition.Builder.create(scope, id + "Task")
                .cpu(large.cpu()).memoryLimitMiB(large.memoryMiB())
                .taskRole(taskRole).executionRole(executionRole)
                .build();
        String modelPath = encode.container().modelPath() + "/" + compute.modelFile();
        Map<String, String> env = environment(d, modelPath);
        env.remove("QUARKUS_FUNQY_EXPORT");
        env.remove("DISABLE_SIGNAL_HANDLERS");
        env.put("VIEWFOLD_MODEL_DEVICE", "cpu"); // the image says gpu (for encode)
        if (env.containsKey("JAVA_TOOL_OPTIONS") && !env.get("JAVA_TOOL_OPTIONS").contains("MaxRAMPercentage")) {
            // replaces the image's JAVA_TOOL_OPTIONS: keep its heap sizing
            env.put("JAVA_TOOL_OPTIONS", env.get("JAVA_TOOL_OPTIONS") + " -XX:MaxRAMPercentage=75");
        }
        task.addContainer(container, ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromEcrRepository(compute.encodeRepository(), settings.encodeImageTag()))
                .command(large.command())
                .environment(env)
                .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder().logGroup(Kit.logGroup(scope, id + "Logs"))
                        .streamPrefix(container).build()))
                .build());
        SecurityGroup sg = SecurityGroup.Builder.create(scope, id + "TaskSecurityGroup")
                .vpc(compute.vpc()).description(container + " task: no inbound traffic").allowAllOutbound(true).build();
        return new FargateTask(task, sg);
    }

    /** A Lambda from its descriptor: its own role (the descriptor's grants plus its log group), the model layer. */
    Function lambda(Descriptor d) {
        String id = Kit.capitalise(d.name());
        LambdaArtifact artifact = LambdaArtifact.resolve(d, settings);
        Role role = Role.Builder.create(scope, id + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description(d.name() + ": " + d.description())
                .build();
        grants(role, d);
        LogGroup logs = Kit.logGroup(scope, id + "Logs");
        role.addToPolicy(Kit.statement(List.of("logs:CreateLogStream", "logs:PutLogEvents"), List.of(logs.getLogGroupArn())));
        Function.Builder b = Function.Builder.create(scope, id + "Function")
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
                .layers(List.of(compute.modelLayer()))
                .environment(environment(d, "/opt/" + compute.modelFile()));
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

    /** The descriptor's access list (the grants for this stack's search backend) as policy statements on the stack's resources. */
    void grants(Role role, Descriptor d) {
        for (Descriptor.Access a : d.access()) {
            if (!a.appliesTo(settings.searchBackend())) {
                continue;
            }
            if (a.resource().equals("vectorIndexes")) {
                List<String> indexes = a.targets().stream().flatMap(t -> vectors.arns(t).stream()).toList();
                role.addToPolicy(Kit.statement(a.actions(), indexes));
                continue;
            }
            String resource = switch (a.resource()) {
                case "bucket" -> storage.bucket().getBucketArn();
                case "objects" -> {
                    if (a.prefix() == null || a.prefix().isBlank() || !a.prefix().endsWith("/")) {
                        throw new IllegalArgumentException(d.name() + ": objects access needs a key prefix ending in '/'");
                    }
                    yield storage.bucket().arnForObjects(a.prefix() + "*");
                }
                case "imageTable" -> storage.imageTable().getTableArn();
                case "imageStream" -> storage.imageTable().getTableArn() + "/stream/*";
                case "observationTable" -> storage.observationTable().getTableArn();
                case "queue" -> storage.queue().getQueueArn();
                default -> {
                    if (a.resource().startsWith("imageTable/index/")) {
                        yield storage.imageTable().getTableArn() + "/index/" + a.resource().substring("imageTable/index/".length());
                    }
                    throw new IllegalArgumentException(d.name() + ": unknown resource '" + a.resource() + "'");
                }
            };
            role.addToPolicy(Kit.statement(a.actions(), List.of(resource)));
        }
    }

    /** The descriptor's environment with its placeholders filled in. */
    Map<String, String> environment(Descriptor d, String modelPath) {
        Map<String, String> values = Map.of(
                "bucket", storage.bucket().getBucketName(),
                "imageTable", storage.imageTable().getTableName(),
                "observationTable", storage.observationTable().getTableName(),
                "queueUrl", storage.queue().getQueueUrl(),
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
        if (readsOrWritesVectors(d)) {
            env.putAll(vectors.environment());
            // a write the index still refuses after its retries is marked under index/pending/ of the
            // uploads bucket (aggregate's descriptor names no bucket otherwise)
            env.putIfAbsent("VIEWFOLD_AWS_BUCKET", values.get("bucket"));
        }
        return env;
    }

    /** A function with a vector grant for this stack's backend is told where the vectors are. */
    private boolean readsOrWritesVectors(Descriptor d) {
        return d.access().stream().anyMatch(a -> a.resource().equals("vectorIndexes") && a.appliesTo(settings.searchBackend()));
    }
}
