package dev.viewfold.bench;

import dev.viewfold.cluster.ClusterPipeline;
import dev.viewfold.cluster.ClusterSettings;
import dev.viewfold.cluster.Clustering;
import dev.viewfold.cluster.StableIds;
import dev.viewfold.cluster.hdbscan.AdjustedRandIndex;
import dev.viewfold.cluster.umap.Umap;
import dev.viewfold.search.Npy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The whole clustering pipeline (PCA 64 → one UMAP graph → 5-d layout for HDBSCAN + 2-d map →
 * HDBSCAN) against the peers' (umap-learn to 5-d and, on the same kNN graph, to 2-d → R
 * {@code dbscan::hdbscan}) on the same COIL-100 MobileNetV2 embeddings, each side in its own process
 * under {@code /usr/bin/time} for wall time and peak resident memory; ARI and NMI against the COIL
 * object labels. Also measures cluster-id stability (same input; 5% more observations).
 *
 * <pre>./mvnw -q -Pbench verify -Dbench=ClusterBench [-Dbench.args="coil 10k 100k stability minpts=15 nopeer"]</pre>
 */
public final class ClusterBench {

    private static final Path WORK = Path.of("target/cluster-bench");
    private static final String PYTHON = "/usr/bin/python3";

    record Row(String data, int n, String who, double seconds, double peakMb, int clusters, double noise, double ari,
            double nmi) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args);
            return;
        }
        Path shared = Path.of(System.getProperty("shared.root", "../shared"));
        List<String> cases = new ArrayList<>(List.of(args.length > 0 ? args : new String[] {"coil", "10k", "100k",
                "stability"}));
        boolean peer = !cases.contains("nopeer");
        int minPts = cases.stream().filter(c -> c.startsWith("minpts=")).mapToInt(c -> Integer.parseInt(c.substring(7)))
                .findFirst().orElse(15);
        Files.createDirectories(WORK);
        System.out.printf(Locale.ROOT, "ClusterBench: %d cores, Java %s, cases %s, minPts %d%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), cases, minPts);
        List<float[]> vectors = new ArrayList<>();
        List<Integer> objects = new ArrayList<>();
        Map<String, Integer> objectIds = new HashMap<>();
        for (var e : Embeddings.of(shared, "coil100").entrySet()) {
            int object = objectIds.computeIfAbsent(e.getKey(), k -> objectIds.size());
            for (Embeddings.Item item : e.getValue()) {
                vectors.add(item.vector());
                objects.add(object);
            }
        }
        float[][] coil = vectors.toArray(new float[0][]);
        int[] coilLabels = objects.stream().mapToInt(Integer::intValue).toArray();
        List<Row> rows = new ArrayList<>();
        for (String c : cases) {
            switch (c) {
                case "coil" -> compare(rows, "COIL-100", coil, coilLabels, minPts, peer, true);
                case "10k", "100k" -> {
                    // SearchBench's corpus: the four photo datasets, every image in 8 orientations and
                    // 2 crops, encoded for real; COIL-100 comes first (7,200 images × 10 variants).
                    if (!Files.exists(SearchBench.DIR.resolve("corpus.npy"))) {
                        SearchBench.encodeCorpus(shared);
                    }
                    float[][] corpus = Npy.readFloats(SearchBench.DIR.resolve("corpus.npy"));
                    int n = c.equals("10k") ? 10_000 : 100_000;
                    int[] pick = c.equals("10k") ? sample(corpus.length, n, 11) : java.util.stream.IntStream.range(0, n).toArray();
                    float[][] x = new float[n][];
                    int[] labels = new int[n];
                    for (int t = 0; t < n; t++) {
                        x[t] = corpus[pick[t]];
                        int image = pick[t] / SearchBench.VARIANTS;
                        labels[t] = image < coil.length ? coilLabels[image] : -1;
                    }
                    compare(rows, "4 datasets × 10 variants", x, labels, minPts, peer, n <= 40_000);
                }
                case "stability" -> stability(shared, coil, coilLabels);
                default -> { }
            }
        }
        if (!rows.isEmpty()) {
            System.out.println();
            System.out.println("| data | n | pipeline | seconds | peak RSS MB | clusters | noise | ARI (COIL rows) | NMI (COIL rows) |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            for (Row r : rows) {
                System.out.printf(Locale.ROOT, "| %s | %,d | %s | %.1f | %,.0f | %d | %.1f%% | %.4f | %.4f |%n", r.data,
                        r.n, r.who, r.seconds, r.peakMb, r.clusters, 100 * r.noise, r.ari, r.nmi);
            }
        }
    }

    private static ClusterSettings settings(int minPts) {
        ClusterSettings s = ClusterSettings.defaults().withMinClusterSize(minPts).withMinSamples(minPts);
        if (Integer.getInteger("cluster.pca") != null) {
            s = s.withPcaComponents(Integer.getInteger("cluster.pca"));
        }
        return Integer.getInteger("cluster.minSamples") == null ? s : s.withMinSamples(Integer.getInteger("cluster.minSamples"));
    }

    /**
     * Both pipelines on {@code x}; ARI/NMI over the rows whose {@code truth} is ≥ 0 (COIL-100 images).
     * R's hdbscan needs an n×n matrix: above ~40k it cannot run, and then only umap-learn's time counts.
     */
    private static void compare(List<Row> rows, String name, float[][] x, int[] truth, int minPts, boolean peer,
            boolean peerHdbscan) throws Exception {
        Path in = WORK.resolve("in.npy");
        Npy.writeFloats(in, x);
        Path labelsOut = WORK.resolve("viewfold-labels.txt");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "TIME %e %M",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Dcluster.pca=" + Integer.getInteger("cluster.pca", ClusterSettings.defaults().pcaComponents()),
                "-Dcluster.minSamples=" + Integer.getInteger("cluster.minSamples", minPts), "-cp", System.getProperty("java.class.path"),
                ClusterBench.class.getName(), "child", in.toString(), labelsOut.toString(), Integer.toString(minPts)));
        String out = exec(cmd);
        double[] tm = timeLine(out);
        int[] labels = readLabels(labelsOut);
        rows.add(row(name, x.length, "Viewfold (Java)", tm[0], tm[1], labels, truth));
        System.out.println(rows.get(rows.size() - 1));
        if (!peer) {
            return;
        }
        Path csv = WORK.resolve("peer-space.csv");
        String py = exec(List.of("/usr/bin/time", "-f", "TIME %e %M", PYTHON, "src/bench/peers/cluster_peer.py",
                in.toString(), csv.toString(), "15", "5", "0.1", "42"));
        double[] pt = timeLine(py);
        if (!peerHdbscan) {
            rows.add(new Row(name, x.length, "umap-learn 0.5.3 only (R dbscan::hdbscan cannot: n×n memory)", pt[0],
                    pt[1] / 1024, -1, Double.NaN, Double.NaN, Double.NaN));
            System.out.println(rows.get(rows.size() - 1));
            return;
        }
        Path peerLabels = WORK.resolve("peer-labels.txt");
        String r = exec(List.of("/usr/bin/time", "-f", "TIME %e %M", "Rscript", "src/bench/peers/hdbscan_time.R",
                csv.toString(), Integer.toString(minPts), peerLabels.toString()));
        double[] rt = timeLine(r);
        rows.add(row(name, x.length, "umap-learn 0.5.3 + R dbscan::hdbscan", pt[0] + rt[0], Math.max(pt[1], rt[1]),
                readLabels(peerLabels), truth));
        System.out.println(rows.get(rows.size() - 1) + String.format(Locale.ROOT, " (umap %.1f s %.0f MB, R %.1f s %.0f MB)",
                pt[0], pt[1] / 1024, rt[0], rt[1] / 1024));
    }

    /** In its own JVM, so that /usr/bin/time sees only the pipeline: reads the .npy, writes labels. */
    private static void child(String[] args) throws IOException {
        float[][] x = Npy.readFloats(Path.of(args[1]));
        long t0 = System.nanoTime();
        Clustering c = new ClusterPipeline(settings(Integer.parseInt(args[3])), Umap.Progress.NONE).run(x);
        System.err.printf(Locale.ROOT, "pipeline %.1f s%n", (System.nanoTime() - t0) / 1e9);
        StringBuilder sb = new StringBuilder();
        for (int label : c.labels()) {
            sb.append(label).append('\n');
        }
        Files.writeString(Path.of(args[2]), sb);
    }

    /**
     * Cluster ids kept when observations arrive: a base run, then the grown set clustered three ways
     * (today's fixed sizes 30/30 from a cold start; the collection's size rule cold; the rule warm,
     * starting from the base run's layouts), on COIL-100 (7,200 images, 100 objects) and on the
     * Caltech-101 + Flowers images × 10 augmentations (categories as labels), at +1%, +5% and +20%.
     */
    private static void stability(Path shared, float[][] coil, int[] coilLabels) throws IOException {
        if (!Files.exists(SearchBench.DIR.resolve("corpus.npy"))) {
            SearchBench.encodeCorpus(shared);
        }
        float[][] corpus = Npy.readFloats(SearchBench.DIR.resolve("corpus.npy"));
        List<String> labels = SearchBench.corpusLabels(shared);
        int from = 7_200 * SearchBench.VARIANTS;
        int to = (7_200 + 2_020 + 960) * SearchBench.VARIANTS;
        float[][] photos = Arrays.copyOfRange(corpus, from, to);
        Map<String, Integer> category = new HashMap<>();
        int[] photoLabels = labels.subList(from, to).stream()
                .mapToInt(l -> category.computeIfAbsent(l, k -> category.size())).toArray();
        System.out.println();
        System.out.println("| data | n | added | clustering | clusters | ids kept | ARI before | ARI after | seconds |");
        System.out.println("|---|---:|---:|---|---:|---:|---:|---:|---:|");
        for (double share : new double[] {0.01, 0.05, 0.20}) {
            growth("COIL-100", coil, coilLabels, share);
        }
        for (double share : new double[] {0.01, 0.05, 0.20}) {
            growth("Caltech-101 + Flowers × 10 variants", photos, photoLabels, share);
        }
    }

    private static void growth(String name, float[][] x, int[] truth, double share) {
        int n = x.length;
        Random rnd = new Random(7);
        boolean[] added = new boolean[n];
        int extra = (int) Math.round(n / (1 + share) * share);
        for (int picked = 0; picked < extra; ) {
            int i = rnd.nextInt(n);
            if (!added[i]) {
                added[i] = true;
                picked++;
            }
        }
        int[] base = java.util.stream.IntStream.range(0, n).filter(i -> !added[i]).toArray();
        float[][] baseX = new float[base.length][];
        for (int t = 0; t < base.length; t++) {
            baseX[t] = x[base[t]];
        }
        int[] baseTruth = Arrays.stream(base).map(i -> truth[i]).toArray();
        ClusterSettings today = ClusterSettings.defaults().withMinClusterSize(30).withMinSamples(30).withWarmStart(false);
        ClusterSettings rule = ClusterSettings.defaults().withWarmStart(false);
        ClusterSettings warm = ClusterSettings.defaults();
        for (var kind : List.of(Map.entry("today: sizes 30/30, cold", today), Map.entry("size rule, cold", rule),
                Map.entry("size rule, warm start", warm))) {
            ClusterSettings settings = kind.getValue();
            Clustering first = new ClusterPipeline(settings, Umap.Progress.NONE).run(baseX);
            StableIds.Assignment a0 = StableIds.assign(new String[base.length], first.labels(), 1);
            String[] previous = new String[n];
            float[][] space = new float[n][];
            float[][] map = new float[n][];
            for (int t = 0; t < base.length; t++) {
                previous[base[t]] = a0.ids()[t] == null ? StableIds.NOISE_BEFORE : a0.ids()[t];
                space[base[t]] = first.space()[t];
                map[base[t]] = first.map()[t];
            }
            long t0 = System.nanoTime();
            Clustering grown = new ClusterPipeline(settings, Umap.Progress.NONE)
                    .run(x, settings.warmStart() ? new ClusterPipeline.Prior(space, map, false) : ClusterPipeline.Prior.NONE);
            double seconds = (System.nanoTime() - t0) / 1e9;
            StableIds.Assignment a1 = StableIds.assign(previous, grown.labels(), a0.nextNumber());
            System.out.printf(Locale.ROOT, "| %s | %,d | +%.0f%% | %s | %d | %.4f | %.4f | %.4f | %.1f |%n", name, n,
                    100 * share, kind.getKey(), grown.clusterCount(), a1.changes().keptFraction(),
                    AdjustedRandIndex.of(baseTruth, first.labels()), AdjustedRandIndex.of(truth, grown.labels()), seconds);
        }
    }

    private static Row row(String data, int n, String who, double seconds, double peakKb, int[] labels, int[] truth) {
        int clusters = Arrays.stream(labels).max().orElse(-1) + 1;
        double noise = Arrays.stream(labels).filter(l -> l < 0).count() / (double) labels.length;
        int[] known = java.util.stream.IntStream.range(0, n).filter(i -> truth[i] >= 0).toArray();
        int[] t = Arrays.stream(known).map(i -> truth[i]).toArray();
        int[] l = Arrays.stream(known).map(i -> labels[i]).toArray();
        return new Row(data, n, who, seconds, peakKb / 1024, clusters, noise, AdjustedRandIndex.of(t, l), nmi(t, l));
    }

    /** {@code k} distinct indices below {@code n}, ascending, seeded. */
    private static int[] sample(int n, int k, long seed) {
        Random rnd = new Random(seed);
        java.util.BitSet picked = new java.util.BitSet(n);
        while (picked.cardinality() < k) {
            picked.set(rnd.nextInt(n));
        }
        return picked.stream().toArray();
    }

    /** Normalised mutual information (arithmetic mean of the entropies; sklearn's default), noise as one label. */
    static double nmi(int[] a, int[] b) {
        int n = a.length;
        Map<Long, Integer> joint = new HashMap<>();
        Map<Integer, Integer> ca = new HashMap<>();
        Map<Integer, Integer> cb = new HashMap<>();
        for (int i = 0; i < n; i++) {
            joint.merge(((long) a[i] << 32) | (b[i] & 0xffffffffL), 1, Integer::sum);
            ca.merge(a[i], 1, Integer::sum);
            cb.merge(b[i], 1, Integer::sum);
        }
        double mi = 0;
        for (var e : joint.entrySet()) {
            int x = (int) (e.getKey() >> 32);
            int y = (int) (long) e.getKey();
            double pxy = e.getValue() / (double) n;
            mi += pxy * Math.log(pxy / (ca.get(x) / (double) n * (cb.get(y) / (double) n)));
        }
        double ha = entropy(ca, n);
        double hb = entropy(cb, n);
        return ha + hb == 0 ? 1 : mi / ((ha + hb) / 2);
    }

    private static double entropy(Map<Integer, Integer> counts, int n) {
        double h = 0;
        for (int c : counts.values()) {
            double p = c / (double) n;
            h -= p * Math.log(p);
        }
        return h;
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed:\n" + out);
        }
        return out;
    }

    /** {@code TIME <seconds> <peak KB>} from /usr/bin/time. */
    private static double[] timeLine(String out) {
        String line = out.lines().filter(l -> l.startsWith("TIME ")).reduce((x, y) -> y).orElseThrow();
        String[] f = line.split(" ");
        return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    }

    private static int[] readLabels(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(s -> !s.isBlank()).mapToInt(Integer::parseInt).toArray();
    }
}
