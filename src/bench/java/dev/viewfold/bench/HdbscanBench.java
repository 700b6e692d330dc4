package dev.viewfold.bench;

import dev.viewfold.cluster.hdbscan.AdjustedRandIndex;
import dev.viewfold.cluster.hdbscan.Hdbscan;
import dev.viewfold.cluster.hdbscan.HdbscanResult;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * HDBSCAN time and peak heap at 10k–100k points of 5-d input shaped like UMAP output (a seeded
 * Gaussian mixture of 100 clusters with spreads 0.05–0.6 in a 20-wide box, plus 5% uniform
 * background), against R {@code dbscan::hdbscan} on the same points where R can run.
 *
 * <pre>./mvnw -q -Pbench verify -Dbench=HdbscanBench -Dbench.args="10000,20000,40000,100000 15 40000"</pre>
 * args: sizes, minPts (R's: both minimum cluster size and core neighbourhood), the largest n to
 * give R (0: none). R above 40k is not run: its n×n distance matrix needs 37 GB at 100k.
 */
public final class HdbscanBench {

    public static void main(String[] args) throws Exception {
        String[] sizes = (args.length > 0 ? args[0] : "10000,20000,40000,100000").split(",");
        int minPts = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int rMax = args.length > 2 ? Integer.parseInt(args[2]) : 40_000;
        boolean haveR = Files.isExecutable(Path.of("/usr/bin/Rscript"));
        Hdbscan hdbscan = new Hdbscan(Hdbscan.Params.ofMinPts(minPts));
        System.out.printf(Locale.ROOT, "HdbscanBench: 5-d mixture of 100 clusters + 5%% background, minPts %d, "
                + "%d cores, Java %s, max heap %d MB%n%n", minPts, Runtime.getRuntime().availableProcessors(),
                Runtime.version(), Runtime.getRuntime().maxMemory() >> 20);
        hdbscan.fit(mixture(10_000, 1)); // warm the JIT
        System.out.println("| n | Viewfold s | Viewfold heap peak MB | clusters | noise | R dbscan::hdbscan s | ARI vs R |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String s : sizes) {
            int n = Integer.parseInt(s.trim());
            float[][] points = mixture(n, 42);
            System.gc();
            HeapSampler heap = new HeapSampler();
            long t0 = System.nanoTime();
            HdbscanResult result = hdbscan.fit(points);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long peak = heap.stop();
            int noise = 0;
            for (int l : result.labels()) {
                noise += l < 0 ? 1 : 0;
            }
            String rTime = "not run";
            String ari = "";
            if (!haveR) {
                rTime = "no Rscript";
            } else if (n > rMax && n >= 100_000) {
                rTime = "fails (O(n²) memory; not run, see STACK.md)";
            } else if (n <= rMax) {
                double[] r = runR(points, minPts, result.labels());
                rTime = String.format(Locale.ROOT, "%.2f", r[0]);
                ari = String.format(Locale.ROOT, "%.4f", r[1]);
            }
            System.out.printf(Locale.ROOT, "| %d | %.2f | %d | %d | %d | %s | %s |%n", n, seconds, peak >> 20,
                    result.clusterCount(), noise, rTime, ari);
        }
    }

    /** Seconds R took and the ARI between its labels and ours. */
    private static double[] runR(float[][] points, int minPts, int[] ours) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target/bench-data/hdbscan"));
        Path csv = dir.resolve("points-" + points.length + ".csv");
        Path labels = dir.resolve("r-labels-" + points.length + ".txt");
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("x1,x2,x3,x4,x5\n");
            for (float[] p : points) {
                StringBuilder line = new StringBuilder();
                for (int d = 0; d < p.length; d++) {
                    line.append(d == 0 ? "" : ",").append(p[d]); // Float.toString round-trips exactly
                }
                w.write(line.append('\n').toString());
            }
        }
        Process r = new ProcessBuilder("Rscript", "src/bench/peers/hdbscan_time.R", csv.toString(),
                Integer.toString(minPts), labels.toString()).redirectErrorStream(true).start();
        String out = new String(r.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!r.waitFor(30, TimeUnit.MINUTES) || r.exitValue() != 0 || !out.contains("seconds ")) {
            System.err.println("R failed: " + out);
            return new double[] {Double.NaN, Double.NaN};
        }
        double seconds = Double.parseDouble(out.substring(out.indexOf("seconds ") + 8).trim());
        List<String> lines = Files.readAllLines(labels);
        int[] theirs = new int[lines.size()];
        for (int i = 0; i < theirs.length; i++) {
            theirs[i] = Integer.parseInt(lines.get(i).trim());
        }
        return new double[] {seconds, AdjustedRandIndex.of(ours, theirs)};
    }

    /** n points: 95% from 100 Gaussian clusters (spreads 0.05–0.6), 5% uniform over the box. */
    static float[][] mixture(int n, long seed) {
        Random random = new Random(seed);
        int k = 100;
        int dim = 5;
        double[][] centres = new double[k][dim];
        double[] spread = new double[k];
        for (int c = 0; c < k; c++) {
            for (int d = 0; d < dim; d++) {
                centres[c][d] = random.nextDouble() * 20 - 10;
            }
            spread[c] = 0.05 + random.nextDouble() * 0.55;
        }
        float[][] points = new float[n][dim];
        for (int i = 0; i < n; i++) {
            boolean background = random.nextDouble() < 0.05;
            int c = random.nextInt(k);
            for (int d = 0; d < dim; d++) {
                points[i][d] = (float) (background ? random.nextDouble() * 24 - 12
                        : centres[c][d] + random.nextGaussian() * spread[c]);
            }
        }
        return points;
    }

    /**
     * Largest heap in use (garbage included) above the level at the start, sampled every
     * millisecond: the allocation peak a caller must leave room for, an upper bound of live data.
     */
    private static final class HeapSampler {
        private final Runtime rt = Runtime.getRuntime();
        private final long base = rt.totalMemory() - rt.freeMemory();
        private volatile boolean running = true;
        private volatile long peak = base;
        private final Thread thread = new Thread(() -> {
            while (running) {
                peak = Math.max(peak, rt.totalMemory() - rt.freeMemory());
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        HeapSampler() {
            thread.setDaemon(true);
            thread.start();
        }

        long stop() throws InterruptedException {
            peak = Math.max(peak, rt.totalMemory() - rt.freeMemory());
            running = false;
            thread.join();
            return peak - base;
        }
    }
}
