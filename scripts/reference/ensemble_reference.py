#!/usr/bin/env python3
"""Reference optima for the ensemble's logistic regression: writes tests/data/ensemble-reference.json.

How it was run (from the repository root; python3 with numpy 2.4 and scipy 1.17, no scikit-learn):

    python3 scripts/reference/ensemble_reference.py

It is deterministic (numpy's PCG64 seeded with SEED) and rewrites the same file byte for byte.

The objective is scikit-learn's: LogisticRegression(C=C, penalty="l2", fit_intercept=True) with the
lbfgs / newton-cg / newton-cholesky solvers minimises, over w and an unpenalised intercept b,

    C * sum_i log(1 + exp(-y_i (w . x_i + b)))  +  1/2 ||w||^2,        y_i in {-1, +1}

(scikit-learn >= 1.1 minimises this divided by C * n, which has the same optimum; liblinear, which
penalises the intercept, is not the default and is not what is matched here). Because scikit-learn is
not installed here, the optimum is computed independently of engine1: scipy.optimize.minimize with
method="trust-exact" and the analytic gradient and Hessian, gtol 1e-12, then polished with plain Newton
steps in numpy until the step is below 1e-15. A second solver (Newton-CG) is run as a cross-check and
the largest difference between the two is recorded beside each fit.

Two data sets of 300 rows: "probabilities" has four upstream probabilities strictly inside (0, 1),
derived from a known true model, so engine1 must choose the logit transform; "mixed_scales" has a
column on a points scale and a column with exact 0 and 1 values, so engine1 must standardise every
column with the training mean and population standard deviation (ddof=0; a constant column gets 1).
"""

import json
import os
import sys

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, logit

SEED = 20260310
N_ROWS = 300
C_VALUES = [1.0, 0.1, 10.0]
FEATURES = ["ensemble", "lstm", "matchup", "monte_carlo"]
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "data", "ensemble-reference.json")


def upstream_probabilities(rng, n):
    """A true hit logit per pick; each upstream model sees it with its own scale, bias and noise."""
    truth = rng.normal(0.0, 0.9, n)
    scales = np.array([0.9, 0.6, 0.4, 0.75])
    biases = np.array([0.05, -0.1, 0.0, 0.1])
    noise = np.array([0.35, 0.6, 0.8, 0.45])
    z = truth[:, None] * scales + biases + rng.normal(0.0, 1.0, (n, 4)) * noise
    values = np.round(np.clip(expit(z), 0.01, 0.99), 6)
    labels = (rng.random(n) < expit(truth)).astype(np.int64)
    return values, labels


def mixed_scales(rng, n):
    values, labels = upstream_probabilities(rng, n)
    values = values.copy()
    values[:, 1] = np.round(100.0 + 25.0 * logit(values[:, 1]), 3)  # LSTM as predicted points
    extremes = rng.random(n)
    values[extremes < 0.05, 3] = 0.0  # Monte Carlo that saw no / every simulation hit
    values[extremes > 0.95, 3] = 1.0
    return values, labels


def choose_transform(values):
    if np.all((values > 0.0) & (values < 1.0)):
        return {"kind": "logit"}, logit(values)
    mean = values.mean(axis=0)
    std = values.std(axis=0, ddof=0)
    constant = values.min(axis=0) == values.max(axis=0)
    mean = np.where(constant, values[0], mean)
    std = np.where(constant, 1.0, std)
    return {"kind": "standardize", "mean": mean.tolist(), "std": std.tolist()}, (values - mean) / std


def objective(theta, x, y, c):
    w, b = theta[:-1], theta[-1]
    z = x @ w + b
    return c * np.sum(np.logaddexp(0.0, -y * z)) + 0.5 * w @ w


def gradient(theta, x, y, c):
    w, b = theta[:-1], theta[-1]
    z = x @ w + b
    r = -y * expit(-y * z)
    g = np.empty_like(theta)
    g[:-1] = c * (x.T @ r) + w
    g[-1] = c * np.sum(r)
    return g


def hessian(theta, x, y, c):
    w, b = theta[:-1], theta[-1]
    z = x @ w + b
    s = expit(z) * expit(-z)
    xt = np.hstack([x, np.ones((x.shape[0], 1))])
    h = c * (xt.T * s) @ xt
    h[np.arange(len(w)), np.arange(len(w))] += 1.0
    return h


def optimum(x, y, c):
    start = np.zeros(x.shape[1] + 1)
    args = (x, y, c)
    res = minimize(objective, start, args=args, jac=gradient, hess=hessian, method="trust-exact", options={"gtol": 1e-12, "maxiter": 1000})
    theta = res.x
    for _ in range(20):
        step = np.linalg.solve(hessian(theta, *args), gradient(theta, *args))
        theta = theta - step
        if np.max(np.abs(step)) < 1e-15:
            break
    check = minimize(objective, start, args=args, jac=gradient, hess=hessian, method="Newton-CG", options={"xtol": 1e-14, "maxiter": 1000})
    cross = float(np.max(np.abs(check.x - theta)))
    if cross > 1e-8:
        sys.exit(f"solvers disagree by {cross} for C={c}")
    return theta, cross


def dataset(name, values, labels):
    transform, x = choose_transform(values)
    y = np.where(labels == 1, 1.0, -1.0)
    fits = []
    for c in C_VALUES:
        theta, cross = optimum(x, y, c)
        fits.append({
            "C": c,
            "coefficients": theta[:-1].tolist(),
            "intercept": float(theta[-1]),
            "objective": float(objective(theta, x, y, c)),
            "gradient_max_abs": float(np.max(np.abs(gradient(theta, x, y, c)))),
            "newton_cg_max_abs_difference": cross,
        })
    return {"name": name, "transform": transform, "rows": values.tolist(), "labels": labels.tolist(), "fits": fits}


def main():
    rng = np.random.default_rng(SEED)
    data = {
        "generator": "scripts/reference/ensemble_reference.py",
        "objective": "C * sum_i log(1 + exp(-y_i (w . x_i + b))) + 1/2 ||w||^2, y in {-1, +1}, intercept unpenalised "
        "(scikit-learn LogisticRegression(C=C, penalty='l2', fit_intercept=True), lbfgs)",
        "solver": "scipy.optimize.minimize trust-exact (gtol 1e-12) + Newton polish; Newton-CG cross-check",
        "seed": SEED,
        "feature_names": FEATURES,
        "datasets": [
            dataset("probabilities", *upstream_probabilities(rng, N_ROWS)),
            dataset("mixed_scales", *mixed_scales(rng, N_ROWS)),
        ],
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    for d in data["datasets"]:
        for fit in d["fits"]:
            print(f"{d['name']} C={fit['C']}: |grad| {fit['gradient_max_abs']:.2e}, Newton-CG diff {fit['newton_cg_max_abs_difference']:.2e}")


if __name__ == "__main__":
    main()
