package dev.viewfold.bench;

import dev.viewfold.aggregate.Fold;
import dev.viewfold.aggregate.FoldStrategy;
import dev.viewfold.aggregate.RobustStrategy;
import dev.viewfold.aggregate.ScannedObservations;
import dev.viewfold.aggregate.View;
import dev.viewfold.groups.ProjectionHead;
import dev.viewfold.math.Vectors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One seed of the multi-view protocol: per object a gallery of v views folded into one vector, and
 * the object's views never used in any gallery as queries. Contamination files a share of each
 * gallery's slots under the wrong object, as a mislabelled upload does: the views an object loses
 * from those slots are the ones other galleries receive, each exactly once, so an intruder is a
 * photo of another object that this collection holds nowhere else, never a copy of one of its
 * stored views (a copy would make "where does it belong?" a lookup of the identical vector).
 *
 * @param ids       the objects' observation ids
 * @param galleries per object, its gallery views
 * @param owners    per object, per gallery view: the index of the object the view really shows
 */
record FoldTrial(List<String> ids, List<List<View>> galleries, List<int[]> owners, List<float[]> queries,
                 List<Integer> truth) {

    /** The largest gallery drawn from a dataset: 16 views, or all but two of the fewest an object has. */
    static int maxGallery(Map<String, List<Embeddings.Item>> data) {
        int fewest = data.values().stream().mapToInt(List::size).min().orElse(0);
        return Math.min(16, fewest - 2);
    }

    static FoldTrial draw(Map<String, List<Embeddings.Item>> data, int v, int maxGallery, double contamination,
                          long seed) {
        List<String> ids = new ArrayList<>(data.keySet());
        Random random = new Random(seed * 1000L + v);
        List<List<Embeddings.Item>> shuffled = new ArrayList<>();
        List<float[]> queries = new ArrayList<>();
        List<Integer> truth = new ArrayList<>();
        for (int o = 0; o < ids.size(); o++) {
            List<Embeddings.Item> views = new ArrayList<>(data.get(ids.get(o)));
            Collections.shuffle(views, random);
            shuffled.add(views);
            for (Embeddings.Item q : views.subList(maxGallery, views.size())) {
                queries.add(q.vector());
                truth.add(o);
            }
        }
        int foreign = (int) Math.round(contamination * v);
        // The displaced views, dealt out again so that no gallery gets one of its own back.
        List<int[]> pool = new ArrayList<>(); // {object, position in its shuffle}
        for (int o = 0; o < ids.size(); o++) {
            for (int i = v - foreign; i < v; i++) {
                pool.add(new int[] {o, i});
            }
        }
        for (int attempt = 0; foreign > 0; attempt++) {
            Collections.shuffle(pool, random);
            boolean selfDealt = false;
            for (int k = 0; k < pool.size() && !selfDealt; k++) {
                selfDealt = pool.get(k)[0] == k / foreign;
            }
            if (!selfDealt || attempt > 10_000) {
                break;
            }
        }
        List<List<View>> galleries = new ArrayList<>();
        List<int[]> owners = new ArrayList<>();
        for (int o = 0; o < ids.size(); o++) {
            List<View> g = new ArrayList<>();
            int[] owner = new int[v];
            for (int i = 0; i < v; i++) {
                int from = o;
                int position = i;
                if (i >= v - foreign) {
                    int[] dealt = pool.get(o * foreign + (i - (v - foreign)));
                    from = dealt[0];
                    position = dealt[1];
                }
                owner[i] = from;
                g.add(new View(ids.get(o) + "/" + i, Integer.toString(i), shuffled.get(from).get(position).vector()));
            }
            galleries.add(g);
            owners.add(owner);
        }
        return new FoldTrial(ids, galleries, owners, queries, truth);
    }

    /**
     * The clean trial with the last {@code round(share·v)} views of every gallery replaced by views of
     * another dataset: strays that belong to nothing in the collection (their owner is -1).
     */
    FoldTrial withStrangers(Map<String, List<Embeddings.Item>> other, double share, long seed) {
        List<List<Embeddings.Item>> pool = new ArrayList<>(other.values());
        Random random = new Random(seed * 7919L);
        List<List<View>> g = new ArrayList<>();
        List<int[]> own = new ArrayList<>();
        for (int o = 0; o < objects(); o++) {
            List<View> views = new ArrayList<>(galleries.get(o));
            int[] owner = owners.get(o).clone();
            int v = views.size();
            for (int i = v - (int) Math.round(share * v); i < v; i++) {
                List<Embeddings.Item> source = pool.get(random.nextInt(pool.size()));
                views.set(i, new View(ids.get(o) + "/" + i, Integer.toString(i),
                        source.get(random.nextInt(source.size())).vector()));
                owner[i] = -1;
            }
            g.add(views);
            own.add(owner);
        }
        return new FoldTrial(ids, g, own, queries, truth);
    }

    int objects() {
        return ids.size();
    }

    boolean contaminated() {
        for (int o = 0; o < objects(); o++) {
            for (int i = 0; i < owners.get(o).length; i++) {
                if (injected(o, i)) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean injected(int object, int view) {
        return owners.get(object)[view] != object;
    }

    /** The same trial after a head: every gallery view and query projected. */
    FoldTrial project(ProjectionHead head) {
        List<List<View>> g = new ArrayList<>();
        for (List<View> list : galleries) {
            g.add(list.stream().map(x -> new View(x.imageId(), x.viewId(), head.project(x.vector()))).toList());
        }
        return new FoldTrial(ids, g, owners, queries.stream().map(head::project).toList(), truth);
    }

    /** Every gallery folded by a strategy on its own views. */
    Fold[] fold(FoldStrategy s) {
        Fold[] out = new Fold[objects()];
        for (int o = 0; o < out.length; o++) {
            out[o] = s.fold(galleries.get(o));
        }
        return out;
    }

    /** The oracle: the mean of each gallery's true views, the intruders removed exactly. */
    Fold[] oracle() {
        Fold[] out = new Fold[objects()];
        for (int o = 0; o < out.length; o++) {
            List<float[]> own = new ArrayList<>();
            boolean[] out1 = new boolean[galleries.get(o).size()];
            for (int i = 0; i < out1.length; i++) {
                out1[i] = injected(o, i); // the oracle knows
                if (!out1[i]) {
                    own.add(galleries.get(o).get(i).vector());
                }
            }
            double[] w = new double[own.size()];
            java.util.Arrays.fill(w, 1);
            out[o] = new Fold(Vectors.normalised(Vectors.weightedSum(own, w)), new float[out1.length], out1, 0, "oracle");
        }
        return out;
    }

    /**
     * Robust as a collection folds it: every gallery first folded on its own views (the folds a space
     * holds), then each folded again weighing the rest, whose stored folds and views an exact scan
     * searches, as the search index would.
     */
    Fold[] foldInCollection(RobustStrategy robust) {
        Fold[] alone = fold(robust);
        ScannedObservations space = new ScannedObservations();
        for (int o = 0; o < objects(); o++) {
            space.add(ids.get(o), galleries.get(o), alone[o]);
        }
        Fold[] out = new Fold[objects()];
        for (int o = 0; o < out.length; o++) {
            out[o] = robust.fold(galleries.get(o), space.evidenceFor(ids.get(o)));
        }
        return out;
    }

    /** recall@1 and mean reciprocal rank of the true object for one vector per object. */
    double[] rank(Fold[] folds) {
        return rank((q, o) -> Vectors.dot(q, folds[o].vector()));
    }

    /** recall@1 and mean reciprocal rank when every gallery view is indexed and an object scores its best one. */
    double[] rankBestView() {
        return rank((q, o) -> {
            double best = -2;
            for (View x : galleries.get(o)) {
                best = Math.max(best, Vectors.dot(q, x.vector()));
            }
            return best;
        });
    }

    interface Similarity {
        double of(float[] query, int object);
    }

    double[] rank(Similarity sim) {
        double hits = 0;
        double ap = 0;
        double[] s = new double[objects()];
        for (int q = 0; q < queries.size(); q++) {
            for (int o = 0; o < s.length; o++) {
                s[o] = sim.of(queries.get(q), o);
            }
            int t = truth.get(q);
            int rank = 1;
            for (int o = 0; o < s.length; o++) {
                if (o != t && s[o] >= s[t]) {
                    rank++;
                }
            }
            hits += rank == 1 ? 1 : 0;
            ap += 1.0 / rank;
        }
        return new double[] {hits / queries.size(), ap / queries.size()};
    }

    /**
     * How a strategy's flags fare against the injected views: precision, recall, the share of
     * flagged intruders whose likely home is the object they show, the share of intruders flagged
     * with a home at all, and the share of true views flagged.
     */
    double[] flags(Fold[] folds) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int clean = 0;
        int homeRight = 0;
        for (int o = 0; o < folds.length; o++) {
            for (int i = 0; i < folds[o].outlier().length; i++) {
                boolean inj = injected(o, i);
                boolean flagged = folds[o].outlier()[i];
                tp += flagged && inj ? 1 : 0;
                fp += flagged && !inj ? 1 : 0;
                fn += !flagged && inj ? 1 : 0;
                clean += inj ? 0 : 1;
                var home = folds[o].home(i);
                int owner = owners.get(o)[i];
                // A stranger to the whole collection is right without a home; a view of another object, with that one.
                boolean right = owner < 0 ? home == null
                        : home != null && home.observationId().equals(ids.get(owner));
                if (flagged && inj && right) {
                    homeRight++;
                }
            }
        }
        return new double[] {tp + fp == 0 ? 1 : (double) tp / (tp + fp), tp + fn == 0 ? 1 : (double) tp / (tp + fn),
                tp == 0 ? Double.NaN : (double) homeRight / tp, (double) fp / Math.max(clean, 1)};
    }
}
