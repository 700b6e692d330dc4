package dev.viewfold.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.encode.DecodedImage;
import dev.viewfold.encode.ImageDecoder;
import dev.viewfold.encode.ModelSpace;
import dev.viewfold.encode.ModelSpec;
import dev.viewfold.encode.OnnxEmbeddingModel;
import dev.viewfold.encode.Orientation;
import dev.viewfold.encode.Preprocessor;
import dev.viewfold.math.DotKernels;
import dev.viewfold.math.Vectors;
import dev.viewfold.search.IndexEntry;
import dev.viewfold.search.Metric;
import dev.viewfold.search.Neighbour;
import dev.viewfold.search.Npy;
import dev.viewfold.search.SearchFilter;
import dev.viewfold.search.SearchBackend.Mode;
import dev.viewfold.search.memory.SearchIndex;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.sqlite.SqliteVectorTable;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Search over 100k+ real embeddings: the four photo datasets, each image in its eight orientations
 * and two crops (MobileNetV2-int8, 1280-d), queries from a further crop of 1,000 images that are
 * never in the index. Exact latency against faiss IndexFlatIP and a numpy scan, the graph's recall
 * and queries/s against hnswlib (same M and ef_construction, one thread each), and HTTP at
 * concurrency 8 on loopback against a running {@code serve}.
 *
 * <p>{@code ./mvnw -q -Pbench verify -Dbench=SearchBench -Dbench.jvm="--add-modules jdk.incubator.vector -Xmx12g"}
 */
public final class SearchBench {

    static final String[] DATASETS = {"coil100", "caltech101", "flowers12", "orl_faces"};
    static final int VARIANTS = 10;
    static final int QUERIES = 1_000;
    static final int K = 10;
    static final int M = 16;
    static final int EF_CONSTRUCTION = 100;
    static final int[] EFS = {10, 16, 24, 32, 48, 64, 96};
    static final Path DIR = Path.of("target/bench-data/search");

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(System.getProperty("shared.root", "../shared")).toAbsolutePath().normalize();
        Files.createDirectories(DIR);
        if (!Files.exists(DIR.resolve("queries.npy"))) {
            encodeCorpus(shared);
        }
        float[][] corpus = Npy.readFloats(DIR.resolve("corpus.npy"));
        float[][] queries = Npy.readFloats(DIR.resolve("queries.npy"));
        int dim = corpus[0].length;
        System.out.printf(Locale.ROOT, "corpus %,d × %d (4 datasets × %d variants), %,d held-out queries; inner product: %s%n",
                corpus.length, dim, VARIANTS, queries.length, DotKernels.best().name());

        // Exact scan, one thread.
        SearchIndex exact = new SearchIndex("bench", dim, new SearchIndex.Settings(Integer.MAX_VALUE, M, EF_CONSTRUCTION, 48, 42));
        for (int i = 0; i < corpus.length; i++) {
            exact.upsert(new IndexEntry(Integer.toString(i), "o" + i / VARIANTS, null, Set.of(), Instant.EPOCH), corpus[i]);
        }
        int[][] truth = new int[queries.length][];
        for (int q = 0; q < queries.length; q++) {
            truth[q] = ids(exact.search(queries[q], K, Metric.COSINE, SearchFilter.NONE, Mode.EXACT));
        }
        Npy.writeLongs(DIR.resolve("truth.npy"), truth);
        double[] exactMs = latency(q -> exact.search(queries[q], K, Metric.COSINE, SearchFilter.NONE, Mode.EXACT), 300);

        // The graph, built on one thread.
        // The graph starts building in the background once the last row is in; timed to the end.
        SearchIndex graph = new SearchIndex("bench", dim, new SearchIndex.Settings(corpus.length, M, EF_CONSTRUCTION, 48, 42));
        long t0 = System.nanoTime();
        for (int i = 0; i < corpus.length; i++) {
            graph.upsert(new IndexEntry(Integer.toString(i), "o" + i / VARIANTS, null, Set.of(), Instant.EPOCH), corpus[i]);
        }
        graph.buildGraphNow();
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        List<double[]> sweep = new ArrayList<>();
        for (int ef : EFS) {
            for (int q = 0; q < 100; q++) {
                graph.search(queries[q], K, Metric.COSINE, SearchFilter.NONE, Mode.APPROXIMATE, ef);
            }
            int found = 0;
            long s = System.nanoTime();
            int[][] got = new int[queries.length][];
            for (int q = 0; q < queries.length; q++) {
                got[q] = ids(graph.search(queries[q], K, Metric.COSINE, SearchFilter.NONE, Mode.APPROXIMATE, ef));
            }
            double seconds = (System.nanoTime() - s) / 1e9;
            for (int q = 0; q < queries.length; q++) {
                found += overlap(got[q], truth[q]);
            }
            sweep.add(new double[] {ef, found / (double) (K * queries.length), queries.length / seconds});
        }

        // Peers on the same vectors.
        List<JsonNode> peers = peers();

        System.out.println();
        System.out.println("Exact top-10, one query at a time, one thread");
        System.out.println("| engine | mean ms | p50 ms |");
        System.out.println("|---|---:|---:|");
        System.out.printf(Locale.ROOT, "| Viewfold exact scan (%s) | %.2f | %.2f |%n", DotKernels.best().name(), exactMs[0], exactMs[1]);
        double faiss = Double.NaN;
        for (JsonNode p : peers) {
            if (p.path("kind").asText().equals("exact")) {
                System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f |%n", p.path("peer").asText(), p.path("mean_ms").asDouble(),
                        p.path("p50_ms").asDouble());
                if (p.path("peer").asText().startsWith("faiss")) {
                    faiss = p.path("mean_ms").asDouble();
                }
            }
        }
        System.out.printf(Locale.ROOT, "Viewfold / faiss flat: %.2f× the time (acceptance: ≤ 1.2×)%n", exactMs[0] / faiss);

        System.out.println();
        System.out.printf(Locale.ROOT, "Approximate top-10 (M %d, ef_construction %d, one thread); recall against the exact scan%n",
                M, EF_CONSTRUCTION);
        System.out.println("| engine | ef | recall@10 | queries/s |");
        System.out.println("|---|---:|---:|---:|");
        for (double[] r : sweep) {
            System.out.printf(Locale.ROOT, "| Viewfold HNSW | %d | %.4f | %.0f |%n", (int) r[0], r[1], r[2]);
        }
        double hnswBuild = Double.NaN;
        List<double[]> peerSweep = new ArrayList<>();
        for (JsonNode p : peers) {
            if (p.path("kind").asText().equals("approximate")) {
                System.out.printf(Locale.ROOT, "| hnswlib | %d | %.4f | %.0f |%n", p.path("ef").asInt(), p.path("recall").asDouble(),
                        p.path("qps").asDouble());
                peerSweep.add(new double[] {p.path("ef").asInt(), p.path("recall").asDouble(), p.path("qps").asDouble()});
            } else if (p.path("kind").asText().equals("build")) {
                hnswBuild = p.path("seconds").asDouble();
            }
        }
        System.out.printf(Locale.ROOT, "build, one thread: Viewfold %.1f s, hnswlib %.1f s%n", buildSeconds, hnswBuild);
        double ours = atRecall(sweep, 0.95);
        double theirs = atRecall(peerSweep, 0.95);
        System.out.printf(Locale.ROOT, "queries/s at recall@10 ≥ 0.95: Viewfold %.0f, hnswlib %.0f (%.2f×; acceptance ≥ 1×)%n",
                ours, theirs, ours / theirs);

        if (!Set.of(args).contains("--no-http")) {
            http(shared, corpus, queries);
        }
    }

    /** The highest queries/s among settings that reach the recall. */
    static double atRecall(List<double[]> sweep, double recall) {
        return sweep.stream().filter(r -> r[1] >= recall).mapToDouble(r -> r[2]).max().orElse(Double.NaN);
    }

    interface Query {
        void run(int q);
    }

    /** Mean and median of single-query latency in ms, after a warm-up. */
    static double[] latency(Query query, int n) {
        for (int q = 0; q < 50; q++) {
            query.run(q);
        }
        double[] ms = new double[n];
        for (int q = 0; q < n; q++) {
            long s = System.nanoTime();
            query.run(q);
            ms[q] = (System.nanoTime() - s) / 1e6;
        }
        double mean = Arrays.stream(ms).average().orElse(0);
        Arrays.sort(ms);
        return new double[] {mean, ms[n / 2]};
    }

    static int[] ids(dev.viewfold.search.SearchBackend.Found found) {
        List<Neighbour> hits = found.neighbours();
        return hits.stream().mapToInt(h -> Integer.parseInt(h.entry().id())).toArray();
    }

    static int overlap(int[] a, int[] b) {
        Set<Integer> s = new HashSet<>();
        for (int x : b) {
            s.add(x);
        }
        int n = 0;
        for (int x : a) {
            n += s.contains(x) ? 1 : 0;
        }
        return n;
    }

    static List<JsonNode> peers() throws IOException, InterruptedException {
        String efs = String.join(",", Arrays.stream(EFS).mapToObj(Integer::toString).toList());
        Process p = new ProcessBuilder("/usr/bin/python3", "src/bench/peers/search_peers.py", DIR.toString(),
                Integer.toString(M), Integer.toString(EF_CONSTRUCTION), efs).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<JsonNode> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.add(json.readTree(line));
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("search_peers.py failed (apt-get install python3-faiss python3-hnswlib)");
        }
        return out;
    }

    // --- HTTP at concurrency 8 against `serve` ---

    static void http(Path shared, float[][] corpus, float[][] queries) throws Exception {
        ModelSpec spec = Embeddings.mobilenet(shared);
        String space = ModelSpace.of(spec);
        Path data = DIR.resolve("data").toAbsolutePath();
        try (SqliteVectorTable table = new SqliteVectorTable(data)) {
            if (table.stats(space).images() != corpus.length) {
                System.err.println("writing the corpus into " + data + " ...");
                Instant now = Instant.now();
                List<ImageRow> batch = new ArrayList<>();
                for (int i = 0; i < corpus.length; i++) {
                    batch.add(ImageRow.ok("bench:" + i, space, "o" + i / VARIANTS, Integer.toString(i % VARIANTS), "h" + i,
                            corpus[i], now));
                    if (batch.size() == 2_000 || i == corpus.length - 1) {
                        table.putImages(batch);
                        batch.clear();
                    }
                }
            }
        }
        String jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString();
        List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xmx8g", "-jar", jar);
        long t0 = System.nanoTime();
        run(java, data, "index");
        System.out.printf(Locale.ROOT, "%nindex command (table → both indexes, graph, snapshots): %.1f s%n", (System.nanoTime() - t0) / 1e9);
        List<String> serve = new ArrayList<>(java);
        serve.add("serve");
        ProcessBuilder pb = new ProcessBuilder(serve).redirectErrorStream(true);
        env(pb, data);
        Process server = pb.start();
        try {
            t0 = System.nanoTime();
            drainUntil(server.getInputStream(), "serving on");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://127.0.0.1:18089/search");
            String[] bodies = new String[queries.length];
            for (int q = 0; q < queries.length; q++) {
                StringBuilder b = new StringBuilder("{\"vector\":[");
                for (int j = 0; j < queries[q].length; j++) {
                    b.append(j == 0 ? "" : ",").append(queries[q][j]);
                }
                bodies[q] = b.append("],\"k\":10,\"target\":\"images\"}").toString();
            }
            // The first request loads the index from its snapshot.
            HttpResponse<String> first = client.send(post(uri, bodies[0]), HttpResponse.BodyHandlers.ofString());
            System.out.printf(Locale.ROOT, "serve: up and first answer (snapshot loaded) after %.1f s: %s%n",
                    (System.nanoTime() - t0) / 1e9, first.body().substring(0, Math.min(120, first.body().length())));
            load(client, uri, bodies, 8, 5); // warm-up
            double[] r = load(client, uri, bodies, 8, 20);
            System.out.println();
            System.out.println("HTTP POST /search (vector, k 10, target images), loopback, concurrency 8, 20 s");
            System.out.println("| rows | requests/s | p50 ms | p99 ms | errors |");
            System.out.println("|---:|---:|---:|---:|---:|");
            System.out.printf(Locale.ROOT, "| %,d | %.0f | %.2f | %.2f | %d |%n", corpus.length, r[0], r[1], r[2], (long) r[3]);
            System.out.printf(Locale.ROOT, "acceptance: p99 ≤ 50 ms: %s%n", r[2] <= 50 ? "yes" : "NO");
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static void env(ProcessBuilder pb, Path data) {
        pb.environment().put("VIEWFOLD_DATA", data.toString());
        pb.environment().put("VIEWFOLD_PORT", "18089");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("VIEWFOLD_MODEL", Embeddings.mobilenet(
                Path.of(System.getProperty("shared.root", "../shared")).toAbsolutePath().normalize()).path().toString());
    }

    static void run(List<String> java, Path data, String command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(java);
        cmd.add(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        env(pb, data);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
        System.err.print(out);
    }

    static void drainUntil(InputStream in, String marker) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
            System.err.println("serve| " + line);
            if (line.contains(marker)) {
                Thread t = new Thread(() -> {
                    try {
                        while (r.readLine() != null) {
                            // keep the pipe from filling
                        }
                    } catch (IOException ignored) {
                        // the server stopped
                    }
                });
                t.setDaemon(true);
                t.start();
                return;
            }
        }
        throw new IllegalStateException("serve stopped before it was ready");
    }

    static HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Closed loop: {@code concurrency} clients, each sending its next request when the last is answered. */
    static double[] load(HttpClient client, URI uri, String[] bodies, int concurrency, int seconds) throws InterruptedException {
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        long[] errors = new long[1];
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int c = 0; c < concurrency; c++) {
            int seed = c;
            new Thread(() -> {
                Random random = new Random(seed);
                while (!stop.get()) {
                    long s = System.nanoTime();
                    try {
                        HttpResponse<String> r = client.send(post(uri, bodies[random.nextInt(bodies.length)]),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            synchronized (errors) {
                                errors[0]++;
                            }
                        }
                    } catch (Exception e) {
                        synchronized (errors) {
                            errors[0]++;
                        }
                    }
                    latencies.add((System.nanoTime() - s) / 1e6);
                }
                done.countDown();
            }).start();
        }
        long started = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        done.await();
        double elapsed = (System.nanoTime() - started) / 1e9;
        double[] ms = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {ms.length / elapsed, ms[ms.length / 2], ms[(int) Math.floor(ms.length * 0.99)], errors[0]};
    }

    // --- the corpus ---

    static void encodeCorpus(Path shared) throws IOException {
        Files.createDirectories(DIR);
        ModelSpec spec = Embeddings.mobilenet(shared);
        Preprocessor pre = new Preprocessor(spec);
        ImageDecoder decoder = new ImageDecoder(50_000_000);
        List<Path> images = images(shared);
        Random random = new Random(7);
        Set<Integer> held = new HashSet<>();
        while (held.size() < QUERIES) {
            held.add(random.nextInt(images.size()));
        }
        System.err.printf("encoding %d images × %d variants (+%d queries) once into %s ...%n", images.size(), VARIANTS, QUERIES, DIR);
        List<float[]> corpus = new ArrayList<>();
        List<float[]> queries = new ArrayList<>();
        long t0 = System.nanoTime();
        try (OnnxEmbeddingModel model = new OnnxEmbeddingModel(spec)) {
            List<float[]> batch = new ArrayList<>();
            List<Boolean> isQuery = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                BufferedImage image;
                try {
                    image = decoder.decode(Files.readAllBytes(images.get(i))).pixels();
                } catch (Exception e) {
                    throw new IOException(images.get(i) + ": " + e.getMessage(), e);
                }
                for (int v = 0; v < VARIANTS; v++) {
                    batch.add(pre.toTensor(variant(image, v)));
                    isQuery.add(false);
                }
                if (held.contains(i)) {
                    batch.add(pre.toTensor(new DecodedImage(crop(image, 0.1, 0.15, 0.85), Orientation.NORMAL)));
                    isQuery.add(true);
                }
                if (batch.size() >= 32 || i == images.size() - 1) {
                    float[][] out = model.embed(batch);
                    for (int b = 0; b < out.length; b++) {
                        Vectors.normaliseInPlace(out[b]);
                        (isQuery.get(b) ? queries : corpus).add(out[b]);
                    }
                    batch.clear();
                    isQuery.clear();
                }
                if (i % 1000 == 0) {
                    System.err.printf(Locale.ROOT, "  %d/%d images, %.0f s%n", i, images.size(), (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        Npy.writeFloats(DIR.resolve("corpus.npy"), corpus);
        Npy.writeFloats(DIR.resolve("queries.npy"), queries);
    }

    /** The photos of the corpus, in its order: each dataset's labels.csv in turn. */
    static List<Path> images(Path shared) throws IOException {
        List<Path> images = new ArrayList<>();
        for (String d : DATASETS) {
            Path dir = shared.resolve("datasets").resolve(d);
            List<String> lines = Files.readAllLines(dir.resolve("labels.csv"));
            for (String line : lines.subList(1, lines.size())) {
                images.add(dir.resolve(line.split(",")[0]));
            }
        }
        return images;
    }

    /** Each corpus row's "dataset/label", in corpus.npy's order (every image × VARIANTS). */
    static List<String> corpusLabels(Path shared) throws IOException {
        List<String> out = new ArrayList<>();
        for (String d : DATASETS) {
            List<String> lines = Files.readAllLines(shared.resolve("datasets").resolve(d).resolve("labels.csv"));
            for (String line : lines.subList(1, lines.size())) {
                String label = d + "/" + line.split(",")[1];
                for (int v = 0; v < VARIANTS; v++) {
                    out.add(label);
                }
            }
        }
        return out;
    }

    /** The eight orientations of the whole image, then two crops. */
    static DecodedImage variant(BufferedImage image, int v) {
        if (v < 8) {
            return new DecodedImage(image, Orientation.values()[v]);
        }
        return new DecodedImage(v == 8 ? crop(image, 0.1, 0.1, 0.8) : crop(image, 0, 0, 0.7), Orientation.NORMAL);
    }

    static BufferedImage crop(BufferedImage image, double x, double y, double size) {
        int w = image.getWidth();
        int h = image.getHeight();
        return image.getSubimage((int) (x * w), (int) (y * h), Math.max(1, (int) (size * w)), Math.max(1, (int) (size * h)));
    }
}
