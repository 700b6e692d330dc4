package dev.viewfold.testing;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import java.util.Properties;

/**
 * Real local AWS servers on loopback, started by the tests themselves: S3Proxy (S3, in memory),
 * DynamoDB Local (in memory, telemetry off) and ElasticMQ (SQS). Nothing leaves 127.0.0.1.
 */
public final class LocalAwsServers implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "viewfold-test-images";
    public static final String QUEUE = "viewfold-encode";

    private S3Proxy s3;
    private DynamoDBProxyServer dynamoDb;
    private SQSRestServer sqs;

    @Override
    public Map<String, String> start() {
        try {
            int s3Port = freePort();
            int dynamoPort = freePort();
            int sqsPort = freePort();

            BlobStore blobs = BlobStores.create("transient-nio2", new Properties());
            blobs.createContainer(BUCKET);
            s3 = S3Proxy.builder().blobStore(blobs).awsAuthentication(AuthenticationType.NONE, null, null)
                    .endpoint(URI.create("http://127.0.0.1:" + s3Port)).build();
            s3.start();
            while (!s3.getState().equals("STARTED")) {
                Thread.sleep(10);
            }

            dynamoDb = ServerRunner.createServerFromCommandLineArgs(new String[] {
                    "-inMemory", "-port", Integer.toString(dynamoPort), "-disableTelemetry"});
            dynamoDb.start();

            sqs = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(sqsPort).start();
            sqs.waitUntilStarted();

            // The SDK's default credential chain reads these; the local servers accept any.
            System.setProperty("aws.accessKeyId", "test");
            System.setProperty("aws.secretAccessKey", "test");
            return Map.of(
                    "viewfold.store", "aws",
                    "viewfold.data", java.nio.file.Files.createTempDirectory("viewfold-aws-test").toString(),
                    "viewfold.aws.region", "us-east-1",
                    "viewfold.aws.bucket", BUCKET,
                    "viewfold.aws.create-tables", "true",
                    "viewfold.aws.image-table", "test-images",
                    "viewfold.aws.observation-table", "test-observations",
                    "viewfold.aws.s3-endpoint", "http://127.0.0.1:" + s3Port,
                    "viewfold.aws.dynamodb-endpoint", "http://127.0.0.1:" + dynamoPort,
                    "viewfold.aws.sqs-endpoint", "http://127.0.0.1:" + sqsPort);
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("cannot start the local AWS servers: " + e, e);
        }
    }

    @Override
    public void stop() {
        try {
            if (s3 != null) {
                s3.stop();
            }
            if (dynamoDb != null) {
                dynamoDb.stop();
            }
            if (sqs != null) {
                sqs.stopAndWait();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
