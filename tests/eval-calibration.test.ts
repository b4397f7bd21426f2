import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chooseCalibration } from "../src/eval/choose-calibration.js";
import { crossValidate, predictedRows, type CrossValidation } from "../src/eval/cross-validate.js";
import { evaluateEnsemble, type EnsembleEvaluation } from "../src/eval/evaluate-ensemble.js";
import { dateFolds, type DateFold } from "../src/eval/folds.js";
import { reliability } from "../src/metrics/reliability.js";
import { applyCalibration, fitIsotonic, type CalibrationMap } from "../src/models/calibration/calibration.js";
import { EnsembleModel, readEnsembleArtifact } from "../src/models/ensemble/artifact.js";
import { ENSEMBLE_TOLERANCE, trainEnsemble } from "../src/models/ensemble/train-ensemble.js";
import { modelCardSchema } from "../src/schemas/card.js";
import { evaluationDocumentSchema } from "../src/schemas/evaluation.js";
import { engine1, ROOT } from "./helpers/cli.js";
import { picksFrom } from "./helpers/ensemble-picks.js";
import { evaluationOptions, steppedTruth, storeRecord, type Synthetic } from "./helpers/eval-samples.js";
import { jsonl, tempDir, writeStore } from "./helpers/store.js";

// 96 dates × 30 rows = 2,880 rows; 5 folds of 16 dates (480 rows) each after a first training block of
// 16 dates: 2,400 out-of-fold rows, 1,920 of them (folds 2–5) scored against maps fitted on earlier folds.
const DATES = 96;
const PER_DATE = 30;
const OUT_OF_FOLD = 2400;
const SCORED = 1920;

const cache = new Map<string, EnsembleEvaluation>();
const samplesOf = (seed: number): Synthetic => steppedTruth(seed, DATES, PER_DATE);
function evaluate(seed: number, calibration: "auto" | "none" | "platt" | "isotonic", isotonicMinSamples = 1000): EnsembleEvaluation {
  const key = `${seed}/${calibration}/${isotonicMinSamples}`;
  if (!cache.has(key)) cache.set(key, evaluateEnsemble(samplesOf(seed), evaluationOptions({ calibration, isotonicMinSamples })));
  return cache.get(key)!;
}

/** The scored rows (folds 2–5) of an evaluation of these samples: every row dated on or after fold 2's first validation date. */
function scoredRows(samples: Synthetic, evaluation: EnsembleEvaluation): number[] {
  const first = evaluation.folds[1]!.validation.first_date;
  return samples.dates.flatMap((d, i) => (d >= first ? [i] : []));
}

describe("calibration on out-of-fold predictions lowers the ECE of miscalibrated upstream values", () => {
  // Seeded values (ECE uncalibrated → isotonic; ECE of the true probabilities on the same rows):
  // seed 1: 0.094 → 0.022 (0.009), seed 3: 0.091 → 0.039 (0.007), seed 5: 0.105 → 0.028 (0.007).
  it.each([1, 3, 5])("seed %i: isotonic at least halves the regression's ECE, by more than 0.04", (seed) => {
    const samples = samplesOf(seed);
    const e = evaluate(seed, "isotonic");
    const c = e.comparison!;
    expect([e.rows, c.from_fold, c.rows, c.ensemble.n, c.uncalibrated.n]).toEqual([DATES * PER_DATE, 2, SCORED, SCORED, SCORED]);
    // The regression on the logits cannot turn a step into a sigmoid: its ECE stays high ...
    expect(c.uncalibrated.ece).toBeGreaterThan(0.08);
    // ... while the true probabilities on the same rows are calibrated up to sampling noise.
    const rows = scoredRows(samples, e);
    expect(rows).toHaveLength(SCORED);
    const truth = reliability(rows.map((i) => samples.y[i]!), rows.map((i) => samples.pTrue[i]!));
    expect(truth.ece).toBeLessThan(0.02);
    expect(c.ensemble.ece).toBeLessThan(c.uncalibrated.ece / 2);
    expect(c.uncalibrated.ece - c.ensemble.ece).toBeGreaterThan(0.04);
    // The choice is recorded with the map saved for the model, fitted on every out-of-fold row.
    expect(e.calibration).toMatchObject({ requested: "isotonic", chosen: "isotonic", isotonic_min_samples: 1000 });
    expect(e.calibration!.map).toMatchObject({ method: "isotonic", fitted_on: OUT_OF_FOLD });
  });

  it("auto chooses isotonic there (lowest cross-fitted log loss) once the isotonic minimum is met", () => {
    const auto = evaluate(1, "auto", 100);
    const explicit = evaluate(1, "isotonic");
    const cal = auto.calibration!;
    expect(cal.requested).toBe("auto");
    expect(cal.chosen).toBe("isotonic");
    expect(cal.candidates.map((c) => [c.method, c.eligible, c.reason])).toEqual([
      ["none", true, null],
      ["platt", true, null],
      ["isotonic", true, null],
    ]);
    const lowest = cal.candidates.reduce((a, b) => (b.log_loss! < a.log_loss! ? b : a));
    expect(lowest.method).toBe("isotonic");
    // The same map and the same scored predictions as asking for isotonic outright.
    expect(cal.map).toEqual(explicit.calibration!.map);
    expect(auto.comparison!.ensemble).toEqual(explicit.comparison!.ensemble);
    expect(auto.comparison!.ensemble.ece).toBeLessThan(auto.comparison!.uncalibrated.ece / 2);
  });
});

describe("the same on a generated store, end to end", () => {
  it("engine1 evaluate --calibration isotonic on a store of those picks reports the library's evaluation, ECE halved", () => {
    const samples = samplesOf(1);
    const records = samples.valueRows.map((values, i) => storeRecord(`s${i}`, samples.dates[i]!, samples.y[i] === 1 ? "WIN" : "LOSS", values));
    const store = writeStore(jsonl(records));
    const result = engine1(["evaluate", "--store", store, "--no-grades", "--as-of", "2026-04-10", "--days", "all", "--home", tempDir(), "--calibration", "isotonic", "--json"]);
    expect([result.status, result.stderr]).toEqual([0, ""]);
    const e = evaluationDocumentSchema.parse(JSON.parse(result.stdout)).evaluation;
    // Values and dates survive the JSONL round trip exactly, so the binary computes what the library does.
    expect(e).toEqual(evaluate(1, "isotonic"));
    expect([e.rows, e.comparison!.rows, e.calibration!.chosen]).toEqual([DATES * PER_DATE, SCORED, "isotonic"]);
    expect(e.comparison!.ensemble.ece).toBeLessThan(e.comparison!.uncalibrated.ece / 2);
  });
});

describe("choosing the calibration", () => {
  it("auto leaves isotonic out below the minimum count of out-of-fold rows, and counts the boundary as enough", () => {
    const below = evaluate(1, "auto", OUT_OF_FOLD + 1);
    const at = evaluate(1, "auto", OUT_OF_FOLD);
    const iso = (e: EnsembleEvaluation) => e.calibration!.candidates.find((c) => c.method === "isotonic")!;
    expect(iso(below)).toEqual({
      method: "isotonic",
      log_loss: iso(at).log_loss,
      eligible: false,
      reason: "2400 out-of-fold rows, below the isotonic minimum of 2401",
    });
    expect(iso(at)).toMatchObject({ eligible: true, reason: null });
    expect(at.calibration!.chosen).toBe("isotonic");
    // Below the minimum, auto takes the better of none and platt by cross-fitted log loss.
    const [none, platt] = below.calibration!.candidates;
    expect(below.calibration!.chosen).toBe(none!.log_loss! <= platt!.log_loss! ? "none" : "platt");
    expect(below.calibration!.chosen).toBe("none"); // on this data: none 0.5876, platt 0.5893
    expect(below.calibration!.map).toBeNull();
    expect(below.options.isotonic_min_samples).toBe(OUT_OF_FOLD + 1);
    // The minimum restrains auto only: isotonic asked for by name is fitted whatever the count.
    expect(evaluate(1, "isotonic", 1_000_000).calibration).toMatchObject({ chosen: "isotonic", map: { method: "isotonic", fitted_on: OUT_OF_FOLD } });
  });

  it("none keeps the regression's probabilities; platt saves a Platt map fitted on the out-of-fold rows", () => {
    const none = evaluate(1, "none");
    expect(none.calibration).toMatchObject({ requested: "none", chosen: "none", map: null });
    expect(none.comparison!.ensemble).toEqual(none.comparison!.uncalibrated);
    const platt = evaluate(1, "platt");
    expect(platt.calibration).toMatchObject({ requested: "platt", chosen: "platt", map: { method: "platt", fitted_on: OUT_OF_FOLD } });
    // The uncalibrated predictions do not depend on the calibration asked for.
    expect(platt.comparison!.uncalibrated).toEqual(none.comparison!.uncalibrated);
    expect(platt.tuning).toEqual(none.tuning);
  });

  it("fits each fold's map on earlier folds only, and the saved map on every out-of-fold prediction", () => {
    const samples = samplesOf(1);
    const e = evaluate(1, "isotonic");
    const folds = dateFolds(samples.dates, { folds: 5, embargoDays: 1 }) as DateFold[];
    const cv = crossValidate(samples, folds, { C: e.tuning!.chosen_C, maxIterations: 100, tolerance: ENSEMBLE_TOLERANCE, transformKind: "logit" });
    const all = predictedRows(cv);
    expect(all).toHaveLength(OUT_OF_FOLD);
    const pick = (rows: readonly number[]) => ({ p: rows.map((i) => cv.oof[i]!), y: rows.map((i) => samples.y[i]!) });
    const everything = pick(all);
    expect(e.calibration!.map).toEqual(fitIsotonic(everything.p, everything.y));
    const selection = chooseCalibration(cv, samples.y, "isotonic", 1000);
    expect(selection.scoredRows).toEqual(predictedRows(cv, 2));
    expect(selection.scoredRows).toHaveLength(SCORED);
    const fold1 = pick(folds[0]!.validation);
    const fold1Map = fitIsotonic(fold1.p, fold1.y);
    for (const i of folds[1]!.validation) expect(selection.calibrated[i]).toBe(applyCalibration(fold1Map, cv.oof[i]!));
    const fold12 = pick([...folds[0]!.validation, ...folds[1]!.validation]);
    const fold12Map = fitIsotonic(fold12.p, fold12.y);
    for (const i of folds[2]!.validation) expect(selection.calibrated[i]).toBe(applyCalibration(fold12Map, cv.oof[i]!));
    // Fold 1 has no earlier fold to calibrate it: it is never scored.
    expect(folds[0]!.validation.every((i) => Number.isNaN(selection.calibrated[i]))).toBe(true);
  });

  it("a candidate that would be fitted on one class is not eligible, and says so", () => {
    // Three folds of two rows; fold 1's validation rows are both wins, so no map can be fitted before fold 2.
    const fold = (k: number, validation: number[]): CrossValidation["fits"][number] => ({
      fold: { fold: k, train: [], validation } as unknown as DateFold,
      trainHitRate: 0.5,
      iterations: 1,
      failure: null,
    });
    const cv: CrossValidation = { oof: Float64Array.from([0.3, 0.3, 0.6, 0.4, 0.7, 0.2]), fits: [fold(1, [0, 1]), fold(2, [2, 3]), fold(3, [4, 5])] };
    const y = Uint8Array.from([1, 1, 1, 0, 0, 1]);
    const selection = chooseCalibration(cv, y, "auto", 1);
    const reason = "the folds before fold 2 hold only one class";
    const none = -(Math.log(0.6) + Math.log(0.6) + Math.log(0.3) + Math.log(0.2)) / 4;
    expect(selection.candidates).toEqual([
      { method: "none", log_loss: expect.closeTo(none, 12), eligible: true, reason: null },
      { method: "platt", log_loss: null, eligible: false, reason },
      { method: "isotonic", log_loss: null, eligible: false, reason },
    ]);
    expect([selection.chosen, selection.map, selection.scoredRows]).toEqual(["none", null, [2, 3, 4, 5]]);
  });
});

describe("the calibration map is saved with the model and applied at inference", () => {
  it("trainEnsemble saves the chosen map in the artifact; EnsembleModel.predict applies it to predictUncalibrated", () => {
    const samples = samplesOf(1);
    const picks = picksFrom(samples.valueRows, Array.from(samples.y), samples.dates);
    const { C: _c, maxIterations: _m, tolerance: _t, ...evaluation } = evaluationOptions({ calibration: "isotonic" });
    const result = trainEnsemble(picks, { evaluation });
    const map = result.evaluation!.calibration!.map as CalibrationMap;
    expect(map).toEqual(evaluate(1, "isotonic").calibration!.map);
    expect(result.artifact!.calibration).toEqual(map);
    expect(result.hyperparameters).toMatchObject({ calibration: "isotonic", search: "grid", folds: 5, embargo_days: 1, C: result.evaluation!.tuning!.chosen_C });
    const model = EnsembleModel.fromArtifact(JSON.parse(JSON.stringify(result.artifact)));
    expect(model.calibrationMethod).toBe("isotonic");
    const calibrated = samples.valueRows.map((row) => model.predict(row));
    const raw = samples.valueRows.map((row) => model.predictUncalibrated(row));
    calibrated.forEach((p, i) => expect(p).toBe(applyCalibration(map, raw[i]!)));
    expect(calibrated.filter((p, i) => p !== raw[i]).length).toBe(samples.rows);
    // On the training rows the saved map leaves the model far better calibrated than the regression alone.
    const labels = Array.from(samples.y);
    expect(reliability(labels, calibrated).ece).toBeLessThan(reliability(labels, raw).ece / 2);
  });

  it("engine1 train --calibration platt writes the map into ensemble.json, evaluation.json and card.json alike", async () => {
    const home = tempDir();
    const store = path.join(ROOT, "fixtures/store/predictions.jsonl");
    const result = engine1(["train", "--store", store, "--as-of", "2026-11-20", "--days", "all", "--lstm-epochs", "2", "--home", home, "--calibration", "platt", "--quiet"]);
    expect([result.status, result.stdout, result.stderr]).toEqual([0, "", ""]);
    const read = (file: string) => JSON.parse(readFileSync(path.join(home, "current", file), "utf8"));
    const artifact = read("ensemble.json");
    const evaluation = evaluationDocumentSchema.parse(read("evaluation.json"));
    const card = modelCardSchema.parse(read("card.json"));
    // The fixture's 5 folds validate 33 + 34 + 37 + 34 + 36 = 174 out-of-fold rows.
    expect(artifact.calibration).toMatchObject({ method: "platt", fitted_on: 174 });
    expect(evaluation.evaluation.calibration!.map).toEqual(artifact.calibration);
    expect(card.calibration).toEqual({ requested: "platt", method: "platt", fitted_on: 174, map: artifact.calibration });
    expect(read("run.json").evaluation.calibration).toBe("platt");
    const model = await readEnsembleArtifact(path.join(home, "current", "ensemble.json"));
    for (const row of [[0.5, 0.6, 0.55, 0.52], [0.3, 0.7, 0.4, 0.6], [0.9, 0.1, 0.8, 0.2]]) {
      const p = model.predict(row);
      expect(p).toBe(applyCalibration(artifact.calibration, model.predictUncalibrated(row)));
      expect(p).not.toBe(model.predictUncalibrated(row));
    }
  });

  it("engine1 train --calibration none saves no map", () => {
    const home = tempDir();
    const store = path.join(ROOT, "fixtures/store/predictions.jsonl");
    const result = engine1(["train", "--store", store, "--as-of", "2026-11-20", "--days", "all", "--sport", "NBA", "--lstm-epochs", "2", "--home", home, "--calibration", "none", "--quiet"]);
    expect(result.status).toBe(0);
    const read = (file: string) => JSON.parse(readFileSync(path.join(home, "current", file), "utf8"));
    expect(read("ensemble.json").calibration).toBeNull();
    expect(read("card.json").calibration).toEqual({ requested: "none", method: "none", fitted_on: 0, map: null });
  });
});
