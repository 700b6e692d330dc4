package dev.viewfold.bench;

import dev.viewfold.search.Npy;
import dev.viewfold.cluster.umap.Metric;
import dev.viewfold.cluster.umap.Trustworthiness;
import dev.viewfold.cluster.umap.Umap;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * Viewfold's UMAP beside umap-learn on the same data in the same run: wall time and
 * trustworthiness (k = 15, computed here by one estimator for both outputs: all points up to
 * 10,000, else a seeded sample of 2,000 rows). umap-learn runs through
 * {@code src/bench/peers/umap_learn_peer.py} with Debian's {@code /usr/bin/python3}.
 *
 * <pre>./mvnw -q -Pbench verify -Dbench=UmapBench [-Dbench.args="fashion coil coil100k coil100k-5d peer100k"]</pre>
 *
 * Cases: {@code fashion} (Fashion-MNIST test split, 10,000 × 784 raw pixels, Euclidean),
 * {@code coil} (COIL-100 MobileNetV2 embeddings, 7,200 × 1280, cosine), {@code coil100k}
 * (those embeddings 14 times, each copy with its own small Gaussian jitter, re-normalised:
 * 100,800 × 1280; Viewfold only unless {@code peer100k} is given), {@code coil100k-5d} (the same
 * to 5-d). Option {@code nopeer} skips umap-learn everywhere.
 */
public final class UmapBench {

    private static final Path WORK = Path.of("target/umap-bench");
    private static final String PYTHON = "/usr/bin/python3";

    record Row(String dataset, int n, int dims, int out, String who, String settings, double seconds,
            double trust) {
    }

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(System.getProperty("shared.root", "../shared"));
        List<String> cases = args.length > 0 ? List.of(args) : List.of("fashion", "coil", "coil100k", "coil100k-5d");
        boolean peer = !cases.contains("nopeer");
        boolean peer100k = cases.contains("peer100k");
        Files.createDirectories(WORK);
        List<Row> rows = new ArrayList<>();
        int threads = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "UmapBench: %d cores, Java %s, cases %s%n", threads,
                System.getProperty("java.version"), cases);
        if (cases.contains("fashion")) {
            float[][] x = fashion(shared.resolve("datasets/fashion_mnist/t10k-images-idx3-ubyte.gz"));
            Umap.Params p = Umap.Params.defaults().withMetric(Metric.EUCLIDEAN).withSeed(42);
            compare(rows, "fashion_mnist", x, p, peer, "euclidean");
            compare(rows, "fashion_mnist", x, p.withPcaComponents(50), false, "euclidean");
        }
        float[][] coil = null;
        if (cases.stream().anyMatch(c -> c.startsWith("coil"))) {
            coil = coil(shared);
        }
        if (cases.contains("coil")) {
            Umap.Params p = Umap.Params.defaults().withSeed(42);
            compare(rows, "coil100 MobileNetV2", coil, p, peer, "cosine");
            compare(rows, "coil100 MobileNetV2", coil, p.withPcaComponents(64), false, "cosine");
            compare(rows, "coil100 MobileNetV2", coil, p.withPcaComponents(64).withNComponents(5), false, "cosine");
        }
        if (cases.contains("coil100k") || cases.contains("coil100k-5d")) {
            float[][] big = jittered(coil, 14, 0.05f, 1);
            Umap.Params p = Umap.Params.defaults().withSeed(42).withPcaComponents(64);
            if (cases.contains("coil100k")) {
                compare(rows, "coil100 ×14 jittered", big, p, peer && peer100k, "cosine");
            }
            if (cases.contains("coil100k-5d")) {
                compare(rows, "coil100 ×14 jittered", big, p.withNComponents(5), peer && peer100k, "cosine");
            }
        }
        System.out.println();
        System.out.println("| dataset | n | dims | out | UMAP | settings | seconds | trustworthiness (k=15) |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %,d | %d | %d | %s | %s | %.1f | %.4f |%n", r.dataset, r.n, r.dims,
                    r.out, r.who, r.settings, r.seconds, r.trust);
        }
    }

    private static void compare(List<Row> rows, String name, float[][] x, Umap.Params p, boolean peer, String metric)
            throws Exception {
        Metric m = metric.equals("cosine") ? Metric.COSINE : Metric.EUCLIDEAN;
        Map<String, Long> stages = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        float[][] y = new Umap(p, (stage, f) -> {
            if (f >= 1) {
                synchronized (stages) {
                    stages.putIfAbsent(stage, System.nanoTime());
                }
            }
        }).fit(x);
        double seconds = (System.nanoTime() - t0) / 1e9;
        StringBuilder split = new StringBuilder();
        long prev = t0;
        for (Map.Entry<String, Long> e : stages.entrySet()) {
            split.append(String.format(Locale.ROOT, " %s %.1fs", e.getKey(), (e.getValue() - prev) / 1e9));
            prev = e.getValue();
        }
        String settings = String.format(Locale.ROOT, "%s, k %d, min_dist %.1f, %d epochs%s", metric, p.nNeighbors(),
                p.minDist(), p.epochsFor(x.length), p.pcaComponents() > 0 ? ", PCA " + p.pcaComponents() : "");
        double trust = trust(x, y, m);
        System.out.printf(Locale.ROOT, "%s n=%d %d-d → %d-d viewfold %.1f s (%s ) trust %.4f%n", name, x.length,
                x[0].length, p.nComponents(), seconds, split.toString().trim(), trust);
        rows.add(new Row(name, x.length, x[0].length, p.nComponents(), "Viewfold", settings, seconds, trust));
        if (peer) {
            Path in = WORK.resolve("in.npy");
            Path out = WORK.resolve("out.npy");
            Npy.writeFloats(in, x);
            ProcessBuilder pb = new ProcessBuilder(PYTHON, "src/bench/peers/umap_learn_peer.py", in.toString(),
                    out.toString(), metric, Integer.toString(p.nNeighbors()), Integer.toString(p.nComponents()),
                    Double.toString(p.minDist()), "42", x.length <= 10_000 ? "10000" : "0").redirectErrorStream(true);
            Process proc = pb.start();
            String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (proc.waitFor() != 0) {
                System.out.println("umap-learn failed:\n" + output);
                return;
            }
            String last = output.strip().lines().reduce((a, b) -> b).orElse("");
            double peerSeconds = Double.parseDouble(last.replaceAll(".*seconds=([0-9.]+).*", "$1"));
            float[][] py = Npy.readFloats(out);
            double peerTrust = trust(x, py, m);
            System.out.printf(Locale.ROOT, "%s umap-learn %.1f s trust %.4f%n", name, peerSeconds, peerTrust);
            rows.add(new Row(name, x.length, x[0].length, p.nComponents(), "umap-learn 0.5.3",
                    settings.replaceAll(", PCA \\d+", ""), peerSeconds, peerTrust));
        }
    }

    private static double trust(float[][] x, float[][] y, Metric m) {
        int threads = Runtime.getRuntime().availableProcessors();
        return x.length <= 10_000 ? Trustworthiness.of(x, y, 15, m, threads)
                : Trustworthiness.sampled(x, y, 15, m, threads, 2000, 42);
    }

    static float[][] fashion(Path gz) throws IOException {
        try (InputStream raw = Files.newInputStream(gz);
                DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
            in.readInt();
            int n = in.readInt();
            int pixels = in.readInt() * in.readInt();
            float[][] out = new float[n][pixels];
            byte[] buf = new byte[pixels];
            for (int i = 0; i < n; i++) {
                in.readFully(buf);
                for (int k = 0; k < pixels; k++) {
                    out[i][k] = (buf[k] & 0xFF) / 255f;
                }
            }
            return out;
        }
    }

    static float[][] coil(Path shared) throws IOException {
        List<float[]> vectors = new ArrayList<>();
        for (List<Embeddings.Item> views : Embeddings.of(shared, "coil100").values()) {
            for (Embeddings.Item item : views) {
                vectors.add(item.vector());
            }
        }
        return vectors.toArray(new float[0][]);
    }

    /** {@code copies} of every row, each with N(0, sigma²/d) noise per coordinate, L2-normalised. */
    static float[][] jittered(float[][] x, int copies, float sigma, long seed) {
        Random rnd = new Random(seed);
        int d = x[0].length;
        float[][] out = new float[x.length * copies][];
        double scale = sigma / Math.sqrt(d);
        for (int c = 0; c < copies; c++) {
            for (int i = 0; i < x.length; i++) {
                float[] v = new float[d];
                double norm = 0;
                for (int k = 0; k < d; k++) {
                    norm += x[i][k] * x[i][k];
                }
                norm = Math.sqrt(norm);
                double s = 0;
                for (int k = 0; k < d; k++) {
                    v[k] = (float) (x[i][k] / norm + (c == 0 ? 0 : rnd.nextGaussian() * scale));
                    s += v[k] * v[k];
                }
                float inv = (float) (1 / Math.sqrt(s));
                for (int k = 0; k < d; k++) {
                    v[k] *= inv;
                }
                out[c * x.length + i] = v;
            }
        }
        return out;
    }
}
