package dev.viewfold.store;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import dev.viewfold.store.dynamodb.DynamoDbVectorTable;
import dev.viewfold.testing.LocalAwsServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/** The DynamoDB adapter against DynamoDB Local (in memory, loopback, telemetry off). */
class DynamoDbVectorTableTest extends VectorTableContract {

    static DynamoDBProxyServer server;
    static DynamoDbClient client;
    static final AtomicInteger TABLES = new AtomicInteger();

    DynamoDbVectorTable table;

    @BeforeAll
    static void start() throws Exception {
        int port = LocalAwsServers.freePort();
        server = ServerRunner.createServerFromCommandLineArgs(new String[] {
                "-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
        server.start();
        client = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.stop();
    }

    @BeforeEach
    void freshTables() {
        int n = TABLES.incrementAndGet();
        table = new DynamoDbVectorTable(client, "images-" + n, "observations-" + n);
        table.createTablesIfMissing();
        table.createTablesIfMissing(); // a second start must not fail
    }

    @Override
    protected VectorTable table() {
        return table;
    }
}
