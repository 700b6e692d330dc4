package dev.viewfold.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.search.Npy;
import dev.viewfold.search.s3vectors.S3VectorsApi;
import dev.viewfold.testing.LocalS3Vectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The S3 Vectors adapter against LocalS3 (a real server of the API on loopback, with an exact
 * QueryVectors): vectors written per second in PutVectors batches of 500, queries per second and
 * their latency, with and without a metadata filter, and whether the answers equal an exact scan of
 * the same rows done here (the raw engine, in the same run). A functional figure: LocalS3 is a
 * local exact scan, not the service's latency (see RESULTS.md for AWS's published figures).
 *
 * <pre>./mvnw -q -Pbench verify -Dbench=S3VectorsBench [-Dbench.args="20000 200"]</pre>
 * (rows of SearchBench's real-embedding corpus, target/bench-data/search/corpus.npy; queries)
 */
public final class S3VectorsBench {

    private static final String INDEX = "bench-images";
    private static final int CLUSTERS = 50;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        float[][] corpus = Npy.readFloats(SearchBench.DIR.resolve("corpus.npy"));
        // Every 5th row indexed, queries from rows between them: neighbours exist, no query is its own hit.
        float[][] rows = new float[n][];
        float[][] asked = new float[queries][];
        for (int i = 0; i < n; i++) {
            rows[i] = unit(corpus[(i * 5) % corpus.length]);
        }
        for (int q = 0; q < queries; q++) {
            asked[q] = unit(corpus[(q * 997 + 2) % corpus.length]);
        }
        LocalS3Vectors local = new LocalS3Vectors();
        URI endpoint = local.startServer();
        try {
            S3VectorsApi api = new S3VectorsApi(new ObjectMapper(), endpoint, "us-east-1",
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")), LocalS3Vectors.BUCKET, 6,
                    Duration.ofMillis(10));
            api.createIndex(INDEX, rows[0].length);
            System.out.printf(Locale.ROOT, "S3VectorsBench: %,d vectors of %d-d, %d queries, LocalS3 at %s, %d cores%n%n",
                    n, rows[0].length, queries, endpoint, Runtime.getRuntime().availableProcessors());
            long t0 = System.nanoTime();
            for (int from = 0; from < n; from += S3VectorsApi.MAX_PUT) {
                List<S3VectorsApi.Item> batch = new ArrayList<>();
                for (int i = from; i < Math.min(n, from + S3VectorsApi.MAX_PUT); i++) {
                    batch.add(new S3VectorsApi.Item(key(i), rows[i], Map.of("observation", key(i), "cluster", cluster(i))));
                }
                api.putVectors(INDEX, batch);
            }
            double writeSeconds = (System.nanoTime() - t0) / 1e9;

            ObjectMapper json = new ObjectMapper();
            double[] plain = new double[queries];
            double[] filtered = new double[queries];
            int sameTop10 = 0;
            int sameFiltered = 0;
            double worstScore = 0;
            double exactSeconds = 0;
            for (int q = 0; q < queries; q++) {
                long s = System.nanoTime();
                List<S3VectorsApi.Hit> hits = api.query(INDEX, asked[q], 10, null);
                plain[q] = (System.nanoTime() - s) / 1e6;
                String c = cluster(q * 7);
                s = System.nanoTime();
                List<S3VectorsApi.Hit> inCluster = api.query(INDEX, asked[q], 10, json.createObjectNode().put("cluster", c));
                filtered[q] = (System.nanoTime() - s) / 1e6;
                s = System.nanoTime();
                int[] exact = exactTop(rows, asked[q], 10, null);
                exactSeconds += (System.nanoTime() - s) / 1e9;
                int[] exactInCluster = exactTop(rows, asked[q], 10, c);
                sameTop10 += keys(hits).equals(keys(exact)) ? 1 : 0;
                sameFiltered += keys(inCluster).equals(keys(exactInCluster)) ? 1 : 0;
                for (int r = 0; r < Math.min(hits.size(), exact.length); r++) {
                    worstScore = Math.max(worstScore, Math.abs((1 - hits.get(r).distance()) - dot(rows[exact[r]], asked[q])));
                }
            }
            System.out.println("| operation | count | per second | p50 ms | p95 ms | equal to the exact scan |");
            System.out.println("|---|---:|---:|---:|---:|---|");
            System.out.printf(Locale.ROOT, "| PutVectors (batches of %d) | %,d vectors | %,.0f vectors (%.1f requests) | | | |%n",
                    S3VectorsApi.MAX_PUT, n, n / writeSeconds, Math.ceil(n / (double) S3VectorsApi.MAX_PUT) / writeSeconds);
            System.out.printf(Locale.ROOT, "| QueryVectors top 10 | %d | %.1f | %.1f | %.1f | %d of %d top-10 lists; scores within %.1e |%n",
                    queries, 1000 / mean(plain), pct(plain, 50), pct(plain, 95), sameTop10, queries, worstScore);
            System.out.printf(Locale.ROOT, "| QueryVectors top 10, filter on cluster (1 of %d) | %d | %.1f | %.1f | %.1f | %d of %d |%n",
                    CLUSTERS, queries, 1000 / mean(filtered), pct(filtered, 50), pct(filtered, 95), sameFiltered, queries);
            System.out.printf(Locale.ROOT, "| exact scan here (the raw engine, one thread) | %d | %.1f | | | |%n",
                    queries, queries / exactSeconds);
        } finally {
            local.stopServer();
        }
    }

    private static String key(int i) {
        return String.format(Locale.ROOT, "o%06d", i);
    }

    private static String cluster(int i) {
        return "c" + (i % CLUSTERS);
    }

    private static Set<String> keys(List<S3VectorsApi.Hit> hits) {
        Set<String> keys = new HashSet<>();
        hits.forEach(h -> keys.add(h.key()));
        return keys;
    }

    private static Set<String> keys(int[] rows) {
        Set<String> keys = new HashSet<>();
        Arrays.stream(rows).forEach(i -> keys.add(key(i)));
        return keys;
    }

    private static int[] exactTop(float[][] rows, float[] q, int k, String cluster) {
        Integer[] order = java.util.stream.IntStream.range(0, rows.length)
                .filter(i -> cluster == null || cluster(i).equals(cluster)).boxed().toArray(Integer[]::new);
        double[] score = new double[rows.length];
        for (int i : order) {
            score[i] = dot(rows[i], q);
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        return Arrays.stream(order).limit(k).mapToInt(Integer::intValue).toArray();
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static float[] unit(float[] v) {
        double norm = Math.sqrt(dot(v, v));
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = (float) (v[i] / norm);
        }
        return u;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(0);
    }

    private static double pct(double[] v, int p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }
}
