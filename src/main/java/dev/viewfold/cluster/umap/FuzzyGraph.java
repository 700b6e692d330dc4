package dev.viewfold.cluster.umap;

/**
 * The symmetric fuzzy simplicial set as a sparse matrix in CSR form, O(n·k): row {@code i} holds
 * {@code columns[rowStart[i] .. rowStart[i+1])} (ascending) with their membership weights.
 */
record FuzzyGraph(int n, int[] rowStart, int[] columns, float[] weights) {

    private static final int SEARCH_STEPS = 64;
    private static final double TOLERANCE = 1e-5;
    private static final double MIN_K_DIST_SCALE = 1e-3;

    /**
     * umap-learn's fuzzy_simplicial_set with local connectivity 1 and set-op mix ratio 1:
     * per point, ρ = distance to the nearest other point and σ such that
     * Σ exp(−(dᵢⱼ − ρ)/σ) = log2(k); then the fuzzy union P + Pᵀ − P∘Pᵀ.
     *
     * @param distances metric distances in the layout of {@code knn} (self first)
     */
    static FuzzyGraph of(KnnGraph knn, float[] distances) {
        int n = knn.n();
        int k = knn.k();
        double target = Math.log(k) / Math.log(2);
        double meanAll = 0;
        for (float d : distances) {
            meanAll += d;
        }
        meanAll /= distances.length;
        float[] strength = new float[n * k];
        for (int i = 0; i < n; i++) {
            int base = i * k;
            double rho = 0;
            for (int j = 0; j < k; j++) {
                if (distances[base + j] > 0) {
                    rho = distances[base + j];
                    break;
                }
            }
            double lo = 0;
            double hi = Double.POSITIVE_INFINITY;
            double mid = 1;
            for (int step = 0; step < SEARCH_STEPS; step++) {
                double sum = 0;
                for (int j = 1; j < k; j++) {
                    double d = distances[base + j] - rho;
                    sum += d > 0 ? Math.exp(-d / mid) : 1;
                }
                if (Math.abs(sum - target) < TOLERANCE) {
                    break;
                }
                if (sum > target) {
                    hi = mid;
                    mid = (lo + hi) / 2;
                } else {
                    lo = mid;
                    mid = hi == Double.POSITIVE_INFINITY ? mid * 2 : (lo + hi) / 2;
                }
            }
            double sigma = mid;
            if (rho > 0) {
                double mean = 0;
                for (int j = 0; j < k; j++) {
                    mean += distances[base + j];
                }
                sigma = Math.max(sigma, MIN_K_DIST_SCALE * mean / k);
            } else {
                sigma = Math.max(sigma, MIN_K_DIST_SCALE * meanAll);
            }
            for (int j = 0; j < k; j++) {
                int id = knn.indices()[base + j];
                double d = distances[base + j] - rho;
                strength[base + j] = id == i ? 0f
                        : (d <= 0 || sigma == 0) ? 1f : (float) Math.exp(-d / sigma);
            }
        }
        return union(n, k, knn.indices(), strength);
    }

    /** P + Pᵀ − P∘Pᵀ of the directed kNN memberships, zeros dropped. */
    private static FuzzyGraph union(int n, int k, int[] idx, float[] strength) {
        // Directed rows sorted by column (a point appears at most once per row; self has weight 0).
        int[] pStart = new int[n + 1];
        int[] pCol = new int[n * k];
        float[] pW = new float[n * k];
        long[] packed = new long[k];
        int nnz = 0;
        for (int i = 0; i < n; i++) {
            int cnt = 0;
            for (int j = 0; j < k; j++) {
                int col = idx[i * k + j];
                float w = strength[i * k + j];
                if (w > 0 && col != i) {
                    packed[cnt++] = ((long) col << 32) | (Float.floatToRawIntBits(w) & 0xFFFFFFFFL);
                }
            }
            java.util.Arrays.sort(packed, 0, cnt);
            int last = -1;
            for (int t = 0; t < cnt; t++) {
                int col = (int) (packed[t] >>> 32);
                if (col == last) {
                    continue; // duplicate neighbour: keep one
                }
                last = col;
                pCol[nnz] = col;
                pW[nnz] = Float.intBitsToFloat((int) packed[t]);
                nnz++;
            }
            pStart[i + 1] = nnz;
        }
        // Transpose by counting sort: rows of Pᵀ come out sorted by column because i ascends.
        int[] tStart = new int[n + 1];
        for (int t = 0; t < nnz; t++) {
            tStart[pCol[t] + 1]++;
        }
        for (int i = 0; i < n; i++) {
            tStart[i + 1] += tStart[i];
        }
        int[] tCol = new int[nnz];
        float[] tW = new float[nnz];
        int[] fill = java.util.Arrays.copyOf(tStart, n);
        for (int i = 0; i < n; i++) {
            for (int t = pStart[i]; t < pStart[i + 1]; t++) {
                int pos = fill[pCol[t]]++;
                tCol[pos] = i;
                tW[pos] = pW[t];
            }
        }
        // Merge row by row.
        int[] start = new int[n + 1];
        int[] col = new int[2 * nnz];
        float[] w = new float[2 * nnz];
        int out = 0;
        for (int i = 0; i < n; i++) {
            int a = pStart[i];
            int aEnd = pStart[i + 1];
            int b = tStart[i];
            int bEnd = tStart[i + 1];
            while (a < aEnd || b < bEnd) {
                int ca = a < aEnd ? pCol[a] : Integer.MAX_VALUE;
                int cb = b < bEnd ? tCol[b] : Integer.MAX_VALUE;
                float value;
                int c;
                if (ca == cb) {
                    c = ca;
                    value = pW[a] + tW[b] - pW[a] * tW[b];
                    a++;
                    b++;
                } else if (ca < cb) {
                    c = ca;
                    value = pW[a++];
                } else {
                    c = cb;
                    value = tW[b++];
                }
                if (value > 0) {
                    col[out] = c;
                    w[out] = value;
                    out++;
                }
            }
            start[i + 1] = out;
        }
        return new FuzzyGraph(n, start, java.util.Arrays.copyOf(col, out), java.util.Arrays.copyOf(w, out));
    }

    int edges() {
        return columns.length;
    }
}
