package dev.viewfold.cluster;

import dev.viewfold.cluster.umap.Umap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Clustering past one process's reach: UMAP + HDBSCAN fitted on a sample of the observations, the
 * rest placed by {@link SampleModel}. The sample is stratified by the previous run's clusters, with
 * a floor per cluster, so that small clusters survive it; cluster sizes are scaled to it; cluster
 * ids are matched against the previous run on the sample, which stands for the whole. A warm start
 * holds the sample rows the previous run laid out where they were and lays out only the others
 * ({@link ClusterPipeline#holdingLaidOutRows}): the layout of a run over every row (or of the
 * previous sampled fit) is a better account of the whole than one the sample's thinner neighbour
 * graph would settle into (src/bench/RESULTS.md, "Holding the laid-out rows").
 */
public final class SampleFit {

    /** A fitted sample: its ids (sorted), the pipeline's answer for them, their ids matched, the model. */
    public record Result(List<String> ids, Clustering clustering, StableIds.Assignment assignment, SampleModel model,
                         ClusterSettings settings) {
    }

    private SampleFit() {
    }

    /**
     * The sample's ids: every previous cluster keeps at least {@code floor} members (all, if it has
     * fewer), the rest of {@code size} shared in proportion among clusters, noise and new
     * observations; seeded, so the same rows give the same sample.
     *
     * @param previous per observation id: its previous cluster id, {@link StableIds#NOISE_BEFORE}, or null (new)
     */
    public static List<String> choose(Map<String, String> previous, int size, int floor, long seed) {
        Map<String, List<String>> strata = new HashMap<>();
        previous.forEach((id, c) -> strata.computeIfAbsent(c == null ? "\u0000new" : c, k -> new ArrayList<>()).add(id));
        int n = previous.size();
        if (size >= n) {
            List<String> all = new ArrayList<>(previous.keySet());
            all.sort(Comparator.naturalOrder());
            return all;
        }
        List<String> keys = new ArrayList<>(strata.keySet());
        keys.sort(Comparator.naturalOrder());
        Map<String, Integer> take = new HashMap<>();
        int floors = 0;
        for (String k : keys) {
            boolean cluster = !k.equals("\u0000new") && !k.equals(StableIds.NOISE_BEFORE);
            int t = cluster ? Math.min(strata.get(k).size(), floor) : 0;
            take.put(k, t);
            floors += t;
        }
        int left = Math.max(0, size - floors);
        int rest = n - floors;
        for (String k : keys) {
            int extra = rest == 0 ? 0 : (int) Math.round((double) left * (strata.get(k).size() - take.get(k)) / rest);
            take.put(k, Math.min(strata.get(k).size(), take.get(k) + extra));
        }
        // Each observation's place in line is a hash of its id: the next run, over mostly the same
        // rows, picks mostly the same sample (and its warm start finds their positions).
        List<String> out = new ArrayList<>(size);
        for (String k : keys) {
            List<String> ids = new ArrayList<>(strata.get(k));
            ids.sort(Comparator.comparingLong((String id) -> priority(id, seed)).thenComparing(Comparator.naturalOrder()));
            out.addAll(ids.subList(0, take.get(k)));
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static long priority(String id, long seed) {
        long z = seed * 0x9E3779B97F4A7C15L + id.hashCode();
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The stratification floor: twice the sample's cluster size, so a previous cluster can be found again. */
    public static int floor(ClusterSettings settings, int sample, int collection) {
        return 2 * scaled(settings.forCollection(collection), sample, collection).minClusterSize();
    }

    /**
     * The settings for a sample of {@code sample} out of {@code collection}: the cluster size scaled
     * by the share (a cluster of 100 in the whole is one of 50 in a half sample), but never below
     * {@link #sizeFloor}; the core neighbourhood by the rule for that size. Without the floor a 5%
     * sample of a million was clustered with clusters of 5 and fragmented (1,501 clusters, 24% noise);
     * with it a run's finest cluster grows with the collection past four times the sample
     * (src/bench/RESULTS.md).
     */
    static ClusterSettings scaled(ClusterSettings forCollection, int sample, int collection) {
        double share = Math.min(1, (double) sample / collection);
        int size = Math.max(sizeFloor(sample), (int) Math.round(forCollection.minClusterSize() * share));
        return forCollection.withMinClusterSize(size).withMinSamples(ClusterSettings.minSamplesFor(size));
    }

    /**
     * A sample's smallest cluster: a quarter of the rule's size for a collection as large as the
     * sample (25 for 50,000; what the rule without its ceiling, √n / 2, scales to in a 5% sample of a
     * million). It binds only where the sample is under a quarter of the collection.
     */
    static int sizeFloor(int sample) {
        return Math.max(ClusterSettings.RULE_FLOOR, ClusterSettings.minClusterSizeFor(sample) / 4);
    }

    /**
     * Fits the sample and matches its clusters to the previous run's ids.
     *
     * @param ids        the sample's observation ids, sorted
     * @param previous   per sample row: previous cluster id, NOISE_BEFORE, or null
     * @param collection how many observations the whole space holds
     * @param hold       keep the rows {@code prior} places where they were (false: a layout made under
     *                   other settings, which is only a start)
     */
    public static Result fit(String space, List<String> ids, float[][] vectors, String[] previous,
                             ClusterSettings settings, int collection, long nextNumber, ClusterPipeline.Prior prior,
                             boolean hold, Umap.Progress progress) {
        ClusterSettings used = scaled(settings.forCollection(collection), ids.size(), collection);
        ClusterPipeline pipeline = new ClusterPipeline(used, progress);
        Clustering c = (hold ? pipeline.holdingLaidOutRows() : pipeline).run(vectors, prior);
        StableIds.Assignment a = StableIds.assign(previous, c.labels(), nextNumber);
        List<SampleModel.Member> fitted = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            fitted.add(new SampleModel.Member(a.ids()[i], c.map()[i][0], c.map()[i][1], c.probabilities()[i],
                    c.outlierScores()[i]));
        }
        progress.report("sample model", 0);
        SampleModel model = SampleModel.of(space, ids, vectors, fitted);
        progress.report("sample model", 1);
        return new Result(ids, c, a, model, used);
    }
}
