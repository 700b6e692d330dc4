package dev.viewfold.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
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
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.ecs.AddAutoScalingGroupCapacityOptions;
import software.amazon.awscdk.services.ecs.AmiHardwareType;
import software.amazon.awscdk.services.ecs.AsgCapacityProvider;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.CapacityProviderStrategy;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.Ec2Service;
import software.amazon.awscdk.services.ecs.Ec2TaskDefinition;
import software.amazon.awscdk.services.ecs.EcsOptimizedImage;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.ecs.MachineImageType;
import software.amazon.awscdk.services.ecs.NetworkMode;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The encode service: GPU instances in an auto-scaling group that scales to zero, an ECS service
 * running the worker, scaled on the queue's backlog.
 */
final class EncodeService {

    EncodeService(Stack scope, Settings settings, Descriptor d, Storage storage, Compute compute, Workloads workloads,
                  Alarms alarms) {
        Descriptor.ContainerSpec c = d.container();
        Descriptor.Scaling scaling = d.trigger().scaling();

        // Instances: the ECS-optimised GPU AMI (NVIDIA driver and container toolkit), IMDSv2 with one
        // hop (containers cannot reach the instance's credentials), encrypted root volume.
        Role instanceRole = Role.Builder.create(scope, "GpuInstanceRole")
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .description("ECS container instances of the encode service: register with the cluster, nothing else")
                .build();
        instanceRole.addToPolicy(Kit.statement(List.of("ecs:RegisterContainerInstance", "ecs:DeregisterContainerInstance",
                        "ecs:SubmitAttachmentStateChanges", "ecs:SubmitContainerStateChange", "ecs:SubmitTaskStateChange"),
                List.of(compute.cluster().getClusterArn())));
        instanceRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("ecs:Poll", "ecs:StartTelemetrySession"))
                .resources(List.of("*")) // these act on container instances; scoped to the cluster below
                .conditions(Map.of("ArnEquals", Map.of("ecs:cluster", compute.cluster().getClusterArn())))
                .build());
        instanceRole.addToPolicy(Kit.statement(List.of("ecs:DiscoverPollEndpoint"), List.of("*"))); // no resource-level permissions
        SecurityGroup sg = SecurityGroup.Builder.create(scope, "GpuInstanceSecurityGroup")
                .vpc(compute.vpc()).description("encode GPU instances: no inbound traffic").allowAllOutbound(true).build();
        UserData userData = UserData.forLinux();
        userData.addCommands(
                "echo ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true >> /etc/ecs/ecs.config",
                "echo ECS_ENABLE_GPU_SUPPORT=true >> /etc/ecs/ecs.config");
        LaunchTemplate template = LaunchTemplate.Builder.create(scope, "GpuLaunchTemplate")
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
        AutoScalingGroup asg = AutoScalingGroup.Builder.create(scope, "GpuInstances")
                .vpc(compute.vpc())
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
                .mixedInstancesPolicy(MixedInstancesPolicy.builder()
                        .launchTemplate(template).launchTemplateOverrides(overrides)
                        .instancesDistribution(distribution).build())
                .minCapacity(0)
                .maxCapacity(scaling.max())
                .build();
        AsgCapacityProvider capacity = AsgCapacityProvider.Builder.create(scope, "GpuCapacity")
                .autoScalingGroup(asg)
                .machineImageType(MachineImageType.AMAZON_LINUX_2)
                .enableManagedScaling(true)
                .enableManagedTerminationProtection(true)
                .targetCapacityPercent(100)
                .build();
        compute.cluster().addAsgCapacityProvider(capacity, AddAutoScalingGroupCapacityOptions.builder()
                .spotInstanceDraining(settings.gpuSpot()).build());

        // The task: one GPU, the worker command, least-privilege task role.
        Role taskRole = Role.Builder.create(scope, "EncodeRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("encode: " + d.description())
                .build();
        workloads.grants(taskRole, d);
        Role executionRole = Role.Builder.create(scope, "EncodeExecutionRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("ECS pulls the encode image and writes its logs")
                .build();
        LogGroup logs = Kit.logGroup(scope, "EncodeLogs");
        Ec2TaskDefinition task = Ec2TaskDefinition.Builder.create(scope, "EncodeTask")
                .networkMode(NetworkMode.BRIDGE)
                .taskRole(taskRole)
                .executionRole(executionRole)
                .build();
        task.addContainer("encode", ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromEcrRepository(compute.encodeRepository(), settings.encodeImageTag()))
                .command(c.command())
                .cpu(c.cpu())
                .memoryReservationMiB(d.memoryMiB())
                .gpuCount(c.gpus())
                .environment(workloads.environment(d, c.modelPath() + "/" + compute.modelFile()))
                .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix("encode").build()))
                .stopTimeout(Duration.seconds(120))
                .build());
        Ec2Service service = Ec2Service.Builder.create(scope, "EncodeService")
                .cluster(compute.cluster())
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
                        "visible", storage.queue().metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                                .period(Duration.minutes(1)).statistic("Maximum").build()),
                        "inflight", storage.queue().metricApproximateNumberOfMessagesNotVisible(MetricOptions.builder()
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

        Kit.out(scope, "EncodeRepositoryUri", compute.encodeRepository().getRepositoryUri(), "push the encode image here (tag "
                + settings.encodeImageTag() + ")");
        Kit.out(scope, "EncodeServiceName", service.getServiceName(), "ECS service draining the queue");
    }
}
