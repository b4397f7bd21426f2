import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError, ModelNotFittedError } from "../src/errors.js";
import { EnsembleModel, ensembleArtifactSchema, readEnsembleArtifact } from "../src/models/ensemble/artifact.js";
import { trainEnsemble } from "../src/models/ensemble/train-ensemble.js";
import { dayAfterNewYear, ensemblePick, picksFrom } from "./helpers/ensemble-picks.js";
import { tempDir } from "./helpers/store.js";

/** 60 picks over 12 dates whose hits follow the first upstream value, with noise. */
function realisticPicks() {
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < 60; i++) {
    const p = 0.3 + 0.4 * ((i * 37) % 60) / 60;
    rows.push([p, 0.5 + 0.2 * Math.sin(i), 1 - p * 0.8, 0.4 + ((i * 13) % 20) / 100]);
    labels.push((i * 37) % 60 > 25 !== (i % 7 === 0) ? 1 : 0);
  }
  return picksFrom(rows, labels, (i) => dayAfterNewYear(i % 12));
}

describe("the unfitted ensemble", () => {
  it("never predicts: a typed error says so", () => {
    const model = EnsembleModel.unfitted();
    expect(model.fitted).toBe(false);
    expect(() => model.predict([0.5, 0.5, 0.5, 0.5])).toThrow(ModelNotFittedError);
    expect(() => model.predict([0.5, 0.5, 0.5, 0.5])).toThrow("the ensemble model is not fitted: train it or load a fitted artifact before predicting");
    expect(() => model.predictMany([[0.5, 0.5, 0.5, 0.5]])).toThrow(ModelNotFittedError);
    expect(() => model.featureNames).toThrow(ModelNotFittedError);
  });

  it("comes with no artifact from zero samples, and says why", () => {
    for (const picks of [[], [ensemblePick(undefined), ensemblePick([0.5, 0.5, 0.5, 0.5], "PUSH")]]) {
      const result = trainEnsemble(picks);
      expect(result).toMatchObject({ samples_used: 0, artifact: null, fit: null, holdout: null });
      expect(result.failure).toMatch(/no training samples/);
      expect(result.holdout_skipped_reason).toMatch(/no model was fitted/);
      expect(result.telemetry.assertion_passed).toBe(true);
    }
  });

  it("comes with no artifact from a single class, and says why", () => {
    const wins = [ensemblePick([0.5, 0.6, 0.5, 0.5], "WIN"), ensemblePick([0.7, 0.6, 0.5, 0.5], "WIN"), ensemblePick([0.5, 0.5, 0.5, 0.5], "PUSH")];
    const result = trainEnsemble(wins);
    expect(result).toMatchObject({ samples_used: 2, class_balance: { wins: 2, losses: 0 }, artifact: null, fit: null });
    expect(result.failure).toBe("only one class: all 2 training samples are WIN, and logistic regression needs both wins and losses");
    expect(trainEnsemble([ensemblePick([0.5, 0.6, 0.5, 0.5], "LOSS")]).failure).toMatch(/all 1 training samples are LOSS/);
  });

  it("reports a fit that does not converge, without an artifact", () => {
    const result = trainEnsemble(realisticPicks(), { maxIterations: 1 });
    expect(result.artifact).toBeNull();
    expect(result.fit).toMatchObject({ iterations: 1, converged: false });
    expect(result.failure).toMatch(/^logistic regression did not converge within 1 iterations/);
  });

  it("rejects options that cannot work", () => {
    expect(() => trainEnsemble([], { C: 0 })).toThrow(/C must be a positive number/);
    expect(() => trainEnsemble([], { maxIterations: 1.5 })).toThrow(/max iterations/);
    expect(() => trainEnsemble([], { holdoutFraction: 1 })).toThrow(/holdout fraction/);
  });
});

describe("the ensemble artifact", () => {
  const result = trainEnsemble(realisticPicks());
  const artifact = result.artifact!;
  const probes = [[0.3, 0.5, 0.7, 0.4], [0.65, 0.4, 0.45, 0.55], [0.5, 0.5, 0.5, 0.5]];

  it("is what the schema describes, with the hyperparameters and fit recorded beside it", () => {
    expect(ensembleArtifactSchema.parse(artifact)).toEqual(artifact);
    expect(Object.keys(artifact)).toEqual(["model", "artifact_version", "feature_names", "transform", "coefficients", "intercept", "C", "calibration", "label_type", "label_definition"]);
    expect(result.hyperparameters).toEqual({
      C: 1, max_iterations: 100, tolerance: 1e-10, holdout_fraction: 0.2, search: "fixed", calibration: "none", folds: null, embargo_days: null,
    });
    expect(result.evaluation).toBeNull();
    expect(result.fit).toMatchObject({ converged: true });
    expect(result.fit!.iterations).toBeGreaterThan(0);
    expect(result.fit!.final_log_loss).toBeGreaterThan(0);
    expect(result.fit!.final_loss).toBeGreaterThan(result.fit!.final_log_loss);
  });

  it("round-trips through JSON and predicts the same probabilities", async () => {
    const trained = EnsembleModel.fromArtifact(artifact);
    const copy = EnsembleModel.fromArtifact(JSON.parse(JSON.stringify(artifact)));
    expect(copy.fitted).toBe(true);
    expect(copy.featureNames).toEqual(["ensemble", "lstm", "matchup", "monte_carlo"]);
    expect(copy.predictMany(probes)).toEqual(trained.predictMany(probes));
    for (const p of copy.predictMany(probes)) expect(p).toBeGreaterThan(0), expect(p).toBeLessThan(1);

    const file = path.join(tempDir(), "ensemble.json");
    writeFileSync(file, JSON.stringify(artifact, null, 2));
    expect((await readEnsembleArtifact(file)).predictMany(probes)).toEqual(trained.predictMany(probes));
  });

  it("rejects a malformed artifact with an InputError naming the source and the first problem", async () => {
    const bad = (change: Record<string, unknown>) => () => EnsembleModel.fromArtifact({ ...artifact, ...change }, "/runs/x/ensemble.json");
    expect(bad({ coefficients: [1, 2, 3] })).toThrow(InputError);
    expect(bad({ coefficients: [1, 2, 3] })).toThrow(/^\/runs\/x\/ensemble\.json is not a valid ensemble artifact: coefficients: has 3 entries for 4 features$/);
    expect(bad({ intercept: "0.1" })).toThrow(/: intercept: .*number/);
    expect(bad({ intercept: null })).toThrow(/: intercept: /);
    expect(bad({ transform: { kind: "standardize", mean: [0, 0, 0, 0], std: [1, 0, 1, 1] } })).toThrow(/: transform\.std\.1: /);
    expect(bad({ transform: { kind: "standardize", mean: [0, 0], std: [1, 1] } })).toThrow(/: transform\.mean: has 2 entries for 4 features$/);
    expect(bad({ transform: { kind: "minmax" } })).toThrow(/: transform\.kind: /);
    expect(bad({ model: "lstm" })).toThrow(/: model: /);
    expect(bad({ calibration: {} })).toThrow(/: calibration\.method: Invalid discriminator value/);
    expect(bad({ calibration: { method: "platt", a: -1, b: 0 } })).toThrow(/: calibration\.fitted_on: /);
    expect(bad({ calibration: { method: "isotonic", x: [0.2, 0.1], y: [0.3, 0.4], fitted_on: 10 } })).toThrow(/: calibration\.x/);
    expect(bad({ surprise: true })).toThrow(/surprise/);
    expect(() => EnsembleModel.fromArtifact(null)).toThrow(/^ensemble artifact is not a valid ensemble artifact/);

    const dir = tempDir();
    writeFileSync(path.join(dir, "broken.json"), "{ not json");
    await expect(readEnsembleArtifact(path.join(dir, "broken.json"))).rejects.toThrow(/broken\.json is not valid JSON/);
    await expect(readEnsembleArtifact(path.join(dir, "absent.json"))).rejects.toThrow(InputError);
    await expect(readEnsembleArtifact(path.join(dir, "absent.json"))).rejects.toThrow(/cannot read .*absent\.json: ENOENT/);
  });

  it("is deterministic: the same picks give the same artifact, byte for byte", () => {
    const again = trainEnsemble(realisticPicks());
    expect(JSON.stringify(again.artifact)).toBe(JSON.stringify(artifact));
    expect(JSON.stringify(again)).toBe(JSON.stringify(result));
  });
});
