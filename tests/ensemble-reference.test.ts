import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { logisticGradient } from "../src/models/ensemble/logistic-regression.js";
import { applyTransform } from "../src/models/ensemble/transform.js";
import { trainEnsemble } from "../src/models/ensemble/train-ensemble.js";
import { dayAfterNewYear, picksFrom } from "./helpers/ensemble-picks.js";

/** Written by scripts/reference/ensemble_reference.py: scikit-learn's objective, optimised by scipy. */
interface Reference {
  datasets: {
    name: string;
    transform: { kind: "logit" } | { kind: "standardize"; mean: number[]; std: number[] };
    rows: number[][];
    labels: number[];
    fits: { C: number; coefficients: number[]; intercept: number; objective: number }[];
  }[];
}

const reference = JSON.parse(readFileSync(new URL("data/ensemble-reference.json", import.meta.url), "utf8")) as Reference;

const cases = reference.datasets.flatMap((dataset) => dataset.fits.map((fit) => ({ dataset, fit, label: `${dataset.name}, C=${fit.C}` })));

describe("the ensemble fit equals scikit-learn's LogisticRegression optimum", () => {
  it("covers both transforms and three values of C", () => {
    expect(reference.datasets.map((d) => d.transform.kind)).toEqual(["logit", "standardize"]);
    expect(cases).toHaveLength(6);
  });

  it.each(cases)("$label: coefficients and intercept within 1e-6, gradient ~0", ({ dataset, fit }) => {
    const picks = picksFrom(dataset.rows, dataset.labels, (i) => dayAfterNewYear(i % 30));
    const result = trainEnsemble(picks, { C: fit.C });
    const artifact = result.artifact!;
    expect(result.failure).toBeNull();
    expect(result.fit?.converged).toBe(true);
    expect(artifact.C).toBe(fit.C);

    expect(artifact.transform.kind).toBe(dataset.transform.kind);
    if (artifact.transform.kind === "standardize" && dataset.transform.kind === "standardize") {
      artifact.transform.mean.forEach((m, j) => expect(Math.abs(m - dataset.transform.mean[j]!)).toBeLessThan(1e-12));
      artifact.transform.std.forEach((s, j) => expect(Math.abs(s - dataset.transform.std[j]!)).toBeLessThan(1e-12));
    }

    const differences = [...artifact.coefficients.map((w, j) => w - fit.coefficients[j]!), artifact.intercept - fit.intercept];
    expect(Math.max(...differences.map(Math.abs))).toBeLessThan(1e-6);
    expect(Math.abs(result.fit!.final_loss - fit.objective)).toBeLessThan(1e-9 * fit.objective);

    const raw = Float64Array.from(dataset.rows.flat());
    const data = { x: applyTransform(artifact.transform, raw, 4), y: Uint8Array.from(dataset.labels), rows: dataset.rows.length, columns: 4 };
    const gradient = logisticGradient(data, fit.C, artifact.coefficients, artifact.intercept);
    expect(Math.max(...Array.from(gradient, Math.abs))).toBeLessThan(1e-8);
  });
});
