package dev.viewfold.cluster;

import dev.viewfold.search.IndexEntry;
import dev.viewfold.search.Metric;
import dev.viewfold.search.Neighbour;
import dev.viewfold.search.SearchBackend;
import dev.viewfold.search.SearchFilter;
import dev.viewfold.search.memory.SearchIndex;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A clustering fitted on a sample of the observations, placing any other observation: its cluster
 * by a similarity-weighted vote of its nearest sample members in the embedding space (noise when
 * the vote is split, or when it is less like the winning cluster than that cluster's own least
 * connected member is), its map position among the winners' positions. The sample's clusters
 * already carry their lasting ids, so a placement needs nothing from the other placements.
 */
public final class SampleModel {

    /** Sample members asked per placement (as many as UMAP's neighbourhood). */
    static final int VOTERS = 15;
    /** The winning cluster needs this share of the vote, or the observation is noise. */
    static final double MAJORITY = 0.5;

    /** Where a sample member is: its cluster id (null: noise), map position, membership and outlier scores. */
    public record Member(String clusterId, float x, float y, double probability, double outlierScore) {
    }

    /** Where an observation goes. */
    public record Placed(String clusterId, float x, float y, double probability, double outlierScore) {
    }

    private final SearchIndex sample;
    private final Map<String, Member> members;
    private final Map<String, Float> cutoff;

    /**
     * @param sample  the sample's vectors (entries named by observation id)
     * @param members each sample observation's place
     * @param cutoff  per cluster id: the lowest similarity to a fellow member any member has
     */
    public SampleModel(SearchIndex sample, Map<String, Member> members, Map<String, Float> cutoff) {
        this.sample = sample;
        this.members = members;
        this.cutoff = cutoff;
    }

    /** Builds the model from a fitted sample: its vectors, ids, and what the fit decided for each. */
    public static SampleModel of(String space, List<String> ids, float[][] vectors, List<Member> fitted) {
        SearchIndex index = new SearchIndex(space, vectors[0].length,
                new SearchIndex.Settings(20_000, 16, 100, 64, 42));
        Map<String, Member> members = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            Member m = fitted.get(i);
            index.upsert(new IndexEntry(ids.get(i), ids.get(i), m.clusterId(), Set.of(), Instant.EPOCH), vectors[i]);
            members.put(ids.get(i), m);
        }
        index.buildGraphNow();
        Map<String, Float> cutoff = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            String c = fitted.get(i).clusterId();
            if (c == null) {
                continue;
            }
            // The nearest fellow member (the first hit is the member itself).
            var hits = index.search(vectors[i], 2, Metric.COSINE, new SearchFilter(Set.of(c), Set.of(), null, null),
                    SearchBackend.Mode.AUTO).neighbours();
            float nearest = hits.size() < 2 ? 1f : hits.get(1).score();
            cutoff.merge(c, nearest, Math::min);
        }
        return new SampleModel(index, members, cutoff);
    }

    public SearchIndex index() {
        return sample;
    }

    public Map<String, Member> members() {
        return members;
    }

    public Map<String, Float> cutoffs() {
        return cutoff;
    }

    /** Whether an observation was in the sample (its place is the fit's own). */
    public Member member(String observationId) {
        return members.get(observationId);
    }

    /** @param unit the observation's vector, unit length */
    public Placed place(float[] unit) {
        List<Neighbour> voters = sample.search(unit, VOTERS, Metric.COSINE, SearchFilter.NONE,
                SearchBackend.Mode.AUTO).neighbours();
        Map<String, Double> votes = new HashMap<>();
        double total = 0;
        for (Neighbour n : voters) {
            double w = Math.max(1e-6, n.score());
            String c = members.get(n.entry().id()).clusterId();
            votes.merge(c == null ? "" : c, w, Double::sum);
            total += w;
        }
        String winner = null;
        double best = -1;
        for (var e : votes.entrySet()) {
            if (e.getValue() > best || e.getValue() == best && e.getKey().compareTo(winner) < 0) {
                best = e.getValue();
                winner = e.getKey();
            }
        }
        double share = total == 0 ? 0 : best / total;
        String cluster = winner == null || winner.isEmpty() || share < MAJORITY ? null : winner;
        if (cluster != null) {
            float nearestFellow = 0;
            for (Neighbour n : voters) {
                if (cluster.equals(members.get(n.entry().id()).clusterId())) {
                    nearestFellow = Math.max(nearestFellow, n.score());
                }
            }
            if (nearestFellow < cutoff.getOrDefault(cluster, 1f)) {
                cluster = null; // further from the cluster than any of its own members is
            }
        }
        double x = 0;
        double y = 0;
        double weight = 0;
        double probability = 0;
        double outlier = 0;
        for (Neighbour n : voters) {
            Member m = members.get(n.entry().id());
            if (cluster == null || cluster.equals(m.clusterId())) {
                double w = Math.max(1e-6, n.score());
                x += w * m.x();
                y += w * m.y();
                probability += w * m.probability();
                outlier += w * m.outlierScore();
                weight += w;
            }
        }
        if (weight == 0) {
            return new Placed(null, 0, 0, 0, 1);
        }
        return new Placed(cluster, (float) (x / weight), (float) (y / weight),
                cluster == null ? 0 : share * probability / weight, Math.max(1 - share, outlier / weight));
    }
}
