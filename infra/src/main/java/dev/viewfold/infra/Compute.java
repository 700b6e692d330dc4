package dev.viewfold.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecr.LifecycleRule;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.RepositoryEncryption;
import software.amazon.awscdk.services.ecr.TagMutability;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.ILayerVersion;
import software.amazon.awscdk.services.lambda.LayerVersion;

import java.nio.file.Files;
import java.util.List;

/**
 * What the workloads run on: the network (public subnets, no NAT, gateway endpoints for S3 and
 * DynamoDB), the ECS cluster, the encode image's repository (the Fargate tasks use it too) and the
 * model as a Lambda layer.
 */
final class Compute {

    private final Stack scope;
    private Vpc vpc;
    private Cluster ecsCluster;
    private Repository encodeRepository;
    private String modelFile;
    private ILayerVersion modelLayer;

    Compute(Stack scope, Settings settings) {
        this.scope = scope;
        modelLayer(settings);
        network();
        encodeRepository = Repository.Builder.create(scope, "EncodeRepository")
                .imageScanOnPush(true)
                .imageTagMutability(TagMutability.MUTABLE)
                .encryption(RepositoryEncryption.AES_256)
                .lifecycleRules(List.of(LifecycleRule.builder().description("keep the last 10 images").maxImageCount(10).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    /** The model every function reads (the embedding space is a digest of its bytes). */
    private void modelLayer(Settings settings) {
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
        modelLayer = LayerVersion.Builder.create(scope, "Model")
                .code(code)
                .compatibleArchitectures(List.of(Architecture.ARM_64, Architecture.X86_64))
                .description("ONNX model " + settings.modelName() + "/" + modelFile + " at /opt/" + modelFile)
                .build();
    }

    private void network() {
        // Public subnets and no NAT gateway: the GPU instances reach AWS APIs through the internet
        // gateway (S3 and DynamoDB through free gateway endpoints) and accept no inbound traffic.
        vpc = Vpc.Builder.create(scope, "Network")
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
        ecsCluster = Cluster.Builder.create(scope, "Compute").vpc(vpc).build();
        Kit.out(scope, "EcsClusterName", ecsCluster.getClusterName(), "ECS cluster of the encode service");
    }

    Vpc vpc() {
        return vpc;
    }

    Cluster cluster() {
        return ecsCluster;
    }

    Repository encodeRepository() {
        return encodeRepository;
    }

    /** The model's file name; it sits at /opt/ in the layer and under the encode image's model path. */
    String modelFile() {
        return modelFile;
    }

    ILayerVersion modelLayer() {
        return modelLayer;
    }
}
