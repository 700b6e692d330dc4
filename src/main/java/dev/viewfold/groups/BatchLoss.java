package dev.viewfold.groups;

/**
 * The loss of one batch from its similarity matrix, and its gradient with respect to each
 * similarity. Outputs are unit vectors, so with cosine distance {@code d = 1 − s}:
 *
 * <ul>
 *   <li>triplet: {@code max(0, d_ap − d_an + m) = max(0, s_an − s_ap + m)}, averaged over the mined
 *       triplets (inactive ones included, so the loss fades as the batch is learned);</li>
 *   <li>contrastive: positives {@code d = 1 − s}, negatives {@code max(0, m − d)}, each averaged
 *       over its active pairs and the two added. Averaging negatives over the few still inside the
 *       margin, not over all, keeps them from being outvoted by the many positives, which would
 *       otherwise pull every output together.</li>
 * </ul>
 *
 * {@code coef[i·n + j] = ∂L/∂s_ij} for the ordered pair as the loss used it; the caller adds both
 * orders when turning it into gradients on the outputs.
 */
final class BatchLoss {

    final LossKind kind;
    final Mining mining;
    final float margin;
    /** Of the last batch: triplets (or pairs) with a nonzero loss, and all of them. */
    long active;
    long total;

    BatchLoss(LossKind kind, Mining mining, float margin) {
        this.kind = kind;
        this.mining = mining;
        this.margin = margin;
    }

    /**
     * @param sims {@code n × n} similarities
     * @param positive {@code n × n}, true where the two slots share a label (diagonal ignored)
     * @param coef filled with {@code ∂L/∂s}, {@code n × n}
     */
    double compute(int n, float[] sims, boolean[] positive, float[] coef) {
        java.util.Arrays.fill(coef, 0, n * n, 0f);
        active = 0;
        total = 0;
        if (kind == LossKind.CONTRASTIVE) {
            return contrastive(n, sims, positive, coef);
        }
        return mining == Mining.BATCH_HARD ? batchHard(n, sims, positive, coef) : semiHard(n, sims, positive, coef);
    }

    private double batchHard(int n, float[] sims, boolean[] positive, float[] coef) {
        int anchors = 0;
        for (int a = 0; a < n; a++) {
            if (hasBoth(a, n, positive)) {
                anchors++;
            }
        }
        if (anchors == 0) {
            return 0;
        }
        float w = 1f / anchors;
        double loss = 0;
        for (int a = 0; a < n; a++) {
            int p = -1;
            int q = -1;
            for (int j = 0; j < n; j++) {
                if (j == a) {
                    continue;
                }
                float s = sims[a * n + j];
                if (positive[a * n + j]) {
                    if (p < 0 || s < sims[a * n + p]) {
                        p = j;
                    }
                } else if (q < 0 || s > sims[a * n + q]) {
                    q = j;
                }
            }
            if (p < 0 || q < 0) {
                continue;
            }
            total++;
            float l = sims[a * n + q] - sims[a * n + p] + margin;
            if (l > 0) {
                active++;
                loss += l;
                coef[a * n + q] += w;
                coef[a * n + p] -= w;
            }
        }
        return loss / anchors;
    }

    private double semiHard(int n, float[] sims, boolean[] positive, float[] coef) {
        int pairs = 0;
        for (int a = 0; a < n; a++) {
            if (hasBoth(a, n, positive)) {
                for (int p = 0; p < n; p++) {
                    if (p != a && positive[a * n + p]) {
                        pairs++;
                    }
                }
            }
        }
        if (pairs == 0) {
            return 0;
        }
        float w = 1f / pairs;
        double loss = 0;
        for (int a = 0; a < n; a++) {
            if (!hasBoth(a, n, positive)) {
                continue;
            }
            int row = a * n;
            for (int p = 0; p < n; p++) {
                if (p == a || !positive[row + p]) {
                    continue;
                }
                float sap = sims[row + p];
                // Semi-hard: the most similar negative still less similar than the positive;
                // failing that, the least similar negative.
                int semi = -1;
                int easiest = -1;
                for (int q = 0; q < n; q++) {
                    if (q == a || positive[row + q]) {
                        continue;
                    }
                    float s = sims[row + q];
                    if (s < sap && (semi < 0 || s > sims[row + semi])) {
                        semi = q;
                    }
                    if (easiest < 0 || s < sims[row + easiest]) {
                        easiest = q;
                    }
                }
                int q = semi >= 0 ? semi : easiest;
                total++;
                float l = sims[row + q] - sap + margin;
                if (l > 0) {
                    active++;
                    loss += l;
                    coef[row + q] += w;
                    coef[row + p] -= w;
                }
            }
        }
        return loss / pairs;
    }

    private double contrastive(int n, float[] sims, boolean[] positive, float[] coef) {
        int pos = 0;
        int neg = 0;
        double posLoss = 0;
        double negLoss = 0;
        float limit = 1f - margin;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                float s = sims[i * n + j];
                total++;
                if (positive[i * n + j]) {
                    if (s < 1f) {
                        pos++;
                        posLoss += 1f - s;
                    }
                } else if (s > limit) {
                    neg++;
                    negLoss += s - limit;
                }
            }
        }
        active = pos + neg;
        float wp = pos == 0 ? 0f : -1f / pos;
        float wn = neg == 0 ? 0f : 1f / neg;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                float s = sims[i * n + j];
                if (positive[i * n + j]) {
                    if (s < 1f) {
                        coef[i * n + j] = wp;
                    }
                } else if (s > limit) {
                    coef[i * n + j] = wn;
                }
            }
        }
        return (pos == 0 ? 0 : posLoss / pos) + (neg == 0 ? 0 : negLoss / neg);
    }

    private static boolean hasBoth(int a, int n, boolean[] positive) {
        boolean pos = false;
        boolean neg = false;
        for (int j = 0; j < n; j++) {
            if (j != a) {
                if (positive[a * n + j]) {
                    pos = true;
                } else {
                    neg = true;
                }
            }
        }
        return pos && neg;
    }
}
