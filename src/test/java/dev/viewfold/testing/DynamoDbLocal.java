package dev.viewfold.testing;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/** One DynamoDB Local (in memory, loopback, telemetry off) shared by the plain tests of a JVM. */
public final class DynamoDbLocal {

    private static DynamoDbClient client;
    private static URI endpoint;
    private static final AtomicInteger TABLES = new AtomicInteger();

    private DynamoDbLocal() {
    }

    public static synchronized DynamoDbClient client() {
        if (client == null) {
            try {
                int port = LocalAwsServers.freePort();
                DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(new String[] {
                        "-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
                server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.stop();
                    } catch (Exception ignored) {
                        // the JVM is going anyway
                    }
                }));
                endpoint = URI.create("http://127.0.0.1:" + port);
                client = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                        .endpointOverride(endpoint).region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                        .build();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start DynamoDB Local: " + e, e);
            }
        }
        return client;
    }

    /** Another client of the same DynamoDB Local, with interceptors (to count or meter its requests). */
    public static DynamoDbClient client(software.amazon.awssdk.core.interceptor.ExecutionInterceptor... interceptors) {
        client();
        return DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(c -> java.util.Arrays.stream(interceptors).forEach(c::addExecutionInterceptor))
                .build();
    }

    /** The streams of the same DynamoDB Local: what Lambda's event source mapping reads. */
    public static software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient streams() {
        client();
        return software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    /** A fresh table-name suffix, so tests never see each other's rows. */
    public static int nextTableSuffix() {
        return TABLES.incrementAndGet();
    }
}
