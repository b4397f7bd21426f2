import { describe, expect, it } from "vitest";
import { EnsembleModel } from "../src/models/ensemble/artifact.js";
import { chooseTransform, logit } from "../src/models/ensemble/transform.js";
import { trainEnsemble } from "../src/models/ensemble/train-ensemble.js";
import { picksFrom } from "./helpers/ensemble-picks.js";

const choose = (rows: number[][]) => chooseTransform(Float64Array.from(rows.flat()), rows.length, rows[0]!.length);
const date = () => "2026-03-10";

describe("the ensemble transform (SPEC 5, precise readings)", () => {
  it("takes the logit when every training value lies strictly inside (0, 1)", () => {
    expect(choose([[0.01, 0.5, 0.99, 1e-9], [0.3, 0.4, 0.5, 0.999999]])).toEqual({ kind: "logit" });
  });

  it("standardises all four columns, with the population deviation, when any value is 0, 1 or outside", () => {
    for (const odd of [0, 1, -0.2, 1.5, 105]) {
      const t = choose([[0.2, 0.5, 0.3, 0.4], [0.4, 0.7, 0.5, odd]]);
      expect(t.kind).toBe("standardize");
    }
    const t = choose([[0.2, 10, 0.3, 0.4], [0.4, 20, 0.5, 0.6], [0.6, 60, 0.7, 0.8]]);
    if (t.kind !== "standardize") throw new Error("expected standardize");
    expect(t.mean[0]).toBeCloseTo(0.4, 15);
    expect(t.mean[1]).toBeCloseTo(30, 12);
    expect(t.std[0]).toBeCloseTo(Math.sqrt(0.08 / 3), 15); // population: divide by n, not n - 1
    expect(t.std[1]).toBeCloseTo(Math.sqrt(1400 / 3), 12);
  });

  it("gives a constant column deviation 1 and its own value as the mean", () => {
    const t = choose([[0.1, 2, 0.3, 0.7], [0.1, 4, 0.5, 0.7], [0.1, 6, 0.9, 0.7]]);
    expect(t).toMatchObject({ kind: "standardize", mean: [0.1, 4, expect.any(Number), 0.7], std: [1, expect.any(Number), expect.any(Number), 1] });
  });

  it("computes the logit accurately", () => {
    expect(logit(0.5)).toBe(0);
    expect(logit(0.75)).toBeCloseTo(Math.log(3), 15);
    expect(logit(1e-12)).toBeCloseTo(Math.log(1e-12), 10);
  });

  it("saves the transform in the artifact and applies it at prediction", () => {
    const rows = [[0.2, 10, 0.3, 0.4], [0.4, 20, 0.5, 0.6], [0.6, 60, 0.7, 0.8], [0.3, 15, 0.35, 0.5], [0.5, 40, 0.6, 0.7]];
    const result = trainEnsemble(picksFrom(rows, [0, 1, 1, 0, 1], date), { holdoutFraction: 0 });
    const artifact = result.artifact!;
    expect(artifact.transform).toEqual(choose(rows));
    if (artifact.transform.kind !== "standardize") throw new Error("expected standardize");
    const { mean, std } = artifact.transform;
    const model = EnsembleModel.fromArtifact(artifact);
    const probe = [0.35, 33, 0.45, 0.55];
    const z = probe.reduce((sum, v, j) => sum + artifact.coefficients[j]! * ((v - mean[j]!) / std[j]!), artifact.intercept);
    expect(model.predict(probe)).toBeCloseTo(1 / (1 + Math.exp(-z)), 14);
    expect(model.transformKind).toBe("standardize");
  });

  it("applies the logit at prediction and refuses a value outside its domain", () => {
    const rows = [[0.2, 0.3, 0.3, 0.4], [0.4, 0.6, 0.5, 0.6], [0.6, 0.5, 0.7, 0.8], [0.3, 0.45, 0.35, 0.5], [0.5, 0.4, 0.6, 0.7]];
    const artifact = trainEnsemble(picksFrom(rows, [0, 1, 1, 0, 1], date)).artifact!;
    expect(artifact.transform).toEqual({ kind: "logit" });
    const model = EnsembleModel.fromArtifact(artifact);
    const probe = [0.35, 0.5, 0.45, 0.55];
    const z = probe.reduce((sum, v, j) => sum + artifact.coefficients[j]! * Math.log(v / (1 - v)), artifact.intercept);
    expect(model.predict(probe)).toBeCloseTo(1 / (1 + Math.exp(-z)), 14);
    expect(model.predict([...probe, 7, 8])).toBe(model.predict(probe));
    expect(() => model.predict([0.35, 1, 0.45, 0.55])).toThrow(/lstm is 1 .*strictly between 0 and 1/);
    expect(() => model.predict([0.35, 0.5, 0.45])).toThrow(/needs 4 values, got 3/);
  });
});
