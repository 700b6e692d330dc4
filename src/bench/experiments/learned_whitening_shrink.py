#!/usr/bin/python3
"""How much ridge should the whitening head (train --head whiten) add? (RESULTS "Aggregate")

The AggregateBench protocol on COIL-100 (per object a gallery of 8 random views, the views past
the first 16 of its shuffle are the queries, 25% contamination swaps views for other objects'),
over the embeddings AggregateBench cached in target/bench-data/coil100/viewfold.db (run it once
first). For each shrink s: the within-observation covariance of the gallery views robust keeps,
plus s·trace/d on the diagonal, whitened through its Cholesky factor as ViewWhitening does; then
recall@1 of best view, mean and robust in that space, clean and at 25% contamination, seeds 1-5.
About 8 minutes on 2 cores.

usage: python3 src/bench/experiments/learned_whitening_shrink.py   (Debian's python3 with numpy)
"""
import numpy as np

from whitening import galleries, load, nrm, robust

SHRINKS, SEEDS = (0.01, 0.1, 0.3, 1.0, 3.0), (1, 2, 3, 4, 5)


def learned_whitening(observations, shrink):
    x = np.concatenate(observations)
    mu = x.mean(0)
    within = np.concatenate([o - o.mean(0) for o in observations if len(o) >= 2])
    c = within.T @ within / len(within)
    c += shrink * np.trace(c) / len(c) * np.eye(len(c))
    inverse = np.linalg.inv(np.linalg.cholesky(c))
    return lambda y: nrm((y - mu) @ inverse.T)


def recall(queries, truth, index):
    return ((queries @ index.T).argmax(1) == truth).mean()


def main():
    data = load()
    print("| shrink | clean: best view | clean: `mean` | clean: `robust` | 25%: `mean` | 25%: `robust` |")
    print("|---|---|---|---|---|---|")
    for shrink in SHRINKS:
        row = []
        for contamination in (0.0, 0.25):
            r = {"best": [], "mean": [], "robust": []}
            for seed in SEEDS:
                gal, q, truth, _ = galleries(data, seed, contamination)
                kept = [g[~robust(g)[1]] for g in gal]
                f = learned_whitening(kept, shrink)
                qw, gw = f(q), [f(g) for g in gal]
                best = (qw @ np.concatenate(gw).T).reshape(len(q), len(gw), -1).max(2)
                r["best"].append((best.argmax(1) == truth).mean())
                r["mean"].append(recall(qw, truth, np.stack([nrm(g.mean(0)) for g in gw])))
                r["robust"].append(recall(qw, truth, np.stack([robust(g)[0] for g in gw])))
            row += [np.mean(r["best"]), np.mean(r["mean"]), np.mean(r["robust"])] if contamination == 0 \
                else [np.mean(r["mean"]), np.mean(r["robust"])]
        print(f"| {shrink} | " + " | ".join(f"{v:.4f}" for v in row) + " |", flush=True)


if __name__ == "__main__":
    main()
