#!/usr/bin/python3
"""Search peers on the same vectors as SearchBench, one thread: faiss IndexFlatIP and a numpy scan
(exact), hnswlib (approximate). Prints one JSON object per line for SearchBench to read.

usage: search_peers.py <dir with corpus.npy, queries.npy, truth.npy> <M> <ef_construction> <ef,ef,...>
"""
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402
import faiss  # noqa: E402
import hnswlib  # noqa: E402

folder, m, ef_construction, efs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), [int(e) for e in sys.argv[4].split(",")]
corpus = np.load(os.path.join(folder, "corpus.npy"))
queries = np.load(os.path.join(folder, "queries.npy"))
truth = np.load(os.path.join(folder, "truth.npy"))
faiss.omp_set_num_threads(1)
k = truth.shape[1]


def emit(**row):
    print(json.dumps(row), flush=True)


def latency_ms(search, n=300):
    for q in queries[:20]:
        search(q[None, :])
    t = []
    for q in queries[:n]:
        s = time.perf_counter()
        search(q[None, :])
        t.append((time.perf_counter() - s) * 1000)
    return float(np.mean(t)), float(np.percentile(t, 50))


flat = faiss.IndexFlatIP(corpus.shape[1])
flat.add(corpus)
mean, p50 = latency_ms(lambda q: flat.search(q, k))
emit(peer="faiss IndexFlatIP", kind="exact", mean_ms=mean, p50_ms=p50)
mean, p50 = latency_ms(lambda q: np.argpartition(-(corpus @ q[0]), k)[:k])
emit(peer="numpy scan", kind="exact", mean_ms=mean, p50_ms=p50)

index = hnswlib.Index(space="ip", dim=corpus.shape[1])
index.init_index(max_elements=corpus.shape[0], M=m, ef_construction=ef_construction, random_seed=42)
index.set_num_threads(1)
s = time.perf_counter()
index.add_items(corpus, np.arange(corpus.shape[0]))
emit(peer="hnswlib", kind="build", seconds=time.perf_counter() - s)
for ef in efs:
    index.set_ef(max(ef, k))
    index.knn_query(queries[:50], k=k)
    found = 0
    s = time.perf_counter()
    for i, q in enumerate(queries):
        labels, _ = index.knn_query(q[None, :], k=k)
        found += len(set(labels[0].tolist()) & set(truth[i].tolist()))
    elapsed = time.perf_counter() - s
    emit(peer="hnswlib", kind="approximate", ef=ef, recall=found / truth.size, qps=len(queries) / elapsed)
