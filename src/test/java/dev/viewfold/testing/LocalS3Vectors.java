package dev.viewfold.testing;

import com.robothy.s3.rest.LocalS3;
import com.robothy.s3.rest.bootstrap.LocalS3Mode;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * LocalS3 (a real server of the S3 Vectors API, exact search) in this process, on a free port,
 * with one vector bucket; as a Quarkus test resource it points the s3vectors backend at it.
 */
public final class LocalS3Vectors implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "viewfold-test-vectors";

    private LocalS3 server;

    /** Starts a server with the bucket; returns its endpoint. */
    public URI startServer() {
        server = LocalS3.builder().port(-1).mode(LocalS3Mode.IN_MEMORY).build();
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getPort());
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve("/CreateVectorBucket"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"vectorBucketName\":\"" + BUCKET + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("CreateVectorBucket: " + r.statusCode() + " " + r.body());
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("cannot create the vector bucket: " + e, e);
        }
        // The SDK's default credential chain reads these to sign; the local server checks none.
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        return endpoint;
    }

    public void stopServer() {
        if (server != null) {
            server.shutdown();
            server = null;
        }
    }

    @Override
    public Map<String, String> start() {
        URI endpoint = startServer();
        return Map.of("viewfold.search.backend", "s3vectors",
                "viewfold.search.s3vectors.bucket", BUCKET,
                "viewfold.search.s3vectors.endpoint", endpoint.toString(),
                "viewfold.search.s3vectors.retry-delay", "10ms",
                "viewfold.aws.region", "us-east-1");
    }

    @Override
    public void stop() {
        stopServer();
    }
}
