#!/usr/bin/python3
"""umap-learn beside Viewfold's UMAP: fit one .npy (float32, n x d), print time and trustworthiness.

usage: umap_learn_peer.py IN.npy OUT.npy METRIC N_NEIGHBORS N_COMPONENTS MIN_DIST SEED [TRUST_SAMPLE]
Prints one line: seconds=<fit wall time> trustworthiness=<k=15, sklearn> (input metric as METRIC).
Trustworthiness uses all points when n <= TRUST_SAMPLE (default 10000), else a seeded sample with
the same scaled formula as Viewfold's Trustworthiness.sampled (sklearn has no sampled variant);
TRUST_SAMPLE 0 skips it (UmapBench computes it in Java for both outputs anyway).
Run with Debian's python3 (apt-get install umap-learn python3-sklearn).
"""
import sys
import time

import numpy as np


def sampled_trust(x, y, k, metric, rows):
    from sklearn.metrics import pairwise_distances
    n = x.shape[0]
    total = 0.0
    for start in range(0, len(rows), 256):
        r = rows[start:start + 256]
        dx = pairwise_distances(x[r], x, metric=metric)
        dy = pairwise_distances(y[r], y)
        for t, i in enumerate(r):
            dx[t, i] = np.inf
            dy[t, i] = np.inf
            order = np.argsort(dx[t], kind="stable")
            rank = np.empty(n, dtype=np.int64)
            rank[order] = np.arange(1, n + 1)
            nn = np.argsort(dy[t], kind="stable")[:k]
            extra = rank[nn] - k
            total += extra[extra > 0].sum()
    total *= n / len(rows)
    return 1.0 - total * (2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)))


def main():
    src, dst, metric, k, dim, min_dist, seed = sys.argv[1:8]
    trust_sample = int(sys.argv[8]) if len(sys.argv) > 8 else 10000
    x = np.load(src).astype(np.float32)
    import umap
    t0 = time.time()
    y = umap.UMAP(n_neighbors=int(k), n_components=int(dim), min_dist=float(min_dist), metric=metric,
                  random_state=int(seed)).fit_transform(x)
    seconds = time.time() - t0
    np.save(dst, y.astype(np.float32))
    n = x.shape[0]
    if trust_sample == 0:
        tw = float("nan")
    elif n <= trust_sample:
        from sklearn.manifold import trustworthiness
        tw = trustworthiness(x, y, n_neighbors=15, metric=metric)
    else:
        rows = np.random.default_rng(int(seed)).choice(n, trust_sample, replace=False)
        tw = sampled_trust(x, y, 15, metric, rows)
    print(f"seconds={seconds:.2f} trustworthiness={tw:.4f}", flush=True)


if __name__ == "__main__":
    main()
