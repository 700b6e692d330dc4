package dev.viewfold.cluster.hdbscan;

/**
 * GLOSH outlier scores (Campello et al. 2015) as R's {@code dbscan::hdbscan} computes them: a point
 * that leaves cluster C at height eps scores {@code 1 - eps_min(C) / eps}, where eps_min(C) is the
 * lowest death height among C's leaf clusters (C's own death when C is a leaf): how much denser the
 * densest part of C is than the point's own level. 0/0 (duplicates) scores 0.
 *
 * <p>One difference from R: when the root never splits, R takes the root's death as 0 and scores
 * every point 1; here the root is treated like any leaf (death = its lowest merge).
 */
final class Glosh {

    private Glosh() {
    }

    static double[] scores(CondensedTree tree) {
        double[] epsMin = new double[tree.clusterCount];
        for (int c = tree.clusterCount - 1; c >= 0; c--) {
            epsMin[c] = tree.isLeaf(c) ? tree.death[c]
                    : Math.min(epsMin[tree.childA[c]], epsMin[tree.childB[c]]);
        }
        double[] scores = new double[tree.pointCluster.length];
        for (int p = 0; p < scores.length; p++) {
            double eps = tree.pointEps[p];
            double min = epsMin[tree.pointCluster[p]];
            scores[p] = eps > 0 ? 1.0 - min / eps : 0.0;
        }
        return scores;
    }
}
