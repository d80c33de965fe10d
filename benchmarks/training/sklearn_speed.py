#!/usr/bin/env python3
"""scikit-learn side of the training-speed benchmark (benchmarks/run.sh training runs it between EdgeNet runs).

    sklearn_speed.py TRAIN HIDDEN EPOCHS BATCH LEARNING_RATE ALPHA SEED

TRAIN is the FANN-format file edgenet-bench writes (the same standardized fit rows EdgeNet trains on, one-hot
targets). MLPClassifier with the trainer's default recipe: ReLU hidden layers, softmax cross-entropy, Adam
(beta 0.9 / 0.999, epsilon 1e-8), mini-batches of BATCH, a reshuffle per epoch, exactly EPOCHS epochs (no early
stopping, no tolerance stop). One BLAS thread: run with OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 (the
driver sets them). "seconds" times fit() only. Prints one JSON object.
"""
import json
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier


def read_fann(path):
    with open(path) as f:
        rows, inputs, outputs = (int(v) for v in f.readline().split())
        x = np.empty((rows, inputs), dtype=np.float64)
        y = np.empty(rows, dtype=np.int64)
        for r in range(rows):
            x[r] = [float(v) for v in f.readline().split()]
            y[r] = int(np.argmax([float(v) for v in f.readline().split()]))
    return x, y


def main():
    if len(sys.argv) != 8:
        sys.stderr.write(__doc__)
        return 2
    path, hidden, epochs, batch, rate, alpha, seed = sys.argv[1:]
    x, y = read_fann(path)
    net = MLPClassifier(hidden_layer_sizes=tuple(int(h) for h in hidden.split(",")), activation="relu", solver="adam",
                        alpha=float(alpha), batch_size=int(batch), learning_rate_init=float(rate), max_iter=int(epochs),
                        shuffle=True, random_state=int(seed), tol=0.0, n_iter_no_change=int(epochs) + 1,
                        early_stopping=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        net.fit(x, y)
        seconds = time.perf_counter() - start
    print(json.dumps({"tool": "scikit-learn " + sklearn.__version__, "numpy": np.__version__, "samples": len(y),
                      "epochs": net.n_iter_, "seconds": round(seconds, 6),
                      "samples_per_second": round(len(y) * net.n_iter_ / seconds, 1),
                      "train_accuracy": round(float(net.score(x, y)), 4)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
