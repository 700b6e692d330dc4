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
        if (args.length > 0 && args[0].equals("sample-child")) {
            sampleChild(args);
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
                case "sample" -> sampled(shared, coilLabels);
                case "floor" -> floor();
                case "million" -> million(shared, coilLabels);
                case "grown" -> grown();
                case "cut" -> cut();
                case "warm" -> warmVariants(shared, coil, coilLabels);
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
        Photos corpus = Photos.of(shared);
        float[][] photos = corpus.vectors();
        int[] photoLabels = corpus.categories();
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

    /** The Caltech-101 + Flowers rows of SearchBench's corpus (every image in 10 variants), by category. */
    private record Photos(float[][] vectors, int[] categories) {
        static Photos of(Path shared) throws IOException {
            float[][] corpus = Npy.readFloats(SearchBench.DIR.resolve("corpus.npy"));
            List<String> labels = SearchBench.corpusLabels(shared);
            int from = 7_200 * SearchBench.VARIANTS;
            int to = (7_200 + 2_020 + 960) * SearchBench.VARIANTS;
            Map<String, Integer> category = new HashMap<>();
            return new Photos(Arrays.copyOfRange(corpus, from, to), labels.subList(from, to).stream()
                    .mapToInt(l -> category.computeIfAbsent(l, k -> category.size())).toArray());
        }
    }

    /** Warm-start variants (epoch share, learning rate; 0 epochs: the old layout kept) on both corpora. */
    private static void warmVariants(Path shared, float[][] coil, int[] coilLabels) throws IOException {
        Photos corpus = Photos.of(shared);
        float[][] photos = corpus.vectors();
        int[] photoLabels = corpus.categories();
        System.out.println();
        System.out.println("| data | n | added | warm start (epochs, rate) | clusters | ids kept | ARI before | ARI after | seconds |");
        System.out.println("|---|---:|---:|---|---:|---:|---:|---:|---:|");
        for (double share : new double[] {0.01, 0.05, 0.20}) {
            for (double[] v : new double[][] {{1 / 3.0, 0.25}, {0.1, 0.1}, {0, 0}}) {
                growth("Caltech-101 + Flowers × 10 variants", photos, photoLabels, share, v);
            }
        }
        for (double[] v : new double[][] {{0.1, 0.1}, {0, 0}}) {
            growth("COIL-100", coil, coilLabels, 0.05, v);
        }
    }

    /**
     * The base run of a growth case: its clustering and ids, and, indexed by the whole collection's
     * rows, each base row's previous id and its layouts (the warm start's prior).
     */
    private record BaseRun(Clustering first, StableIds.Assignment ids, String[] previous, float[][] space,
                           float[][] map) {
        /** The run over the rows {@code base} of {@code x}, its ids and layouts laid out by row of {@code x}. */
        static BaseRun of(ClusterSettings settings, float[][] x, int[] base) {
            int n = x.length;
            float[][] baseX = new float[base.length][];
            for (int t = 0; t < base.length; t++) {
                baseX[t] = x[base[t]];
            }
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
            return new BaseRun(first, a0, previous, space, map);
        }
    }

    /** A seeded {@code share} of the final collection, held back from the base run and added after it. */
    private static boolean[] added(int n, double share) {
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
        return added;
    }

    private static void growth(String name, float[][] x, int[] truth, double share, double[] warm) {
        int n = x.length;
        boolean[] added = added(n, share);
        int[] base = java.util.stream.IntStream.range(0, n).filter(i -> !added[i]).toArray();
        ClusterSettings settings = ClusterSettings.defaults();
        BaseRun b = BaseRun.of(settings, x, base);
        Clustering first = b.first();
        long t0 = System.nanoTime();
        Clustering grown = new ClusterPipeline(settings, Umap.Progress.NONE, warm[0], warm[1])
                .run(x, new ClusterPipeline.Prior(b.space(), b.map(), false));
        double seconds = (System.nanoTime() - t0) / 1e9;
        StableIds.Assignment a1 = StableIds.assign(b.previous(), grown.labels(), b.ids().nextNumber());
        int[] baseTruth = Arrays.stream(base).map(i -> truth[i]).toArray();
        System.out.printf(Locale.ROOT, "| %s | %,d | +%.0f%% | %.2f, %.2f | %d | %.4f | %.4f | %.4f | %.1f |%n", name, n,
                100 * share, warm[0], warm[1], grown.clusterCount(), a1.changes().keptFraction(),
                AdjustedRandIndex.of(baseTruth, first.labels()), AdjustedRandIndex.of(truth, grown.labels()), seconds);
    }

    private static void growth(String name, float[][] x, int[] truth, double share) {
        int n = x.length;
        boolean[] added = added(n, share);
        int[] base = java.util.stream.IntStream.range(0, n).filter(i -> !added[i]).toArray();
        int[] baseTruth = Arrays.stream(base).map(i -> truth[i]).toArray();
        ClusterSettings today = ClusterSettings.defaults().withMinClusterSize(30).withMinSamples(30).withWarmStart(false)
                .withRefitAfter(0);
        ClusterSettings rule = ClusterSettings.defaults().withWarmStart(false);
        ClusterSettings warm = ClusterSettings.defaults();
        for (var kind : List.of(Map.entry("today: sizes 30/30, cold", today), Map.entry("size rule, cold", rule),
                Map.entry("size rule, warm start", warm))) {
            ClusterSettings settings = kind.getValue();
            BaseRun b = BaseRun.of(settings, x, base);
            Clustering first = b.first();
            StableIds.Assignment a0 = b.ids();
            long t0 = System.nanoTime();
            Clustering grown = new ClusterPipeline(settings, Umap.Progress.NONE)
                    .run(x, settings.warmStart() ? new ClusterPipeline.Prior(b.space(), b.map(), false) : ClusterPipeline.Prior.NONE);
            double seconds = (System.nanoTime() - t0) / 1e9;
            StableIds.Assignment a1 = StableIds.assign(b.previous(), grown.labels(), a0.nextNumber());
            System.out.printf(Locale.ROOT, "| %s | %,d | +%.0f%% | %s | %d | %.4f | %.4f | %.4f | %.1f |%n", name, n,
                    100 * share, kind.getKey(), grown.clusterCount(), a1.changes().keptFraction(),
                    AdjustedRandIndex.of(baseTruth, first.labels()), AdjustedRandIndex.of(truth, grown.labels()), seconds);
            if (settings.warmStart() && share <= settings.refitAfter()) {
                placeAmongFit(name, x, truth, share, base, added, first, a0);
            }
        }
    }

    /**
     * What a run between fits does (PlacementRun): the new observations placed among the base fit's
     * clusters by their nearest placed neighbours' vote, every base observation left where it was.
     */
    private static void placeAmongFit(String name, float[][] x, int[] truth, double share, int[] base, boolean[] added,
                                      Clustering first, StableIds.Assignment a0) {
        long t0 = System.nanoTime();
        List<String> ids = new java.util.ArrayList<>(base.length);
        float[][] vectors = new float[base.length][];
        List<dev.viewfold.cluster.SampleModel.Member> members = new java.util.ArrayList<>(base.length);
        for (int t = 0; t < base.length; t++) {
            ids.add(Integer.toString(base[t]));
            vectors[t] = x[base[t]];
            members.add(new dev.viewfold.cluster.SampleModel.Member(a0.ids()[t], first.map()[t][0], first.map()[t][1],
                    first.probabilities()[t], first.outlierScores()[t]));
        }
        var model = dev.viewfold.cluster.SampleModel.of("bench", ids, vectors, members);
        String[] now = new String[x.length];
        for (int t = 0; t < base.length; t++) {
            now[base[t]] = a0.ids()[t];
        }
        for (int i = 0; i < x.length; i++) {
            if (added[i]) {
                now[i] = model.place(x[i]).clusterId();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Integer> number = new HashMap<>();
        int[] labels = Arrays.stream(now).mapToInt(c -> c == null ? -1 : number.computeIfAbsent(c, k -> number.size()))
                .toArray();
        int[] baseTruth = Arrays.stream(base).map(i -> truth[i]).toArray();
        System.out.printf(Locale.ROOT, "| %s | %,d | +%.0f%% | %s | %d | %.4f | %.4f | %.4f | %.1f |%n", name, x.length,
                100 * share, "size rule, new ones placed among the fit (refit-after)", number.size(), 1.0,
                AdjustedRandIndex.of(baseTruth, first.labels()), AdjustedRandIndex.of(truth, labels), seconds);
    }

    /**
     * Fit on a sample and place the rest, against the full run, on the 100k real-embedding corpus:
     * agreement between the two labelings (ARI over all rows), ARI against the COIL-100 objects on
     * its COIL rows, time and peak memory (each in its own JVM under /usr/bin/time), for two sample
     * sizes; then the ids kept when 5% new observations arrive, on the sampled path.
     */
    private static void sampled(Path shared, int[] coilLabels) throws Exception {
        if (!Files.exists(SearchBench.DIR.resolve("corpus.npy"))) {
            SearchBench.encodeCorpus(shared);
        }
        float[][] corpus = Npy.readFloats(SearchBench.DIR.resolve("corpus.npy"));
        int n = Math.min(100_000, corpus.length);
        Path in = WORK.resolve("corpus100k.npy");
        Npy.writeFloats(in, Arrays.copyOf(corpus, n));
        int[] truth = new int[n];
        for (int t = 0; t < n; t++) {
            int image = t / SearchBench.VARIANTS;
            truth[t] = image < coilLabels.length ? coilLabels[image] : -1;
        }
        int[] known = java.util.stream.IntStream.range(0, n).filter(i -> truth[i] >= 0).toArray();
        System.out.println();
        System.out.println("| run | n | sample | seconds | peak RSS MB | clusters | noise | ARI vs full run | same, noise apart"
                + " | same, rows clustered in both | ARI vs COIL objects |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        int[] full = null;
        List<String> phases = new java.util.ArrayList<>();
        Path fullOut = WORK.resolve("sample-labels-0.txt");
        // The last run starts the sample's layouts from the full run's (kept beside its labels), as a
        // cluster run does from the previous run's layout.json when a collection outgrows the fit sample.
        for (String run : List.of("0", "50000", "20000", "50000 warm")) {
            int sample = Integer.parseInt(run.split(" ")[0]);
            boolean warm = run.endsWith("warm");
            Path out = WORK.resolve("sample-labels-" + run.replace(" ", "-") + ".txt");
            List<String> args = new ArrayList<>(List.of(in.toString(), out.toString(), Integer.toString(sample)));
            if (sample == 0 || warm) {
                args.add(sample == 0 ? "save" : fullOut.toString());
            }
            String log = exec(childCommand(List.of("-Xmx12g"), args.toArray(String[]::new)));
            double[] tm = timeLine(log);
            log.lines().filter(l -> l.startsWith("PHASES ")).forEach(l -> {
                String[] f = l.split(" ");
                phases.add(String.format(Locale.ROOT, "| %,d%s | %s | %s | %,.0f |", sample, warm ? " (warm)" : "", f[2], f[5],
                        Integer.parseInt(f[4]) / Double.parseDouble(f[5])));
            });
            int[] labels = readLabels(out);
            if (sample == 0) {
                full = labels;
            }
            int clusters = (int) Arrays.stream(labels).filter(l -> l >= 0).distinct().count();
            double noise = Arrays.stream(labels).filter(l -> l < 0).count() / (double) n;
            System.out.printf(Locale.ROOT, "| %s | %,d | %s | %.1f | %,.0f | %d | %.1f%% | %s | %s |%n",
                    sample == 0 ? "full (UMAP + HDBSCAN on every row)" : warm
                            ? "fit on a sample warm-started from the full run's layouts, the rest placed"
                            : "fit on a sample, the rest placed", n,
                    sample == 0 ? "–" : String.format(Locale.ROOT, "%,d", sample), tm[0], tm[1] / 1024, clusters, 100 * noise,
                    agreement(full, labels),
                    String.format(Locale.ROOT, "%.4f", AdjustedRandIndex.of(Arrays.stream(known).map(i -> truth[i]).toArray(),
                            Arrays.stream(known).map(i -> labels[i]).toArray())));
        }
        System.out.println();
        System.out.println("| sample | fit seconds | place seconds (both cores) | rows placed per second |");
        System.out.println("|---:|---:|---:|---:|");
        phases.forEach(System.out::println);
        // Ids kept at +5% on the sampled path (50k sample), the share of the old rows keeping theirs.
        boolean[] added = added(n, 0.05);
        int extra = (int) Math.round(n / 1.05 * 0.05);
        Map<String, float[]> rows = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) {
            if (!added[i]) {
                rows.put(String.format(Locale.ROOT, "o%06d", i), corpus[i]);
            }
        }
        long t0 = System.nanoTime();
        Map<String, String> before = placeAll(rows, new HashMap<>(), 50_000, 1);
        for (int i = 0; i < n; i++) {
            if (added[i]) {
                rows.put(String.format(Locale.ROOT, "o%06d", i), corpus[i]);
            }
        }
        Map<String, String> previous = new HashMap<>();
        before.forEach((id, c) -> previous.put(id, c == null ? StableIds.NOISE_BEFORE : c));
        long next = before.values().stream().filter(java.util.Objects::nonNull).mapToLong(StableIds::number).max().orElse(0) + 1;
        Map<String, String> after = placeAll(rows, previous, 50_000, next);
        long kept = before.entrySet().stream().filter(e -> java.util.Objects.equals(e.getValue(), after.get(e.getKey()))).count();
        System.out.printf(Locale.ROOT, "%nsampled path (50k sample), %,d + %,d new observations, fitted again: ids kept %.4f,"
                        + " ARI vs COIL objects %.4f (%.0f s for both runs)%n", before.size(), extra,
                kept / (double) before.size(), coilAri(after, truth, n), (System.nanoTime() - t0) / 1e9);
        // Between fits (refit-after): the new ones placed among a 50k sample of the placed rows, the rest kept.
        long t1 = System.nanoTime();
        Map<String, String> placedBefore = new HashMap<>();
        before.forEach((id, c) -> placedBefore.put(id, c == null ? StableIds.NOISE_BEFORE : c));
        List<String> sampleIds = dev.viewfold.cluster.SampleFit.choose(placedBefore, 50_000,
                dev.viewfold.cluster.SampleFit.floor(ClusterSettings.defaults(), 50_000, placedBefore.size()), 42);
        float[][] sx = new float[sampleIds.size()][];
        List<dev.viewfold.cluster.SampleModel.Member> members = new java.util.ArrayList<>();
        for (int t = 0; t < sampleIds.size(); t++) {
            sx[t] = rows.get(sampleIds.get(t));
            members.add(new dev.viewfold.cluster.SampleModel.Member(before.get(sampleIds.get(t)), 0, 0, 1, 0));
        }
        var model = dev.viewfold.cluster.SampleModel.of("bench", sampleIds, sx, members);
        Map<String, String> placed = new HashMap<>(before);
        for (int i = 0; i < n; i++) {
            if (added[i]) {
                placed.put(String.format(Locale.ROOT, "o%06d", i), model.place(corpus[i]).clusterId());
            }
        }
        System.out.printf(Locale.ROOT, "sampled path, the same +5%% placed among the fit (refit-after): ids kept 1.0000,"
                + " ARI vs COIL objects %.4f (before: %.4f) (%.0f s)%n", coilAri(placed, truth, n), coilAri(before, truth, n),
                (System.nanoTime() - t1) / 1e9);
    }

    /**
     * A collection that grows past the fit sample: a full run over all but the last 5% of the rows
     * (the split of {@link #added(int, double)}), then every row clustered four ways, each in its own JVM: the full
     * pipeline and the sampled path (50k), each warm-started from the base run's layouts (what a
     * cluster run does after the base run) and cold. The warm sampled run is read against the warm
     * full run: the two answers the same history can give.
     *
     * @see #sampleChild the child's arguments
     */
    private static void grown() throws Exception {
        Path corpus = Path.of(System.getProperty("grown.corpus", WORK.resolve("corpus100k.npy").toString()));
        Path dir = WORK.resolve("grown-" + corpus.getFileName().toString().replace(".npy", ""));
        Files.createDirectories(dir);
        System.out.printf(Locale.ROOT, "%ngrown: %s; load %s%n", corpus, CrashHarness.load());
        Path base = dir.resolve("base.txt");
        String baseLog = exec(childCommand(List.of("-Xmx12g", "-Dbench.base=true"), corpus.toString(), base.toString(),
                "0", "save"));
        int[] baseLabels = readLabels(base);
        System.out.printf(Locale.ROOT, "base: %,d rows, %.1f s%n", Arrays.stream(baseLabels).filter(l -> l > -2).count(),
                timeLine(baseLog)[0]);
        System.out.println();
        System.out.println("| run over every row | seconds | peak RSS MB | clusters | noise | against | ARI (noise one group)"
                + " | noise apart | rows clustered in both | base rows against the base run, noise apart |");
        System.out.println("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|");
        Map<String, int[]> labels = new HashMap<>();
        String[][] runs = {{"full, warm", "0", "warm"}, {"sampled, warm", "50000", "warm"}, {"full, cold", "0", "cold"},
                {"sampled, cold", "50000", "cold"}};
        String[] against = {"full, warm", "full, warm", "full, warm", "full, cold"};
        for (int r = 0; r < runs.length; r++) {
            Path out = dir.resolve(runs[r][0].replace(", ", "-") + ".txt");
            double[] tm = timeLine(exec(runs[r][2].equals("warm")
                    ? childCommand(List.of("-Xmx12g"), corpus.toString(), out.toString(), runs[r][1], base.toString())
                    : childCommand(List.of("-Xmx12g"), corpus.toString(), out.toString(), runs[r][1])));
            int[] l = readLabels(out);
            labels.put(runs[r][0], l);
            int[] ref = labels.get(against[r]);
            int[] inBase = java.util.stream.IntStream.range(0, l.length).filter(i -> baseLabels[i] > -2).toArray();
            System.out.printf(Locale.ROOT, "| %s | %.1f | %,.0f | %d | %.1f%% | %s | %s | %.4f |%n", runs[r][0], tm[0],
                    tm[1] / 1024, Arrays.stream(l).filter(v -> v >= 0).distinct().count(),
                    100.0 * Arrays.stream(l).filter(v -> v < 0).count() / l.length, against[r], agreement(ref, l),
                    AdjustedRandIndex.noiseApart(Arrays.stream(inBase).map(i -> baseLabels[i]).toArray(),
                            Arrays.stream(inBase).map(i -> l[i]).toArray()));
        }
    }

    /**
     * Where a sampled run's disagreement with the full run comes from (after {@code sample}, whose
     * full run's labels and layouts it reads): HDBSCAN on a 50k sample of the full run's own 5-d layout,
     * with the sizes a sampled fit uses and others, every other row placed as a sampled run places it.
     * What this loses is what the sample costs the cut and the placing; the rest is the sample's layout.
     */
    private static void cut() throws Exception {
        float[][] x = Npy.readFloats(WORK.resolve("corpus100k.npy"));
        Path fullOut = WORK.resolve("sample-labels-0.txt");
        float[][] space = Npy.readFloats(Path.of(fullOut + ".space.npy"));
        int[] full = readLabels(fullOut);
        int n = x.length;
        Map<String, String> none = new HashMap<>();
        for (int i = 0; i < n; i++) {
            none.put(String.format(Locale.ROOT, "o%06d", i), null);
        }
        List<String> ids = dev.viewfold.cluster.SampleFit.choose(none, 50_000, 0, 42);
        int[] rows = ids.stream().mapToInt(id -> Integer.parseInt(id.substring(1))).toArray();
        float[][] sx = Arrays.stream(rows).mapToObj(i -> x[i]).toArray(float[][]::new);
        float[][] ss = Arrays.stream(rows).mapToObj(i -> space[i]).toArray(float[][]::new);
        System.out.printf(Locale.ROOT, "%ncut: HDBSCAN on 50,000 rows of the full run's layout, the rest placed; load %s%n%n",
                CrashHarness.load());
        System.out.println("| min cluster size, min samples | clusters | noise | ARI (noise one group) | noise apart"
                + " | rows clustered in both |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (int[] p : new int[][] {{50, 30}, {50, 15}, {35, 30}, {70, 30}, {100, 30}}) {
            var r = new dev.viewfold.cluster.hdbscan.Hdbscan(new dev.viewfold.cluster.hdbscan.Hdbscan.Params(p[0], p[1])).fit(ss);
            List<dev.viewfold.cluster.SampleModel.Member> members = new ArrayList<>();
            for (int t = 0; t < rows.length; t++) {
                int l = r.labels()[t];
                members.add(new dev.viewfold.cluster.SampleModel.Member(l < 0 ? null : "c" + l, 0, 0, r.probabilities()[t],
                        r.outlierScores()[t]));
            }
            var model = dev.viewfold.cluster.SampleModel.of("cut", ids, sx, members);
            int[] labels = new int[n];
            java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
                var m = model.member(String.format(Locale.ROOT, "o%06d", i));
                String c = m != null ? m.clusterId() : model.place(x[i]).clusterId();
                labels[i] = c == null ? -1 : Integer.parseInt(c.substring(1));
            });
            System.out.printf(Locale.ROOT, "| %d, %d%s | %d | %.1f%% | %s |%n", p[0], p[1], p[0] == 50 && p[1] == 30
                            ? " (a sampled fit's)" : "", r.clusterCount(),
                    100.0 * Arrays.stream(labels).filter(l -> l < 0).count() / n, agreement(full, labels));
        }
    }

    /** A {@code sample-child} JVM of this bench with {@code jvmOptions}, under /usr/bin/time (its "TIME s kB" line). */
    private static List<String> childCommand(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "TIME %e %M",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                ClusterBench.class.getName(), "sample-child"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** ARI of a labelling (observation id → cluster id) against the COIL-100 objects on the COIL rows it holds. */
    private static double coilAri(Map<String, String> labelling, int[] truth, int n) {
        Map<String, Integer> number = new HashMap<>();
        List<Integer> t = new java.util.ArrayList<>();
        List<Integer> f = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = String.format(Locale.ROOT, "o%06d", i);
            if (truth[i] >= 0 && labelling.containsKey(id)) {
                String c = labelling.get(id);
                t.add(truth[i]);
                f.add(c == null ? -1 : number.computeIfAbsent(c, k -> number.size()));
            }
        }
        return AdjustedRandIndex.of(t.stream().mapToInt(Integer::intValue).toArray(),
                f.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * How well two full runs agree when only the seed differs (after the {@code sample} case, whose
     * labels it reads): the floor under "ARI of a sampled run against the full run".
     */
    private static void floor() throws Exception {
        Path in = WORK.resolve("corpus100k.npy");
        Path out = WORK.resolve("sample-labels-seed7.txt");
        if (Files.exists(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(in)) > 0) {
            System.out.println("(the seed-7 labels of an earlier floor run over the same corpus; delete " + out + " to run it again)");
        } else {
            exec(childCommand(List.of("-Xmx12g"), in.toString(), out.toString(), "-1"));
        }
        int[] other = readLabels(out);
        int[] full = readLabels(WORK.resolve("sample-labels-0.txt"));
        System.out.printf(Locale.ROOT, "%n| pair | clusters | ARI (noise one group) | noise apart | rows clustered in both |%n"
                + "|---|---|---:|---:|---:|%n| full run, seed 7 against seed 42 | %d and %d | %s |%n",
                Arrays.stream(other).filter(l -> l >= 0).distinct().count(),
                Arrays.stream(full).filter(l -> l >= 0).distinct().count(), agreement(full, other));
        for (String sample : List.of("50000", "20000")) {
            int[] sampled = readLabels(WORK.resolve("sample-labels-" + sample + ".txt"));
            System.out.printf(Locale.ROOT, "| sample %s against the seed-7 full run | %d | %s |%n", sample,
                    Arrays.stream(sampled).filter(l -> l >= 0).distinct().count(), agreement(other, sampled));
        }
    }

    /**
     * Three readings of how two labellings agree, as table cells: ARI with noise as one group, ARI with
     * each noise row a group of its own ({@link AdjustedRandIndex#noiseApart}), and ARI over the rows
     * both call clustered (with the share of such rows).
     */
    private static String agreement(int[] a, int[] b) {
        int[] both = java.util.stream.IntStream.range(0, a.length).filter(i -> a[i] >= 0 && b[i] >= 0).toArray();
        return String.format(Locale.ROOT, "%.4f | %.4f | %.4f (%.1f%% of rows)", AdjustedRandIndex.of(a, b),
                AdjustedRandIndex.noiseApart(a, b), AdjustedRandIndex.of(Arrays.stream(both).map(i -> a[i]).toArray(),
                        Arrays.stream(both).map(i -> b[i]).toArray()), 100.0 * both.length / a.length);
    }

    /**
     * The sampled path over a million real embeddings ({@link MillionCorpus}) with the default sample,
     * in a JVM of its own under {@code /usr/bin/time}: time per phase, peak memory, clusters, agreement
     * with the COIL-100 objects, and what placing costs at 125 M observations.
     */
    private static void million(Path shared, int[] coilLabels) throws Exception {
        Path in = MillionCorpus.ensure(shared);
        Path out = WORK.resolve("million-labels.txt");
        int sample = ClusterSettings.DEFAULT_FIT_SAMPLE;
        int size = Integer.getInteger("cluster.minClusterSize", 0);
        System.out.printf(Locale.ROOT, "%nmillion: min-cluster-size %s; load %s%n", size == 0 ? "by the rule" : size,
                CrashHarness.load());
        String log = exec(childCommand(List.of("-Xmx16g", "-Dcluster.minClusterSize=" + size), in.toString(),
                out.toString(), Integer.toString(sample)));
        double[] tm = timeLine(log);
        int[] labels = readLabels(out);
        int n = labels.length;
        int[] truth = new int[n];
        for (int t = 0; t < n; t++) {
            int image = t / MillionCorpus.VARIANTS;
            truth[t] = image < coilLabels.length ? coilLabels[image] : -1;
        }
        int[] known = java.util.stream.IntStream.range(0, n).filter(i -> truth[i] >= 0).toArray();
        String[] phases = log.lines().filter(l -> l.startsWith("PHASES ")).reduce((a, b) -> b).orElseThrow().split(" ");
        double fitSeconds = Double.parseDouble(phases[2]);
        int placedRows = Integer.parseInt(phases[4]);
        double placeSeconds = Double.parseDouble(phases[5]);
        double perCore = placedRows / placeSeconds / Runtime.getRuntime().availableProcessors();
        System.out.println();
        System.out.println("| n | sample | seconds (load + fit + place) | fit s | place s | rows placed/s | peak RSS MB | clusters | noise | ARI vs COIL objects |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        System.out.printf(Locale.ROOT, "| %,d | %,d | %.1f | %.1f | %.1f | %,.0f | %,.0f | %d | %.1f%% | %.4f |%n", n, sample,
                tm[0], fitSeconds, placeSeconds, placedRows / placeSeconds, tm[1] / 1024,
                Arrays.stream(labels).filter(l -> l >= 0).distinct().count(),
                100.0 * Arrays.stream(labels).filter(l -> l < 0).count() / n,
                AdjustedRandIndex.of(Arrays.stream(known).map(i -> truth[i]).toArray(),
                        Arrays.stream(known).map(i -> labels[i]).toArray()));
        long target = 125_000_000L;
        for (int segments : new int[] {100, 1_000}) {
            System.out.printf(Locale.ROOT, "125 M observations, %,d segments: %,d rows a segment, %.0f s of placing each at"
                            + " %,.0f rows/s a core (%.1f core-hours in all), after one %.0f s fit%n", segments,
                    target / segments, target / segments / perCore, perCore, target / perCore / 3600, fitSeconds);
        }
        System.out.printf(Locale.ROOT, "load after: %s%n", CrashHarness.load());
    }

    /** One sampled run in memory: fit on a stratified sample, place the rest; observation id → cluster id. */
    static Map<String, String> placeAll(Map<String, float[]> rows, Map<String, String> previous, int sample, long next) {
        return placeAll(rows, previous, sample, next, ids -> ClusterPipeline.Prior.NONE);
    }

    /** @param warm the sample's previous layout (a run's warm start), given the sample's ids */
    static Map<String, String> placeAll(Map<String, float[]> rows, Map<String, String> previous, int sample, long next,
                                        java.util.function.Function<List<String>, ClusterPipeline.Prior> warm) {
        Map<String, String> prev = new HashMap<>();
        rows.keySet().forEach(id -> prev.put(id, previous.get(id)));
        // -Dcluster.minClusterSize: the collection's cluster size instead of the rule's (0: the rule)
        ClusterSettings settings = ClusterSettings.defaults() // warm only from a layout the caller gives
                .withMinClusterSize(Integer.getInteger("cluster.minClusterSize", 0));
        int floor = dev.viewfold.cluster.SampleFit.floor(settings, sample, rows.size());
        List<String> ids = dev.viewfold.cluster.SampleFit.choose(prev, sample, floor, 42);
        float[][] x = new float[ids.size()][];
        String[] before = new String[ids.size()];
        for (int t = 0; t < ids.size(); t++) {
            x[t] = rows.get(ids.get(t));
            before[t] = prev.get(ids.get(t));
        }
        long t0 = System.nanoTime();
        var fit = dev.viewfold.cluster.SampleFit.fit("bench", ids, x, before, settings, rows.size(), next,
                warm.apply(ids), true, Umap.Progress.NONE);
        long t1 = System.nanoTime();
        Map<String, String> out = new java.util.concurrent.ConcurrentHashMap<>();
        // Placing as the segments do: one thread per core, each its share of the rows.
        rows.entrySet().parallelStream().forEach(e -> {
            var member = fit.model().member(e.getKey());
            String c = member != null ? member.clusterId() : fit.model().place(e.getValue()).clusterId();
            out.put(e.getKey(), c == null ? "" : c);
        });
        Map<String, String> result = new HashMap<>();
        out.forEach((k, v) -> result.put(k, v.isEmpty() ? null : v));
        System.err.printf(Locale.ROOT, "PHASES fit %.1f place %d %.1f%n", (t1 - t0) / 1e9, rows.size() - ids.size(),
                (System.nanoTime() - t1) / 1e9);
        return result;
    }

    /**
     * In its own JVM: the full pipeline (sample 0; -1: with seed 7) or a sampled run over the rows of
     * {@code args[1]}; writes one label per row. {@code args[4]}: {@code save} keeps the full run's
     * layouts beside its labels; a label file whose layouts were so kept warm-starts the run from them,
     * as the previous run's layout.json does (rows it did not hold start among their neighbours).
     * {@code -Dbench.base=true}: the run holds only the rows before a 5% growth ({@link #added(int, double)}),
     * and the others are written as -2 (their layouts NaN).
     */
    private static void sampleChild(String[] args) throws IOException {
        float[][] all = Npy.readFloats(Path.of(args[1]));
        int sample = Integer.parseInt(args[3]);
        boolean[] skip = Boolean.getBoolean("bench.base") ? added(all.length, 0.05) : new boolean[all.length];
        int[] rowOf = java.util.stream.IntStream.range(0, all.length).filter(i -> !skip[i]).toArray();
        float[][] x = Arrays.stream(rowOf).mapToObj(i -> all[i]).toArray(float[][]::new);
        String prior = args.length > 4 && !args[4].equals("save") ? args[4] : null;
        float[][] space = prior == null ? null : Npy.readFloats(Path.of(prior + ".space.npy"));
        float[][] map = prior == null ? null : Npy.readFloats(Path.of(prior + ".map.npy"));
        java.util.function.Function<int[], ClusterPipeline.Prior> warm = rows -> {
            if (space == null) {
                return ClusterPipeline.Prior.NONE;
            }
            float[][] s5 = new float[rows.length][];
            float[][] m2 = new float[rows.length][];
            for (int t = 0; t < rows.length; t++) {
                boolean laidOut = !Float.isNaN(space[rows[t]][0]);
                s5[t] = laidOut ? space[rows[t]] : null;
                m2[t] = laidOut ? map[rows[t]] : null;
            }
            return new ClusterPipeline.Prior(s5, m2, false);
        };
        int[] found;
        long t0 = System.nanoTime();
        if (sample <= 0) {
            ClusterSettings settings = ClusterSettings.defaults().withWarmStart(prior != null);
            if (sample < 0) {
                settings = new ClusterSettings(settings.pcaComponents(), settings.neighbours(), settings.dimensions(),
                        settings.minClusterSize(), settings.minSamples(), settings.mapMinDist(), 7, settings.threads(),
                        false, settings.fitSample(), settings.refitAfter());
            }
            Clustering full = new ClusterPipeline(settings, Umap.Progress.NONE).run(x, warm.apply(rowOf));
            found = full.labels();
            if (args.length > 4 && args[4].equals("save")) { // for a run warm-started from this one
                float[][] s5 = new float[all.length][];
                float[][] m2 = new float[all.length][];
                for (int i = 0; i < all.length; i++) {
                    s5[i] = new float[full.space()[0].length];
                    m2[i] = new float[2];
                    Arrays.fill(s5[i], Float.NaN);
                    Arrays.fill(m2[i], Float.NaN);
                }
                for (int t = 0; t < rowOf.length; t++) {
                    s5[rowOf[t]] = full.space()[t];
                    m2[rowOf[t]] = full.map()[t];
                }
                Npy.writeFloats(Path.of(args[2] + ".space.npy"), s5);
                Npy.writeFloats(Path.of(args[2] + ".map.npy"), m2);
            }
        } else {
            Map<String, float[]> rows = new java.util.TreeMap<>();
            for (int i : rowOf) {
                rows.put(String.format(Locale.ROOT, "o%06d", i), all[i]);
            }
            Map<String, String> placed = placeAll(rows, Map.of(), sample, 1,
                    ids -> warm.apply(ids.stream().mapToInt(id -> Integer.parseInt(id.substring(1))).toArray()));
            Map<String, Integer> number = new HashMap<>();
            found = new int[rowOf.length];
            for (int t = 0; t < rowOf.length; t++) {
                String c = placed.get(String.format(Locale.ROOT, "o%06d", rowOf[t]));
                found[t] = c == null ? -1 : number.computeIfAbsent(c, k -> number.size());
            }
        }
        int[] labels = new int[all.length];
        Arrays.fill(labels, -2);
        for (int t = 0; t < rowOf.length; t++) {
            labels[rowOf[t]] = found[t];
        }
        System.err.printf(Locale.ROOT, "run %.1f s%n", (System.nanoTime() - t0) / 1e9);
        StringBuilder sb = new StringBuilder();
        for (int label : labels) {
            sb.append(label).append('\n');
        }
        Files.writeString(Path.of(args[2]), sb);
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
