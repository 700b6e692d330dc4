package dev.viewfold.search.s3vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The few Amazon S3 Vectors calls the adapter needs, as the service's REST-JSON protocol has them
 * ({@code POST /<Operation>}, SigV4 with signing name {@code s3vectors}), on the JDK's HTTP client.
 * The SDK's {@code s3vectors} module is not on this project's Maven mirror at the SDK version the
 * rest uses; when it is, {@link S3VectorsApi} is the one class to swap for it.
 *
 * <p>Throttling (429), server errors (5xx) and broken connections are retried with exponential
 * backoff and jitter; what still fails after the last attempt is a {@link Failure}, whose
 * {@code retryable} says whether trying later may help.
 */
public final class S3VectorsApi {

    private static final Logger LOG = Logger.getLogger(S3VectorsApi.class);
    /** The service's own limits (AWS docs, "S3 Vectors limitations"). */
    public static final int MAX_PUT = 500;
    public static final int MAX_GET = 100;
    public static final int MAX_TOP_K = 100;

    /** A call the service refused or that could not be made. */
    public static final class Failure extends RuntimeException {
        private final int status;
        private final String code;
        private final boolean retryable;

        Failure(String operation, int status, String code, String message, boolean retryable) {
            super(operation + ": " + (status > 0 ? "HTTP " + status + " " : "") + (code.isEmpty() ? "" : code + ": ")
                    + message);
            this.status = status;
            this.code = code;
            this.retryable = retryable;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }

        public boolean retryable() {
            return retryable;
        }

        public boolean notFound() {
            return status == 404;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json;
    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final String bucket;
    private final int maxAttempts;
    private final Duration baseDelay;

    /**
     * @param endpoint    {@code https://s3vectors.<region>.api.aws}, or a local server
     * @param maxAttempts tries per call (1: no retry)
     * @param baseDelay   the first retry's wait; each next one doubles, up to 5 s, with jitter
     */
    public S3VectorsApi(ObjectMapper json, URI endpoint, String region, AwsCredentialsProvider credentials,
                        String bucket, int maxAttempts, Duration baseDelay) {
        this.json = json;
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.region = Objects.requireNonNull(region, "region");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.bucket = Objects.requireNonNull(bucket, "vector bucket");
        this.maxAttempts = Math.max(1, maxAttempts);
        this.baseDelay = baseDelay;
    }

    public String bucket() {
        return bucket;
    }

    /** The index's dimension, or -1 when there is no such index. */
    public int indexDimension(String index) {
        try {
            return call("GetIndex", request(index)).path("index").path("dimension").asInt(-1);
        } catch (Failure e) {
            if (e.notFound()) {
                return -1;
            }
            throw e;
        }
    }

    /** Creates a cosine float32 index; one that appeared meanwhile (409) is fine. */
    public void createIndex(String index, int dimension) {
        ObjectNode body = request(index).put("dataType", "float32").put("dimension", dimension)
                .put("distanceMetric", "cosine");
        try {
            call("CreateIndex", body);
        } catch (Failure e) {
            if (e.status() != 409) {
                throw e;
            }
        }
    }

    /** One stored vector: its key, values and filterable metadata. */
    public record Item(String key, float[] data, Map<String, Object> metadata) {
    }

    /** Up to {@value #MAX_PUT} vectors; an existing key is replaced, metadata included. */
    public void putVectors(String index, List<Item> items) {
        require(items.size() <= MAX_PUT, "at most " + MAX_PUT + " vectors per PutVectors");
        ObjectNode body = request(index);
        ArrayNode vectors = body.putArray("vectors");
        for (Item item : items) {
            ObjectNode v = vectors.addObject().put("key", item.key());
            ArrayNode values = v.putObject("data").putArray("float32");
            for (float x : item.data()) {
                values.add(x);
            }
            v.set("metadata", json.valueToTree(item.metadata()));
        }
        rejectPartial("PutVectors", call("PutVectors", body));
    }

    /** Up to {@value #MAX_PUT} keys; absent keys are fine. */
    public void deleteVectors(String index, List<String> keys) {
        require(keys.size() <= MAX_PUT, "at most " + MAX_PUT + " keys per DeleteVectors");
        ObjectNode body = request(index);
        keys.forEach(body.putArray("keys")::add);
        try {
            call("DeleteVectors", body); // a local server lists absent keys as errors: nothing to delete there
        } catch (Failure e) {
            if (!e.notFound()) {
                throw e;
            }
        }
    }

    /** The stored vectors among up to {@value #MAX_GET} keys (absent keys are left out). */
    public List<Item> getVectors(String index, List<String> keys, boolean data) {
        require(keys.size() <= MAX_GET, "at most " + MAX_GET + " keys per GetVectors");
        ObjectNode body = request(index).put("returnData", data).put("returnMetadata", true);
        keys.forEach(body.putArray("keys")::add);
        return items(call("GetVectors", body).path("vectors"));
    }

    /** A hit: key, cosine distance (1 − cosine), metadata. */
    public record Hit(String key, double distance, Map<String, Object> metadata) {
    }

    /** The {@code topK} nearest keys passing {@code filter} (null: any), nearest first. */
    public List<Hit> query(String index, float[] vector, int topK, JsonNode filter) {
        require(topK >= 1 && topK <= MAX_TOP_K, "topK must be between 1 and " + MAX_TOP_K);
        ObjectNode body = request(index).put("topK", topK).put("returnDistance", true).put("returnMetadata", true);
        ArrayNode values = body.putObject("queryVector").putArray("float32");
        for (float x : vector) {
            values.add(x);
        }
        if (filter != null) {
            body.set("filter", filter);
        }
        List<Hit> hits = new java.util.ArrayList<>();
        for (JsonNode v : call("QueryVectors", body).path("vectors")) {
            hits.add(new Hit(v.path("key").asText(), v.path("distance").asDouble(), metadata(v)));
        }
        return hits;
    }

    /** One page of a listing, and the token of the next (null at the end). */
    public record Page(List<Item> items, String next) {
    }

    /**
     * A page of the index's vectors (in no particular order), optionally one segment of
     * {@code segments} so that several workers can list in parallel.
     */
    public Page list(String index, String token, boolean data, int segment, int segments) {
        ObjectNode body = request(index).put("maxResults", 500).put("returnData", data).put("returnMetadata", true);
        if (segments > 1) {
            body.put("segmentCount", segments).put("segmentIndex", segment);
        }
        if (token != null) {
            body.put("nextToken", token);
        }
        JsonNode answer = call("ListVectors", body);
        String next = answer.path("nextToken").asText(null);
        return new Page(items(answer.path("vectors")), next == null || next.isEmpty() ? null : next);
    }

    private List<Item> items(JsonNode vectors) {
        List<Item> out = new java.util.ArrayList<>();
        for (JsonNode v : vectors) {
            JsonNode values = v.path("data").path("float32");
            float[] data = null;
            if (values.isArray()) {
                data = new float[values.size()];
                for (int d = 0; d < data.length; d++) {
                    data[d] = (float) values.get(d).asDouble();
                }
            }
            out.add(new Item(v.path("key").asText(), data, metadata(v)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> metadata(JsonNode v) {
        JsonNode m = v.path("metadata");
        return m.isObject() ? json.convertValue(m, Map.class) : Map.of();
    }

    private ObjectNode request(String index) {
        return json.createObjectNode().put("vectorBucketName", bucket).put("indexName", index);
    }

    /** The service reports a vector it could not write as a whole-request error; a local server lists it instead. */
    private static void rejectPartial(String operation, JsonNode answer) {
        JsonNode failed = answer.path("errorVectorKeys");
        if (failed.isArray() && !failed.isEmpty()) {
            throw new Failure(operation, 400, "ValidationException", "vectors not accepted: " + failed, false);
        }
    }

    private JsonNode call(String operation, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Failure last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                HttpResponse<byte[]> response = http.send(signed(operation, bytes), HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return response.body().length == 0 ? json.createObjectNode() : json.readTree(response.body());
                }
                last = failure(operation, status, response);
            } catch (IOException e) {
                last = new Failure(operation, 0, "", "cannot reach " + endpoint + " (" + e.getMessage() + ")", true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure(operation, 0, "", "interrupted", true);
            }
            if (!last.retryable() || attempt == maxAttempts) {
                break;
            }
            long wait = Math.min(5_000, baseDelay.toMillis() << (attempt - 1));
            LOG.debugf("%s: %s; try %d of %d in %d ms", operation, last.getMessage(), attempt + 1, maxAttempts, wait);
            sleep(wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1));
        }
        throw last;
    }

    private Failure failure(String operation, int status, HttpResponse<byte[]> response) {
        String code = response.headers().firstValue("x-amzn-errortype").orElse("").split(":")[0];
        String text = new String(response.body(), StandardCharsets.UTF_8);
        String message = text;
        try {
            JsonNode node = json.readTree(text);
            message = node.path("message").asText(node.path("Message").asText(text));
        } catch (IOException notJson) {
            // an S3-style XML error body: keep it as it is, shortened
        }
        if (message.length() > 300) {
            message = message.substring(0, 300) + "…";
        }
        boolean retryable = status == 429 || status >= 500 || code.contains("TooManyRequests")
                || code.contains("ServiceUnavailable");
        return new Failure(operation, status, code, message, retryable);
    }

    private HttpRequest signed(String operation, byte[] body) {
        URI uri = endpoint.resolve("/" + operation);
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", Integer.toString(body.length)).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3vectors")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder out = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        // Host and Content-Length are the JDK client's own (restricted) headers; they carry the same values.
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> out.header(name, v));
            }
        });
        return out.build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
