package dev.viewfold.infra;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole Viewfold deployment in one stack, built from the five descriptors in {@code functions/}
 * by one component each concern: {@link Storage} (bucket, queue, tables), {@link Compute} (network,
 * ECS cluster, image repository, model layer), {@link EncodeService} (GPU containers),
 * {@link FunctionsApi} (aggregate, and search and groups behind the HTTP API),
 * {@link ClusterWorkflow} (the cluster run's state machine) started by {@link ScheduledWork}, and
 * {@link ReencodeWorkflow} (re-encoding the uploads on demand); {@link Vectors} adds Amazon S3 Vectors
 * when asked for. {@link Workloads} makes each function and task with its own least-privilege role,
 * {@link Alarms} raises the alarms. Components add their resources to the
 * stack itself, not to nested constructs, so every logical id (and so every deployed table and
 * bucket) stays what it was.
 */
public class ViewfoldStack extends Stack {

    public static final List<String> FUNCTIONS = List.of("encode", "aggregate", "cluster", "search", "groups");

    public ViewfoldStack(Construct scope, String id, StackProps props, Settings settings) {
        super(scope, id, props);
        Map<String, Descriptor> descriptors = new LinkedHashMap<>();
        for (String name : FUNCTIONS) {
            descriptors.put(name, Descriptor.load(settings.functionsDir(), name));
        }
        Alarms alarms = new Alarms(this, settings.alarmEmail());
        Storage storage = new Storage(this, settings, descriptors.get("encode"), alarms);
        Vectors vectors = new Vectors(this, settings);
        Compute compute = new Compute(this, settings);
        Workloads workloads = new Workloads(this, settings, storage, vectors, compute, descriptors.get("encode"));
        new EncodeService(this, settings, descriptors.get("encode"), storage, compute, workloads, alarms);
        ClusterWorkflow clusterRun = new ClusterWorkflow(this, settings, descriptors.get("cluster"), compute, workloads, alarms);
        new ScheduledWork(this, descriptors.get("cluster"), clusterRun, alarms);
        new ReencodeWorkflow(this, descriptors.get("encode"), storage, alarms);
        new FunctionsApi(this, settings, descriptors, storage, compute, workloads, alarms);
        Kit.out(this, "AlarmTopicArn", alarms.topic().getTopicArn(), "SNS topic the alarms publish to");
    }
}
