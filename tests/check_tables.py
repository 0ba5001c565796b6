#!/usr/bin/env python3
"""check_tables.py: the long tables of a result folder reproduce its summary.

Usage: check_tables.py RESULT_DIR

Reads trajectories.csv and targets.csv (each with one read: pandas.read_csv
when pandas is installed, the csv module otherwise) and recomputes from them
what summary.csv says of every finished cell: the final values (the last
logged row of the cell: f, gap, grad_dual, grad_l2, min_grad_dual,
avg_grad_dual, x_norm, x_fro, mom_err), the iterations and oracle calls
(its k and sfo), the swept settings, and the hitting times K and SFO of each
target.  A missing value is an empty field everywhere.  Exit 0 when every
value agrees, 1 with the first disagreements listed otherwise.
"""
import csv
import math
import os
import sys

FINAL = ["f", "gap", "grad_dual", "grad_l2", "min_grad_dual", "avg_grad_dual",
         "x_norm", "x_fro", "mom_err"]
FINISHED = {"done", "target", "diverged", "not_reached", "step_failed"}


def number(text):
    """A field as a float: NaN for the empty missing-value token."""
    return math.nan if text == "" else float(text)


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def read_long(path):
    """One read of a long table: a list of dicts of text fields."""
    try:
        import pandas as pd
    except ImportError:
        return read_rows(path), "csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame.to_dict("records"), "pandas"


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    folder = argv[1]
    summary = read_rows(os.path.join(folder, "summary.csv"))
    traj, how = read_long(os.path.join(folder, "trajectories.csv"))
    targets, _ = read_long(os.path.join(folder, "targets.csv"))
    errors = []

    last = {}    # hash -> last row (largest k)
    nrows = {}
    for row in traj:
        h = row["hash"]
        nrows[h] = nrows.get(h, 0) + 1
        if h not in last or int(row["k"]) > int(last[h]["k"]):
            last[h] = row
    hits = {}    # hash -> [(target, K, SFO)] in file order
    for row in targets:
        hits.setdefault(row["hash"], []).append(row)

    kcols = [c for c in summary[0].keys() if c.startswith("K_")] if summary else []
    scols = [c for c in summary[0].keys() if c.startswith("SFO_")] if summary else []
    checked = 0
    for s in summary:
        h = s["hash"]
        if s["status"] not in FINISHED:
            if h in last:
                errors.append(f"{h}: status {s['status']} but rows in trajectories.csv")
            continue
        if h not in last:
            errors.append(f"{h}: finished but no row in trajectories.csv")
            continue
        row = last[h]
        with open(os.path.join(folder, "cells", h, "trajectory.csv")) as f:
            own = sum(1 for _ in f) - 1
        if own != nrows[h]:
            errors.append(f"{h}: {nrows[h]} rows in trajectories.csv, {own} in its trajectory.csv")
        for col in FINAL:
            if not same(number(row[col]), number(s[col])):
                errors.append(f"{h}: final {col} {s[col]!r} in summary.csv, "
                              f"last row {row[col]!r}")
        for col in ("iterations", "sfo"):
            mine = row["k" if col == "iterations" else "sfo"]
            if int(mine) != int(s[col]):
                errors.append(f"{h}: {col} {s[col]} in summary.csv, last row {mine}")
        for col in row:
            if col in s and col not in FINAL and col not in ("hash", "replicate", "sfo"):
                if row[col] != s[col]:
                    errors.append(f"{h}: setting {col} {s[col]!r} in summary.csv, "
                                  f"{row[col]!r} in trajectories.csv")
        mine = hits.get(h, [])
        if len(mine) != len(kcols):
            errors.append(f"{h}: {len(mine)} targets in targets.csv, {len(kcols)} K columns")
        for t, kc, sc in zip(mine, kcols, scols):
            if t["K"] != s[kc] or t["SFO"] != s[sc]:
                errors.append(f"{h}: target {t['target']}: K {t['K']!r} SFO {t['SFO']!r} in "
                              f"targets.csv, {s[kc]!r} {s[sc]!r} in summary.csv")
        checked += 1
    if errors:
        for e in errors[:20]:
            print("check_tables:", e, file=sys.stderr)
        print(f"check_tables: {len(errors)} disagreements", file=sys.stderr)
        return 1
    print(f"check_tables: {checked} cells, {len(traj)} rows, {len(targets)} targets agree "
          f"with summary.csv (read with {how})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
