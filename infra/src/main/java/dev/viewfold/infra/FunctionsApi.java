package dev.viewfold.infra;

import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
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
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.EventSourceMappingOptions;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.sqs.Queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The functions that are not the encode service: aggregate on the image table's stream, and search
 * and groups behind one HTTP API (IAM or JWT authorisation, throttled per route), with the one-off
 * train task for training beyond API Gateway's 29 s.
 */
final class FunctionsApi {

    private final Stack scope;
    private final Settings settings;
    private final Map<String, Descriptor> descriptors;
    private final Storage storage;
    private final Compute compute;
    private final Workloads workloads;
    private final Alarms alarms;
    private HttpApi api;
    private HttpStage stage;
    private IHttpRouteAuthorizer authorizer;

    FunctionsApi(Stack scope, Settings settings, Map<String, Descriptor> descriptors, Storage storage, Compute compute,
                 Workloads workloads, Alarms alarms) {
        this.scope = scope;
        this.settings = settings;
        this.descriptors = descriptors;
        this.storage = storage;
        this.compute = compute;
        this.workloads = workloads;
        this.alarms = alarms;
        aggregate(descriptors.get("aggregate"));
        api();
        search(descriptors.get("search"));
        groups(descriptors.get("groups"));
    }

    private void aggregate(Descriptor d) {
        Descriptor.Trigger t = d.trigger();
        Queue dlq = Kit.deadLetterQueue(scope, "AggregateDeadLetters");
        Function fn = workloads.lambda(d);
        fn.addEventSourceMapping("ImageStream", EventSourceMappingOptions.builder()
                .eventSourceArn(storage.imageTable().getTableStreamArn())
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
        alarms.dlqAlarm("AggregateDeadLettersAlarm", dlq, "aggregate: stream batches dropped after "
                + t.retryAttempts() + " retries (their records are in the DLQ message)");
        alarms.errorAlarm("AggregateErrorsAlarm", fn, "aggregate");
    }

    /** One HTTP API and stage for every routed function; the stage's default throttle is search's. */
    private void api() {
        Descriptor.Trigger t = descriptors.get("search").trigger();
        List<String> routes = new ArrayList<>();
        for (String name : List.of("search", "groups")) {
            routes.addAll(descriptors.get(name).trigger().routes());
        }
        api = HttpApi.Builder.create(scope, "SearchApi")
                .description("Viewfold search and groups: " + String.join(", ", routes))
                .createDefaultStage(false)
                .build();
        LogGroup accessLogs = Kit.logGroup(scope, "SearchApiAccessLogs");
        stage = HttpStage.Builder.create(scope, "SearchStage")
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
        alarms.alarm("SearchApi5xxAlarm", Metric.Builder.create()
                        .namespace("AWS/ApiGateway").metricName("5xx")
                        .dimensionsMap(Map.of("ApiId", api.getApiId(), "Stage", "$default"))
                        .statistic("Sum").period(Duration.minutes(5)).build(), 5,
                "HTTP API (search and groups): 5 or more server errors in 5 minutes");
        Kit.out(scope, "ApiUrl", stage.getUrl(), "HTTP API (" + String.join(", ", routes) + ")"
                + (settings.jwtIssuer() == null ? "; IAM (SigV4) authentication" : "; JWT authentication"));
    }

    private void search(Descriptor d) {
        Function fn = workloads.lambda(d);
        Alias live = Alias.Builder.create(scope, "SearchLive").aliasName("live").version(fn.getCurrentVersion()).build();
        routes(d, live, "the search API", "attach to callers of the search API");
        alarms.errorAlarm("SearchErrorsAlarm", fn, "search");
    }

    private void groups(Descriptor d) {
        Descriptor.Trigger t = d.trigger();
        Function fn = workloads.lambda(d);
        Alias live = Alias.Builder.create(scope, "GroupsLive").aliasName("live").version(fn.getCurrentVersion()).build();
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
        alarms.errorAlarm("GroupsErrorsAlarm", fn, "groups");

        // Training beyond API Gateway's 29 s: the `train` command as a one-off Fargate task (nothing
        // starts it; `aws ecs run-task` with the outputs below).
        Workloads.FargateTask train = workloads.fargateTask("Train", "train", d, "train (ECS task of groups): " + d.description());
        Kit.out(scope, "TrainTaskDefinitionArn", train.definition().getTaskDefinitionArn(),
                "one-off `train` task (aws ecs run-task --launch-type FARGATE, container train)");
        Kit.out(scope, "TrainTaskSecurityGroupId", train.securityGroup().getSecurityGroupId(), "security group for the train task");
        Kit.out(scope, "TrainTaskSubnetIds", Fn.join(",", compute.vpc().getPublicSubnets().stream().map(sn -> sn.getSubnetId()).toList()),
                "public subnets for the train task (assignPublicIp=ENABLED)");
    }

    /**
     * The descriptor's routes on the HTTP API to the alias, behind the API's authoriser; with IAM a
     * managed policy that may invoke exactly these routes, for the callers. (A managed policy's
     * description cannot change without replacing it, and with it the ARN callers attached.)
     */
    private List<HttpRoute> routes(Descriptor d, Alias live, String callable, String clientPolicyUse) {
        String id = Kit.capitalise(d.name());
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
            ManagedPolicy client = ManagedPolicy.Builder.create(scope, id + "ClientPolicy")
                    .description("Attach to the users or roles that may call " + callable + " (SigV4, service execute-api)")
                    .statements(List.of(Kit.statement(List.of("execute-api:Invoke"), invokeArns)))
                    .build();
            Kit.out(scope, id + "ClientPolicyArn", client.getManagedPolicyArn(), clientPolicyUse);
        }
        return added;
    }
}
