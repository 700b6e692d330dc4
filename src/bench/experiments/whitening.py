#!/usr/bin/python3
"""Does PCA whitening of the space let one folded vector beat best view? (RESULTS "Aggregate")

The AggregateBench protocol on COIL-100 (per object a gallery of 8 random views, the views past
the first 16 of its shuffle are the queries, 25% contamination swaps views for other objects'),
over the embeddings AggregateBench cached in target/bench-data/coil100/viewfold.db (run it once
first). Whitening: 512 principal axes, eigenvalues^-0.5 (shrunk by 1e-3 of the largest), then
L2-normalised; fitted on the whole catalogue, on the gallery views alone, or on half the objects'
gallery views. `robust` here is a NumPy transcription of RobustStrategy (geometric median,
median + max(2 MAD, 0.1) twice, at most (n-1)/2 flags, agreement-weighted mean). Not kept in the
product: see RESULTS for why. About 3 minutes on 2 cores.

usage: python3 src/bench/experiments/whitening.py   (Debian's python3 with numpy)
"""
import sqlite3

import numpy as np

V, MAX_GALLERY, SEEDS = 8, 16, (1, 2, 3)


def nrm(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def load():
    c = sqlite3.connect("target/bench-data/coil100/viewfold.db")
    obs = {}
    for o, v in c.execute("select observation_id, vector from image_rows where status='ok' "
                          "and space not like '%+head%' order by image_id"):
        obs.setdefault(o, []).append(np.frombuffer(v, dtype="<f4"))
    return [nrm(np.stack(obs[k])) for k in sorted(obs)]


def galleries(data, seed, contamination):
    rng = np.random.default_rng(seed)
    gal, queries, truth, injected = [], [], [], []
    for o, x in enumerate(data):
        p = rng.permutation(len(x))
        gal.append(x[p[:V]].copy())
        queries.append(x[p[MAX_GALLERY:]])
        truth += [o] * (len(x) - MAX_GALLERY)
    for o in range(len(data)):
        mask = np.zeros(V, bool)
        for j in rng.choice(V, int(round(contamination * V)), replace=False):
            other = rng.choice([i for i in range(len(data)) if i != o])
            gal[o][j] = data[other][rng.integers(len(data[other]))]
            mask[j] = True
        injected.append(mask)
    return gal, np.concatenate(queries), np.array(truth), injected


def whitening(x, dims=512, power=0.5, shrink=1e-3):
    mu = x.mean(0)
    w, vecs = np.linalg.eigh(np.cov((x - mu).T))
    order = np.argsort(-w)[:dims]
    p = vecs[:, order] / np.power(w[order] + shrink * w[order[0]], power)
    return lambda y: nrm((y - mu) @ p)


def robust(x):
    n = len(x)
    y = x[np.argmin((1 - x @ x.T).sum(1))].copy()
    for _ in range(100):  # Weiszfeld
        d = np.maximum(np.linalg.norm(x - y, axis=1), 1e-9)
        y2 = (x / d[:, None]).sum(0) / (1 / d).sum()
        if np.linalg.norm(y2 - y) < 1e-7:
            break
        y = y2
    agreement = x @ nrm(y)
    dist = 1 - agreement

    def cut(keep):
        m = np.median(dist[keep])
        return m + max(2 * 1.4826 * np.median(np.abs(dist[keep] - m)), 0.1)
    t = cut(np.ones(n, bool))
    t = cut(dist <= t)
    flagged = np.zeros(n, bool)
    flagged[[i for i in np.argsort(-dist) if dist[i] > t][:(n - 1) // 2]] = True
    w = np.maximum(agreement[~flagged], 0)
    return nrm((w[:, None] * x[~flagged]).sum(0)), flagged


def main():
    data = load()
    n_obj = len(data)
    catalogue = np.concatenate(data)
    print("| whitening fitted on | contamination | best view | mean | robust | robust flag recall | mean, objects in the fit | mean, objects not in it |")
    print("|---|---|---|---|---|---|---|---|")
    for fit in ("none", "catalogue", "gallery", "half the objects"):
        for contamination in (0.0, 0.25):
            r = {k: [] for k in ("bv", "mean", "robust", "recall", "in", "out")}
            for seed in SEEDS:
                gal, q, truth, injected = galleries(data, seed, contamination)
                g = np.concatenate(gal)
                f = {"none": lambda y: y, "catalogue": whitening(catalogue) if fit == "catalogue" else None,
                     "gallery": whitening(g) if fit == "gallery" else None,
                     "half the objects": whitening(np.concatenate(gal[:n_obj // 2])) if fit.startswith("half") else None}[fit]
                qw, gw = f(q), [f(x) for x in gal]
                s = qw @ np.concatenate(gw).T
                best = s.reshape(len(q), n_obj, V).max(2)
                r["bv"].append((best.argmax(1) == truth).mean())
                hit = (qw @ np.stack([nrm(x.mean(0)) for x in gw]).T).argmax(1) == truth
                r["mean"].append(hit.mean())
                r["in"].append(hit[truth < n_obj // 2].mean())
                r["out"].append(hit[truth >= n_obj // 2].mean())
                folds = [robust(x) for x in gw]
                r["robust"].append(((qw @ np.stack([fo for fo, _ in folds]).T).argmax(1) == truth).mean())
                tp = sum((fl & m).sum() for (_, fl), m in zip(folds, injected))
                r["recall"].append(tp / max(sum(m.sum() for m in injected), 1))
            m = {k: np.mean(v) for k, v in r.items()}
            recall = f"{m['recall']:.3f}" if contamination else "–"
            split = (f"{m['in']:.3f} | {m['out']:.3f}" if fit.startswith("half") else "– | –")
            print(f"| {fit} | {int(contamination * 100)}% | {m['bv']:.4f} | {m['mean']:.4f} | {m['robust']:.4f} | {recall} | {split} |",
                  flush=True)


if __name__ == "__main__":
    main()
