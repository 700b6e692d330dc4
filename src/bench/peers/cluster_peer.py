#!/usr/bin/python3
"""The peers' clustering pipeline, first half: umap-learn to a few dimensions for clustering
(min_dist 0) and to 2-d for the map, the map reusing the first fit's neighbour graph
(precomputed_knn), as Viewfold's pipeline shares one graph. R dbscan::hdbscan then clusters the
first output (src/bench/peers/hdbscan_time.R).

usage: cluster_peer.py IN.npy OUT_CLUSTER.csv N_NEIGHBORS DIMS MAP_MIN_DIST SEED
Prints one line: seconds=<both fits>. Run with Debian's python3 (apt-get install umap-learn).
"""
import sys
import time

import numpy as np


def main():
    src, dst, k, dims, map_min_dist, seed = sys.argv[1:7]
    x = np.load(src).astype(np.float32)
    import umap
    t0 = time.time()
    space = umap.UMAP(n_neighbors=int(k), n_components=int(dims), min_dist=0.0, metric="cosine",
                      random_state=int(seed))
    y = space.fit_transform(x)
    knn = (space._knn_indices, space._knn_dists, space._knn_search_index)
    umap.UMAP(n_neighbors=int(k), n_components=2, min_dist=float(map_min_dist), metric="cosine",
              random_state=int(seed), precomputed_knn=knn).fit_transform(x)
    seconds = time.time() - t0
    np.savetxt(dst, y, delimiter=",", header=",".join(f"d{i}" for i in range(y.shape[1])), comments="",
               fmt="%.6f")
    print(f"seconds={seconds:.2f}", flush=True)


if __name__ == "__main__":
    main()
