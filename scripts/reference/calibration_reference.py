#!/usr/bin/env python3
"""Reference calibration maps: writes tests/data/calibration-reference.json.

How it was run (from the repository root; python3 with numpy 2.4 and scipy 1.17, no scikit-learn):

    python3 scripts/reference/calibration_reference.py

It is deterministic (numpy's PCG64 seeded with SEED) and rewrites the same file byte for byte.

Platt: scikit-learn's `_sigmoid_calibration` applied to the score f = logit(p), p clipped to
[1e-15, 1 - 1e-15]. With N+ positives and N- negatives the targets are T = (N+ + 1)/(N+ + 2) for a
positive and T = 1/(N- + 2) for a negative, and (a, b) minimise

    sum_i -[T_i log P_i + (1 - T_i) log(1 - P_i)],     P_i = 1 / (1 + exp(a f_i + b)),

from scikit-learn's start a = 0, b = log((N- + 1)/(N+ + 1)). scipy.optimize.minimize with BFGS and the
analytic gradient (gtol 1e-11 on the mean loss) finds the optimum; a second run with trust-exact and the
analytic Hessian is a cross-check, and the largest difference between them is recorded.

Isotonic: scikit-learn's IsotonicRegression(out_of_bounds="clip", increasing=True). Rows are sorted by p
and merged as its `_make_unique` does (a value less than 1e-15 above the first value of the current run
joins that run; its label is averaged with weight = count), then scipy.optimize.isotonic_regression fits
the merged values with those weights. Interior points of constant runs are dropped as scikit-learn does.
Predictions are np.interp at the chosen points, which clips to the end values.
"""

import json
import os

import numpy as np
from scipy.optimize import isotonic_regression, minimize
from scipy.special import expit

SEED = 20260311
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "data", "calibration-reference.json")
CLIP = 1e-15
RESOLUTION = np.finfo(np.float64).resolution  # 1e-15


def clipped_logit(p):
    q = np.clip(p, CLIP, 1 - CLIP)
    return np.log(q) - np.log1p(-q)


def platt(probs, labels):
    f = clipped_logit(probs)
    positives = float(labels.sum())
    negatives = float(len(labels) - positives)
    t = np.where(labels == 1, (positives + 1) / (positives + 2), 1 / (negatives + 2))
    n = len(f)

    def loss(ab):
        z = ab[0] * f + ab[1]
        return float(np.sum(np.logaddexp(0.0, z) - (1 - t) * z)) / n

    def grad(ab):
        d = t - expit(-(ab[0] * f + ab[1]))
        return np.array([np.dot(d, f), d.sum()]) / n

    def hess(ab):
        z = ab[0] * f + ab[1]
        w = expit(z) * expit(-z)
        return np.array([[np.dot(w, f * f), np.dot(w, f)], [np.dot(w, f), w.sum()]]) / n

    start = np.array([0.0, np.log((negatives + 1) / (positives + 1))])
    bfgs = minimize(loss, start, jac=grad, method="BFGS", options={"gtol": 1e-11, "maxiter": 10_000})
    exact = minimize(loss, start, jac=grad, hess=hess, method="trust-exact", options={"gtol": 1e-13})
    return {
        "a": float(bfgs.x[0]),
        "b": float(bfgs.x[1]),
        "mean_loss": float(bfgs.fun),
        "max_abs_gradient": float(np.max(np.abs(grad(bfgs.x)))),
        "cross_check_difference": float(np.max(np.abs(bfgs.x - exact.x))),
    }


def merge_ties(probs, labels):
    order = np.argsort(probs, kind="stable")
    xs, ys, ws = [], [], []
    run_start = None
    for p, y in zip(probs[order], labels[order]):
        if run_start is None or p - run_start >= RESOLUTION:
            run_start = p
            xs.append(float(p))
            ys.append(0.0)
            ws.append(0.0)
        ys[-1] += float(y)
        ws[-1] += 1.0
    w = np.array(ws)
    return np.array(xs), np.array(ys) / w, w


def isotonic(probs, labels):
    x, y, w = merge_ties(probs, labels)
    fitted = isotonic_regression(y, weights=w, increasing=True).x
    keep = np.ones(len(fitted), dtype=bool)
    keep[1:-1] = (fitted[1:-1] != fitted[:-2]) | (fitted[1:-1] != fitted[2:])
    return {"unique": int(len(x)), "x": x[keep].tolist(), "y": fitted[keep].tolist()}


def dataset(rng, name, n, decimals, extremes=0):
    """A true hit logit per row; the model's probability is over-confident and biased, then rounded (ties).

    `extremes` rows get exactly 0 and as many exactly 1, whose clipped logits (about ±34.5) then dominate Platt's fit.
    """
    truth = rng.normal(0.0, 1.0, n)
    probs = np.round(np.clip(expit(1.6 * truth + 0.3 + rng.normal(0.0, 0.4, n)), 0.01, 0.99), decimals)
    labels = (rng.random(n) < expit(truth)).astype(np.int64)
    if extremes:
        probs[:extremes] = 0.0
        probs[extremes : 2 * extremes] = 1.0
    return name, probs, labels


def near_ties():
    """Values 1 and 4 ulps above 0.5 join 0.5's run (< 1e-15 above it); 0.5 + 2e-15 starts a new run."""
    half = 0.5
    probs = np.array(
        [0.2, 0.2, half, np.nextafter(half, 1.0), half + 4 * np.finfo(float).eps / 2, half + 2e-15, 0.7, 0.9, 0.35]
    )
    labels = np.array([1, 0, 0, 1, 1, 0, 1, 1, 0])
    return "near_ties", probs, labels


def main():
    rng = np.random.Generator(np.random.PCG64(SEED))
    points = np.concatenate([np.linspace(0.0, 1.0, 41), [1e-16, 0.123456789, 0.5 + 1e-16, 0.987654321, 1 - 1e-16]])
    out = []
    for name, probs, labels in [
        dataset(rng, "rounded_50", 50, 2),
        dataset(rng, "rounded_2000", 2000, 3),
        dataset(rng, "exact_0_and_1_300", 300, 2, extremes=6),
        near_ties(),
    ]:
        p_map = platt(probs, labels)
        i_map = isotonic(probs, labels)
        f = clipped_logit(points)
        out.append(
            {
                "name": name,
                "probs": probs.tolist(),
                "labels": labels.tolist(),
                "platt": p_map,
                "isotonic": i_map,
                "points": points.tolist(),
                "platt_predictions": expit(-(p_map["a"] * f + p_map["b"])).tolist(),
                "isotonic_predictions": np.interp(points, i_map["x"], i_map["y"]).tolist(),
            }
        )
    with open(OUT, "w") as handle:
        json.dump({"seed": SEED, "datasets": out}, handle, indent=1)
        handle.write("\n")


if __name__ == "__main__":
    main()
