#!/usr/bin/python3
"""The peer for group classification: a scikit-learn logistic-regression probe on the same
embeddings and the same split as Viewfold's classifiers (src/bench/java/.../Issue20.java).

usage: groups_probe.py DIR
DIR holds train_x.npy, train_y.txt, test_x.npy, test_y.txt (one label per line).
Prints one line per probe: name accuracy seconds
  logreg-default:  LogisticRegression(max_iter=5000), C = 1
  logreg-cv:       LogisticRegressionCV (5-fold, 10 values of C from 1e-4 to 1e4), the probe at its best
Run with Debian's python3 (apt-get install python3-sklearn).
"""
import sys
import time
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV


def labels(path):
    with open(path, encoding="utf-8") as f:
        return np.array([line.rstrip("\n") for line in f])


def main():
    d = sys.argv[1]
    xtr, ytr = np.load(d + "/train_x.npy"), labels(d + "/train_y.txt")
    xte, yte = np.load(d + "/test_x.npy"), labels(d + "/test_y.txt")
    warnings.filterwarnings("ignore")
    probes = [
        ("logreg-default", LogisticRegression(max_iter=5000), lambda x: x),
        ("logreg-cv", LogisticRegressionCV(Cs=10, cv=5, max_iter=5000), lambda x: x),
    ]
    for name, model, features in probes:
        t0 = time.time()
        model.fit(features(xtr), ytr)
        accuracy = float((model.predict(features(xte)) == yte).mean())
        print(f"{name} {accuracy:.4f} {time.time() - t0:.2f}", flush=True)


if __name__ == "__main__":
    main()
