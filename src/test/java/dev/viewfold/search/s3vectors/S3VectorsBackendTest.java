package dev.viewfold.search.s3vectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.viewfold.errors.Refused;
import dev.viewfold.search.IndexEntry;
import dev.viewfold.search.Metric;
import dev.viewfold.search.Neighbour;
import dev.viewfold.search.SearchBackend;
import dev.viewfold.search.SearchFilter;
import dev.viewfold.search.Target;
import dev.viewfold.search.memory.SearchIndex;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.store.sqlite.SqliteVectorTable;
import dev.viewfold.testing.LocalS3Vectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The s3vectors backend against LocalS3 (a real server of the API, exact search) with writes
 * flowing through the indexed table, checked against the in-process exact scan over the same rows:
 * the same ids and scores within 1e-5, filters included; deletes and re-puts; sharded image
 * indexes; throttled calls retried; writes that fail for good marked and mended by the repair.
 */
class S3VectorsBackendTest {

    static final String SPACE = "test-model@000000000000";
    static final int DIM = 48;

    @TempDir
    Path dir;

    final ObjectMapper json = new ObjectMapper();
    final LocalS3Vectors server = new LocalS3Vectors();
    URI local;
    Proxy proxy;
    SqliteVectorTable sqlite;

    @BeforeEach
    void start() throws IOException {
        local = server.startServer();
        proxy = new Proxy(local);
        sqlite = new SqliteVectorTable(dir.resolve("data"));
    }

    @AfterEach
    void stop() {
        proxy.stop();
        server.stopServer();
        sqlite.close();
    }

    record Setup(IndexedVectorTable table, S3VectorsBackend backend, VectorIndexWriter writer,
                 PendingIndexWrites pending) {
    }

    Setup setup(int shards, int attempts) {
        S3VectorsApi api = new S3VectorsApi(json, proxy.uri(), "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")), LocalS3Vectors.BUCKET,
                attempts, Duration.ofMillis(5));
        IndexNames names = new IndexNames("t" + shards, shards, SPACE);
        PendingIndexWrites pending = new PendingIndexWrites(new LocalObjectStore(dir.resolve("bucket")), json);
        VectorIndexWriter writer = new VectorIndexWriter(api, names, pending);
        IndexedVectorTable table = new IndexedVectorTable(sqlite, writer);
        return new Setup(table, new S3VectorsBackend(api, names, SPACE, () -> DIM, table, json), writer, pending);
    }

    /** 40 observations of 6 views around their own direction, in 5 clusters, some labelled. */
    static Map<String, List<ImageRow>> collection(Random r, Instant now) {
        Map<String, List<ImageRow>> out = new HashMap<>();
        for (int o = 0; o < 40; o++) {
            float[] centre = unit(r, null, 0);
            List<ImageRow> views = new ArrayList<>();
            for (int v = 0; v < 6; v++) {
                String id = "file:/photos/o" + o + "/" + v + ".jpg";
                views.add(new ImageRow(id, SPACE, "o" + o, Integer.toString(v), RowStatus.OK, null, "h" + o + v,
                        unit(r, centre, 0.4f), now, now, null, o % 3 == 0 ? Set.of("mug") : o % 3 == 1 ? Set.of("cup", "red") : Set.of()));
            }
            out.put("o" + o, views);
        }
        return out;
    }

    static float[] unit(Random r, float[] around, float noise) {
        float[] v = new float[DIM];
        double n = 0;
        for (int d = 0; d < DIM; d++) {
            v[d] = (around == null ? 0 : around[d]) + (float) r.nextGaussian() * (around == null ? 1 : noise);
            n += v[d] * v[d];
        }
        for (int d = 0; d < DIM; d++) {
            v[d] /= (float) Math.sqrt(n);
        }
        return v;
    }

    /** Writes images, folds (mean of the views) and placements through the indexed table. */
    static void write(IndexedVectorTable table, Map<String, List<ImageRow>> collection, Instant now) {
        Map<String, ObservationRow.Placement> placements = new HashMap<>();
        for (var e : collection.entrySet()) {
            table.putImages(e.getValue());
            float[] mean = new float[DIM];
            for (ImageRow v : e.getValue()) {
                for (int d = 0; d < DIM; d++) {
                    mean[d] += v.vector()[d];
                }
            }
            double n = 0;
            for (float x : mean) {
                n += x * x;
            }
            for (int d = 0; d < DIM; d++) {
                mean[d] /= (float) Math.sqrt(n);
            }
            table.putObservation(new ObservationRow(e.getKey(), SPACE, RowStatus.OK, null, mean, "mean", List.of(), 0, "",
                    1, e.getValue().get(0).labels(), null, now));
            int number = Integer.parseInt(e.getKey().substring(1)) % 5;
            placements.put(e.getKey(), new ObservationRow.Placement(number == 4 ? null : "c" + number, 1, 0, 0, 0, "r1"));
        }
        table.putPlacements(SPACE, placements, now.plusSeconds(1));
    }

    /** The oracle: the in-process index over what the table holds, scanned exactly. */
    SearchIndex oracle(Target target) {
        SearchIndex index = new SearchIndex(SPACE, DIM, new SearchIndex.Settings(Integer.MAX_VALUE, 16, 100, 48, 42));
        if (target == Target.IMAGES) {
            sqlite.forEachImage(SPACE, r -> {
                if (r.isOk()) {
                    index.upsert(new IndexEntry(r.imageId(), r.observationId(), null, r.labels(), r.updatedAt()), r.vector());
                }
            });
        } else {
            sqlite.forEachObservationSince(SPACE, Instant.EPOCH, r -> index.upsert(
                    new IndexEntry(r.observationId(), r.observationId(), r.clusterId(), r.labels(), r.updatedAt()), r.vector()));
        }
        return index;
    }

    static void assertSameHits(List<Neighbour> expected, List<Neighbour> got, String what) {
        assertEquals(expected.stream().map(n -> n.entry().id()).toList(), got.stream().map(n -> n.entry().id()).toList(), what);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).score(), got.get(i).score(), 1e-5, what + " score " + i);
            assertEquals(expected.get(i).distance(), got.get(i).distance(), 1e-5, what + " distance " + i);
        }
    }

    void assertAnswersAsTheExactScan(SearchBackend backend, Random r) {
        List<SearchFilter> filters = List.of(SearchFilter.NONE,
                new SearchFilter(Set.of("c1", "c3"), Set.of(), null, null),
                new SearchFilter(Set.of(), Set.of("red", "mug"), null, null),
                new SearchFilter(Set.of(), Set.of(), "o7", null),
                new SearchFilter(Set.of("c2"), Set.of("cup"), "o2", 0.2f));
        for (Target target : Target.values()) {
            SearchIndex oracle = oracle(target);
            for (int q = 0; q < 6; q++) {
                float[] query = unit(r, null, 0);
                for (int i = 0; i < query.length; i++) {
                    query[i] *= q % 2 == 0 ? 1 : 2.5f; // a vector of any length, as a request may send
                }
                for (SearchFilter f : filters) {
                    for (Metric metric : Metric.values()) {
                        var want = oracle.search(query, 10, metric, f, SearchBackend.Mode.EXACT).neighbours();
                        var got = backend.search(target, query, 10, metric, f, SearchBackend.Mode.AUTO);
                        assertTrue(got.approximate());
                        assertSameHits(want, got.neighbours(), target + " " + f + " " + metric);
                    }
                }
            }
        }
    }

    @Test
    void answersEqualTheExactScanWithEveryFilterAndMetric() {
        Setup s = setup(1, 3);
        Random r = new Random(1);
        write(s.table(), collection(r, Instant.parse("2026-12-01T00:00:00Z")), Instant.parse("2026-12-01T00:00:00Z"));
        assertAnswersAsTheExactScan(s.backend(), r);

        assertEquals(240, s.backend().size(Target.IMAGES));
        IndexEntry entry = s.backend().entry(Target.OBSERVATIONS, "o1").orElseThrow();
        assertEquals("c1", entry.clusterId());
        assertEquals(Set.of("cup", "red"), entry.labels());
        assertEquals(sqlite.findObservation(SPACE, "o1").orElseThrow().vector()[5],
                s.backend().vector(Target.OBSERVATIONS, "o1").orElseThrow()[5], 0f);
        float[] near = sqlite.findImage(SPACE, "file:/photos/o3/4.jpg").orElseThrow().vector();
        assertEquals("file:/photos/o3/4.jpg", s.backend().bestView("o3", near).orElseThrow());
        int[] visited = {0};
        s.backend().forEach(Target.IMAGES, (e, v) -> visited[0] += v.length == DIM ? 1 : 0);
        assertEquals(240, visited[0]);
    }

    @Test
    void deletesRelabelsAndFailedRowsFollowTheTable() {
        Setup s = setup(1, 3);
        Random r = new Random(2);
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        var collection = collection(r, now);
        write(s.table(), collection, now);
        s.table().deleteImage(SPACE, "file:/photos/o5/0.jpg");
        ImageRow relabelled = collection.get("o6").get(1);
        s.table().putImages(List.of(new ImageRow(relabelled.imageId(), SPACE, "o6", "1", RowStatus.OK, null, "h", relabelled.vector(),
                now, now.plusSeconds(5), null, Set.of("teapot"))));
        s.table().putImages(List.of(ImageRow.failed("file:/photos/o8/2.jpg", SPACE, "o8", "2", "h", "corrupt JPEG", now.plusSeconds(6))));
        s.table().putPlacements(SPACE, Map.of("o9", new ObservationRow.Placement("c9", 1, 0, 0, 0, "r2")), now.plusSeconds(7));
        assertTrue(s.backend().entry(Target.IMAGES, "file:/photos/o5/0.jpg").isEmpty());
        assertTrue(s.backend().entry(Target.IMAGES, "file:/photos/o8/2.jpg").isEmpty(), "a failed row leaves the index");
        assertEquals(Set.of("teapot"), s.backend().entry(Target.IMAGES, relabelled.imageId()).orElseThrow().labels());
        assertEquals("c9", s.backend().entry(Target.OBSERVATIONS, "o9").orElseThrow().clusterId());
        assertAnswersAsTheExactScan(s.backend(), r);
    }

    /** A stream batch's folds, written together, reach the index with their row's labels and placement. */
    @Test
    void foldsWrittenTogetherReachTheIndex() {
        Setup s = setup(1, 3);
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        write(s.table(), collection(new Random(3), now), now);
        s.table().deleteImage(SPACE, "file:/photos/o5/0.jpg");
        s.table().deleteImage(SPACE, "file:/photos/o6/0.jpg");
        var aggregator = new dev.viewfold.aggregate.Aggregator(s.table(), new dev.viewfold.aggregate.FoldStrategies(
                List.of(new dev.viewfold.aggregate.MeanStrategy()), "mean"), java.time.Clock.fixed(now.plusSeconds(10),
                java.time.ZoneOffset.UTC));
        var batch = aggregator.aggregateAll(List.of(new dev.viewfold.aggregate.Aggregator.Touched(SPACE, "o5", null, 0),
                        new dev.viewfold.aggregate.Aggregator.Touched(SPACE, "o6", null, 0)),
                new dev.viewfold.store.RowsChanged(List.of(), List.of()));
        assertEquals(2, batch.orThrow().size());
        for (String o : List.of("o5", "o6")) {
            ObservationRow row = sqlite.findObservation(SPACE, o).orElseThrow();
            assertEquals(5, row.viewCount());
            org.junit.jupiter.api.Assertions.assertArrayEquals(row.vector(),
                    s.backend().vector(Target.OBSERVATIONS, o).orElseThrow(), 0f, o);
            IndexEntry entry = s.backend().entry(Target.OBSERVATIONS, o).orElseThrow();
            assertEquals(o.equals("o5") ? "c0" : "c1", entry.clusterId());
            assertEquals(row.labels(), entry.labels());
        }
    }

    @Test
    void shardedImageIndexesAnswerAsOne() {
        Setup s = setup(3, 3);
        Random r = new Random(3);
        write(s.table(), collection(r, Instant.parse("2026-12-01T00:00:00Z")), Instant.parse("2026-12-01T00:00:00Z"));
        assertEquals(3, s.writer().names().images(SPACE).size());
        assertAnswersAsTheExactScan(s.backend(), r);
        assertTrue(s.backend().entry(Target.IMAGES, "file:/photos/o11/3.jpg").isPresent());
    }

    @Test
    void throttledCallsAreRetriedAndWritesThatFailForGoodAreMendedByTheRepair() throws IOException {
        Setup s = setup(1, 4);
        Random r = new Random(4);
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        proxy.refuseEvery(3); // every third call answered 429, as an index over its write rate is
        write(s.table(), collection(r, now), now);
        assertTrue(proxy.refused.get() > 10, "the proxy refused " + proxy.refused.get() + " calls");
        assertTrue(s.pending().all().isEmpty(), "every refused call went through on a later try");
        assertAnswersAsTheExactScan(s.backend(), r);

        // The service down for longer than the retries: the table takes the writes, the index does not.
        proxy.down(true);
        var more = new HashMap<String, List<ImageRow>>();
        more.put("o40", collection(new Random(5), now).get("o1").stream().map(v -> new ImageRow(v.imageId().replace("/o1/", "/o40/"),
                SPACE, "o40", v.viewId(), RowStatus.OK, null, v.contentHash(), v.vector(), now, now, null, Set.of())).toList());
        write(s.table(), more, now.plusSeconds(10));
        s.table().deleteImage(SPACE, "file:/photos/o2/0.jpg");
        assertTrue(sqlite.findImage(SPACE, "file:/photos/o40/0.jpg").isPresent(), "the table has the row");
        assertTrue(s.pending().all().size() >= 7, "6 images, the fold (and more) marked: " + s.pending().all().size());
        proxy.down(false);
        assertTrue(s.backend().entry(Target.IMAGES, "file:/photos/o40/0.jpg").isEmpty(), "not in the index yet");

        VectorIndexRepair repair = new VectorIndexRepair(s.table(), s.writer(), s.pending());
        assertTrue(repair.pending() >= 7);
        assertTrue(s.pending().all().isEmpty());
        assertTrue(s.backend().entry(Target.IMAGES, "file:/photos/o40/0.jpg").isPresent());
        assertTrue(s.backend().entry(Target.IMAGES, "file:/photos/o2/0.jpg").isEmpty(), "the delete followed too");
        assertAnswersAsTheExactScan(s.backend(), r);

        // Drift no marker knows of: an item gone, a stale one, an extra one. The full pass finds all three.
        S3VectorsApi api = s.writer().api();
        String images = s.writer().names().images(SPACE).get(0);
        api.deleteVectors(images, List.of("file:/photos/o3/1.jpg"));
        api.putVectors(images, List.of(new S3VectorsApi.Item("file:/photos/o4/1.jpg", unit(r, null, 0), Map.of("observation", "o4")),
                new S3VectorsApi.Item("file:/photos/gone.jpg", unit(r, null, 0), Map.of("observation", "o99"))));
        assertEquals(3, repair.full(SPACE));
        assertEquals(0, repair.full(SPACE), "level now");
        assertAnswersAsTheExactScan(s.backend(), r);
    }

    @Test
    void whatTheServiceCannotDoIsRefusedInWords() {
        Setup s = setup(1, 1);
        float[] q = unit(new Random(6), null, 0);
        Refused k = assertThrows(Refused.class, () -> s.backend().search(Target.IMAGES, q, 101, Metric.COSINE,
                SearchFilter.NONE, SearchBackend.Mode.AUTO));
        assertTrue(k.getMessage().contains("at most 100"), k.getMessage());
        Refused exact = assertThrows(Refused.class, () -> s.backend().search(Target.IMAGES, q, 5, Metric.COSINE,
                SearchFilter.NONE, SearchBackend.Mode.EXACT));
        assertTrue(exact.getMessage().contains("cannot force an exact scan"), exact.getMessage());
        assertEquals(List.of(), s.backend().search(Target.IMAGES, q, 5, Metric.COSINE, SearchFilter.NONE,
                SearchBackend.Mode.AUTO).neighbours(), "an index never written holds nothing");
    }

    /** A pass-through in front of LocalS3 that can answer 429 to every n-th call, or 503 to all. */
    static final class Proxy {
        final HttpServer server;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        volatile int every;
        volatile boolean down;
        final HttpClient client = HttpClient.newHttpClient();

        Proxy(URI target) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                int n = calls.incrementAndGet();
                if (down || every > 0 && n % every == 0) {
                    refused.incrementAndGet();
                    byte[] msg = "{\"message\":\"slow down\"}".getBytes();
                    exchange.getResponseHeaders().add("x-amzn-ErrorType", down ? "ServiceUnavailableException" : "TooManyRequestsException");
                    exchange.sendResponseHeaders(down ? 503 : 429, msg.length);
                    exchange.getResponseBody().write(msg);
                    exchange.close();
                    return;
                }
                try {
                    HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().getPath()))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    r.headers().firstValue("x-amzn-errortype").ifPresent(v -> exchange.getResponseHeaders().add("x-amzn-ErrorType", v));
                    exchange.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                    exchange.getResponseBody().write(r.body());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(500, -1);
                }
                exchange.close();
            });
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        void refuseEvery(int n) {
            every = n;
        }

        void down(boolean d) {
            down = d;
            every = 0;
        }

        void stop() {
            server.stop(0);
        }
    }
}
