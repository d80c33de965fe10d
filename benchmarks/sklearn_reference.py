#!/usr/bin/env python3
"""Reference figures for the accuracy benchmark: scikit-learn's MLPClassifier of the same shape as
EdgeNet's default MLP, on standardized inputs (StandardScaler fitted on the training rows), on the
splits of ../shared/datasets/SPLITS.md, one run per seed.

    apt-get install -y python3-sklearn
    /usr/bin/python3 benchmarks/sklearn_reference.py --datasets ../shared/datasets --seeds 5 \
        --hidden 32 --out benchmarks/results/sklearn.json

`edgenet bench accuracy` reads the JSON and puts these figures beside EdgeNet's float and int8 ones.
A benchmark whose data is absent is listed with where to get it and skipped.

Two models per seed: scikit-learn's defaults (no early stopping), and the same with early stopping as
EdgeNet trains: early_stopping=True on the same validation share (--validation, EdgeNet's 10 %) with the
patience EdgeNet's cross-validated default uses (--patience; scikit-learn's n_iter_no_change). Differences
that remain: scikit-learn stops on validation accuracy (EdgeNet on the class-balanced loss), its validation
split is stratified by its own generator, and alpha (L2) stays at scikit-learn's default.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler


def read_csv(path):
    """Header names and rows of text cells. Files with one more cell than header names per row
    (the occupancy files start each row with a row number) lose that first cell."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], [r for r in rows[1:] if r]
    body = [r[1:] if len(r) == len(header) + 1 else r for r in body]
    return header, body


def read_arff(path):
    names, rows, data = [], [], False
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("%"):
                continue
            low = line.lower()
            if low.startswith("@attribute"):
                names.append(line.split()[1].strip("'\""))
            elif low.startswith("@data"):
                data = True
            elif data:
                rows.append([c.strip().strip("'\"") for c in line.split(",")])
    return names, rows


def columns(header, rows, features, label):
    idx = [header.index(c) for c in features]
    x = np.array([[float(r[i]) for i in idx] for r in rows], dtype=np.float64)
    y = np.array([r[header.index(label)] for r in rows])
    return x, y


def split_rows(x, y, train, test):
    (a, b), (c, d) = train, test
    return x[a - 1:b], y[a - 1:b], x[c - 1:d], y[c - 1:d]


OCC_FEATURES = ["Temperature", "Humidity", "Light", "CO2", "HumidityRatio"]
GAS_SKIP = {"gas", "concentration_ppmv", "batch"}


def load(bid, folder):
    """(x_train, y_train, x_test, y_test) of a benchmark id, as SPLITS.md fixes them."""
    if bid == "satellite":
        h, r = read_csv(os.path.join(folder, "satellite/satellite.csv"))
        x, y = columns(h, r, [c for c in h if c != "classes"], "classes")
        return split_rows(x, y, (1, 4435), (4436, 6435))
    if bid == "shuttle":
        h, r = read_csv(os.path.join(folder, "shuttle/shuttle.csv"))
        x, y = columns(h, r, [c for c in h if c != "Class"], "Class")
        return split_rows(x, y, (1, 43500), (43501, 58000))
    if bid == "room-occupancy":
        h, r = read_csv(os.path.join(folder, "room_occupancy_estimation/Occupancy_Estimation.csv"))
        feats = [c for c in h if c not in ("Date", "Time", "Room_Occupancy_Count")]
        x, y = columns(h, r, feats, "Room_Occupancy_Count")
        test = np.array([row[h.index("Date")] == "2017/12/23" for row in r])
        return x[~test], y[~test], x[test], y[test]
    if bid in ("occupancy", "occupancy-test2"):
        h, r = read_csv(os.path.join(folder, "occupancy/datatraining.txt"))
        xtr, ytr = columns(h, r, OCC_FEATURES, "Occupancy")
        name = "datatest.txt" if bid == "occupancy" else "datatest2.txt"
        h2, r2 = read_csv(os.path.join(folder, "occupancy", name))
        xte, yte = columns(h2, r2, OCC_FEATURES, "Occupancy")
        return xtr, ytr, xte, yte
    if bid.startswith("gas-drift"):
        h, r = read_csv(os.path.join(folder, "gas_sensor_drift/gas_drift_dR_32feat.csv"))
        x, y = columns(h, r, [c for c in h if c not in GAS_SKIP], "gas")
        batch = np.array([int(float(row[h.index("batch")])) for row in r])
        test_batch = {"gas-drift": 6, "gas-drift-b8": 8, "gas-drift-b9": 9}[bid]
        train = batch <= 5
        test = batch == test_batch
        return x[train], y[train], x[test], y[test]
    if bid == "ionosphere":
        h, r = read_arff(os.path.join(folder, "ionosphere/ionosphere.arff"))
        x, y = columns(h, r, h[:-1], h[-1])
        return split_rows(x, y, (1, 200), (201, 351))
    raise ValueError("unknown benchmark " + bid)


FILES = {
    "satellite": "satellite/satellite.csv",
    "shuttle": "shuttle/shuttle.csv",
    "room-occupancy": "room_occupancy_estimation/Occupancy_Estimation.csv",
    "occupancy": "occupancy/datatest.txt",
    "occupancy-test2": "occupancy/datatest2.txt",
    "gas-drift": "gas_sensor_drift/gas_drift_dR_32feat.csv",
    "gas-drift-b8": "gas_sensor_drift/gas_drift_dR_32feat.csv",
    "gas-drift-b9": "gas_sensor_drift/gas_drift_dR_32feat.csv",
    "ionosphere": "ionosphere/ionosphere.arff",
}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--datasets", default="../shared/datasets")
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--first-seed", type=int, default=1)
    p.add_argument("--hidden", default="32", help="hidden layer sizes, comma-separated (EdgeNet's default MLP)")
    p.add_argument("--max-iter", type=int, default=200, help="epochs (EdgeNet's default is 200 with early stopping)")
    p.add_argument("--validation", type=float, default=0.1, help="validation share of the early-stopping column (EdgeNet's default)")
    p.add_argument("--patience", type=int, default=50, help="n_iter_no_change of the early-stopping column (EdgeNet's default patience)")
    p.add_argument("--only", default=None, help="benchmark ids, comma-separated")
    p.add_argument("--no-early-stopping", default="",
                   help="benchmark ids, comma-separated, whose early-stopping column is not fitted (CPU); listed in the output")
    p.add_argument("--reuse-defaults", default=None,
                   help="take the default column from this earlier output when it was made with the same scikit-learn, "
                        "model, hidden sizes and seeds (the fits are deterministic), fitting only the early-stopping column")
    p.add_argument("--out", default="benchmarks/results/sklearn.json")
    a = p.parse_args()
    hidden = tuple(int(h) for h in a.hidden.split(","))
    ids = a.only.split(",") if a.only else list(FILES)
    warnings.filterwarnings("ignore", category=ConvergenceWarning)

    # The commit the figures were measured on, like every other results file (benchmarks/EdgeNet.Benchmarks/Stamp.cs).
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip() or "unknown"
    out = {"generated": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "commit": commit, "sklearn": sklearn.__version__,
           "hidden": list(hidden), "seeds": list(range(a.first_seed, a.first_seed + a.seeds)),
           "model": f"MLPClassifier(hidden_layer_sizes={hidden}, relu, adam, max_iter={a.max_iter}, other defaults) on StandardScaler inputs",
           "earlyStoppingModel": f"the same with early_stopping=True, validation_fraction={a.validation}, n_iter_no_change={a.patience}",
           "benchmarks": {}, "absent": {}}
    reused = None
    if a.reuse_defaults:
        with open(a.reuse_defaults) as f:
            old = json.load(f)
        if (old.get("sklearn"), old.get("model"), old.get("hidden"), old.get("seeds")) == (out["sklearn"], out["model"], out["hidden"], out["seeds"]):
            reused = old["benchmarks"]
            out["defaultsReusedFrom"] = f"{a.reuse_defaults} (generated {old.get('generated')}; same scikit-learn, model and seeds)"
        else:
            print(f"{a.reuse_defaults}: made with other settings, fitting the default column again", file=sys.stderr)
    cache = {}
    for bid in ids:
        path = os.path.join(a.datasets, FILES[bid])
        if not os.path.exists(path):
            out["absent"][bid] = f"{path} not found (see ../shared/datasets/README.md and SPLITS.md)"
            print(f"{bid}: absent ({path})", file=sys.stderr)
            continue
        xtr, ytr, xte, yte = load(bid, a.datasets)
        scaler = StandardScaler().fit(xtr)
        xtr_s, xte_s = scaler.transform(xtr), scaler.transform(xte)
        key = (FILES[bid].split("/")[0], len(ytr))
        figures = {}
        for kind, extra in (("default", {}), ("earlyStopping", {"early_stopping": True, "validation_fraction": a.validation, "n_iter_no_change": a.patience})):
            if kind == "earlyStopping" and bid in a.no_early_stopping.split(","):
                out.setdefault("earlyStoppingSkipped", []).append(bid)
                continue
            if kind == "default" and reused is not None and bid in reused:
                figures[kind] = {"accuracy": reused[bid]["accuracy"], "balancedAccuracy": reused[bid]["balancedAccuracy"]}
                continue
            acc, bal = [], []
            for s in range(a.first_seed, a.first_seed + a.seeds):
                t = time.time()
                model = cache.get((key, kind, s))
                if model is None:
                    model = MLPClassifier(hidden_layer_sizes=hidden, max_iter=a.max_iter, random_state=s, **extra).fit(xtr_s, ytr)
                    cache[(key, kind, s)] = model
                pred = model.predict(xte_s)
                acc.append(float(accuracy_score(yte, pred)))
                bal.append(float(balanced_accuracy_score(yte, pred)))
                print(f"{bid} ({kind}): seed {s} accuracy {acc[-1]:.4f} balanced {bal[-1]:.4f} ({time.time() - t:.1f} s)", file=sys.stderr)
            figures[kind] = {"accuracy": acc, "balancedAccuracy": bal}
        out["benchmarks"][bid] = {**figures["default"], "trainRows": int(len(ytr)), "testRows": int(len(yte)),
                                  **({"earlyStopping": figures["earlyStopping"]} if "earlyStopping" in figures else {})}
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print("wrote " + a.out, file=sys.stderr)


if __name__ == "__main__":
    main()
