#!/usr/bin/python3
"""Which evidence should robust weigh? The variants tried for issue #20 (RESULTS "Robust with the collection").

AggregateBench's protocol in NumPy (v = 8; per object the views past its first 16 (COIL-100) or 8
(ORL) are the queries; 25% contamination files a quarter of each gallery's slots under other
objects, dealt from the views those objects lost, never copies of stored views), with its own
random draws, over the embeddings AggregateBench cached in target/bench-data (run it once first).
Tuning seeds only: COIL-100 101-105, ORL 101-110. Every variant folds each gallery twice, as the
product does: alone first (the stored folds: geometric median, median + max(2 MAD, 0.1)), then
weighing the space's spread (median and 1.4826 MAD of the kept views' distances to those folds)
and the other observations (exact scans of their folds and views).

  own MAD         the fixed geometric median with the observation's own rule only (no collection)
  fold vs GM      left out when another observation's fold is more like the view than its own
                  consensus (the geometric median, view included)
  fold vs mean    ... than the mean of its own observation's views (view included), by 0.5 spreads,
                  looked up only past 0.5 spreads above the space's median distance
  + nearest view  ... and another observation holds a view nearer than any sibling: the product's rule
  symmetric       as the product, the home's fold taken with the view added (both sides inclusive)
  leave-one-out   as the product, its own mean taken without the view
  same home       as the product, the nearest other view required in the home observation itself
  weighted        as the product, the kept views' agreement-weighted mean as the fold
Strays (past max(own 2 MAD, 10 spreads) from the consensus) are left out in every collection variant.

usage: python3 src/bench/experiments/robust_variants.py   (Debian's python3 with numpy; ~4 min on 2 cores)
"""
import sqlite3

import numpy as np

V = 8


def nrm(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def load(ds):
    c = sqlite3.connect(f"target/bench-data/{ds}/viewfold.db")
    obs = {}
    for o, v in c.execute("select observation_id, vector from image_rows where status='ok' "
                          "and space not like '%+head%' order by image_id"):
        obs.setdefault(o, []).append(np.frombuffer(v, dtype="<f4"))
    return [nrm(np.stack(obs[k]).astype(np.float64)) for k in sorted(obs)]


def gmed(x):
    """Weiszfeld from the mean, Vardi-Zhang at a data point."""
    y = x.mean(0)
    for _ in range(100):
        d = np.linalg.norm(x - y, axis=1)
        z = d < 1e-12
        w = np.where(z, 0, 1 / np.where(z, 1, d))
        t = (w[:, None] * x).sum(0) / w.sum()
        if z.any():
            r = np.linalg.norm((w[:, None] * (x - y)).sum(0))
            if r <= z.sum():
                break
            t = max(0, 1 - z.sum() / r) * t + min(1, z.sum() / r) * y
        if ((t - y) ** 2).sum() < 1e-14:
            y = t
            break
        y = t
    return nrm(y)


def own_cut(d, k=2.0, floor=0.1):
    def cut(keep):
        m = np.median(d[keep])
        return m + max(k * 1.4826 * np.median(np.abs(d[keep] - m)), floor)
    t = cut(np.ones(len(d), bool))
    return cut(d <= t) if len(d) >= 3 else t


def cap(flag, d):
    f = np.zeros(len(d), bool)
    f[[i for i in np.argsort(-d) if flag[i]][:(len(d) - 1) // 2 if len(d) >= 3 else 0]] = True
    return f


def trial(data, seed, maxg, c):
    rng = np.random.default_rng(seed * 1000 + V)
    perms = [rng.permutation(len(x)) for x in data]
    q = np.concatenate([x[p[maxg:]] for x, p in zip(data, perms)])
    truth = np.concatenate([[o] * (len(x) - maxg) for o, x in enumerate(data)])
    f = int(round(c * V))
    pool = [(o, perms[o][i]) for o in range(len(data)) for i in range(V - f, V)]
    while True:
        order = rng.permutation(len(pool))
        if all(pool[order[k]][0] != k // f for k in range(len(pool))) if f else True:
            break
    gal, owner = [], []
    for o, x in enumerate(data):
        g, ow = [], []
        for s in range(V):
            so, si = pool[order[o * f + s - (V - f)]] if s >= V - f else (o, perms[o][s])
            g.append(data[so][si])
            ow.append(so)
        gal.append(np.stack(g))
        owner.append(np.array(ow))
    return gal, owner, q, truth


def recall(index, q, truth):
    return ((q @ np.stack(index).T).argmax(1) == truth).mean()


def fold_all(gal, variant):
    n = len(gal)
    cons = [gmed(g) for g in gal]
    dist = [1 - g @ c for g, c in zip(gal, cons)]
    alone = [cap(d > own_cut(d), d) for d in dist]
    stored = [nrm(g[~f].mean(0)) for g, f in zip(gal, alone)]
    if variant == "own MAD":
        return alone, [None] * n, stored
    pooled = np.concatenate([1 - g[~f] @ s for g, f, s in zip(gal, alone, stored)])
    m = np.median(pooled)
    sc = 1.4826 * np.median(np.abs(pooled - m))
    folds = np.stack(stored)
    counts = np.array([(~f).sum() for f in alone])
    reach = np.array([(g[~f] @ s).mean() for g, f, s in zip(gal, alone, stored)])
    views = np.concatenate(gal)
    vo = np.repeat(np.arange(n), V)
    flags, homes, out = [], [], []
    for o, g in enumerate(gal):
        d = dist[o]
        stray = d > max(own_cut(d, 2.0, 0.0), m + 10 * sc)
        s = g @ folds.T
        s[:, o] = -9
        home = s.argmax(1)
        other = s.max(1)
        if variant == "symmetric":
            nb, rb = counts[home], reach[home]
            other = (nb * rb * other + 1) / np.sqrt(nb * nb * rb * rb + 2 * nb * rb * other + 1)
        sv = g @ views.T
        nearer = np.zeros(V, bool)
        for i in range(V):
            own = sv[i, vo == o].copy()
            own[i] = -9
            oth = sv[i].copy()
            oth[vo == o] = -9
            j = oth.argmax()
            nearer[i] = oth[j] > own.max() and (variant != "same home" or vo[j] == home[i])
        flag = cap(stray, d)
        for _ in range(3):
            new = stray.copy()
            for i in range(V):
                keep = ~flag
                if variant != "leave-one-out":
                    keep[i] = True
                else:
                    keep[i] = False
                if variant == "fold vs GM":
                    a = g[i] @ cons[o]
                else:
                    a = g[i] @ nrm(g[keep].mean(0))
                gated = variant == "fold vs GM" or 1 - a > m + 0.5 * sc
                margin = 0 if variant == "fold vs GM" else 0.5 * sc
                needs_view = variant not in ("fold vs GM", "fold vs mean")
                if gated and other[i] > a + margin and (nearer[i] or not needs_view):
                    new[i] = True
            new = cap(new, d)
            if (new == flag).all():
                break
            flag = new
        if variant == "weighted":
            w = np.maximum(g[~flag] @ nrm(g[~flag].mean(0)), 0)
            out.append(nrm((w[:, None] * g[~flag]).sum(0)))
        else:
            out.append(nrm(g[~flag].mean(0)))
        flags.append(flag)
        homes.append(home)
    return flags, homes, out


VARIANTS = ["own MAD", "fold vs GM", "fold vs mean", "+ nearest view", "symmetric", "leave-one-out", "same home",
            "weighted"]


def main():
    print("| dataset | variant | clean − mean | clean: true views flagged | 25% − oracle | precision | recall | home right |")
    print("|---|---|---|---|---|---|---|---|")
    for ds, maxg, seeds in (("coil100", 16, range(101, 106)), ("orl_faces", 8, range(101, 111))):
        data = load(ds)
        rows = {v: [] for v in VARIANTS}
        for seed in seeds:
            gal0, own0, q0, t0 = trial(data, seed, maxg, 0)
            gal, owner, q, truth = trial(data, seed, maxg, 0.25)
            mean0 = recall([nrm(g.mean(0)) for g in gal0], q0, t0)
            oracle = recall([nrm(g[ow == o].mean(0)) for o, (g, ow) in enumerate(zip(gal, owner))], q, truth)
            for variant in VARIANTS:
                f0, _, i0 = fold_all(gal0, variant)
                f, h, i = fold_all(gal, variant)
                inj = np.concatenate([ow != o for o, ow in enumerate(owner)])
                fl = np.concatenate(f)
                right = np.concatenate([(hh == ow) for hh, ow in zip(h, owner)]) if h[0] is not None else np.zeros_like(fl)
                tp = (fl & inj).sum()
                rows[variant].append((100 * (recall(i0, q0, t0) - mean0), np.concatenate(f0).mean(),
                                      100 * (recall(i, q, truth) - oracle), tp / max(fl.sum(), 1), tp / inj.sum(),
                                      (right & fl & inj).sum() / max(tp, 1)))
        for variant in VARIANTS:
            r = np.array(rows[variant])
            print("| %s | %s | %+.2f ± %.2f | %.4f | %+.2f ± %.2f | %.3f | %.3f | %s |" % (
                ds, variant, r[:, 0].mean(), r[:, 0].std(ddof=1), r[:, 1].mean(), r[:, 2].mean(), r[:, 2].std(ddof=1),
                r[:, 3].mean(), r[:, 4].mean(), "–" if variant == "own MAD" else "%.3f" % r[:, 5].mean()))


if __name__ == "__main__":
    main()
