import { EnsembleModel } from "../models/ensemble/artifact.js";
import { ENSEMBLE_FEATURES } from "../models/ensemble/definition.js";
import { fitEnsemble, type EnsembleFitOptions } from "../models/ensemble/fit-ensemble.js";
import { takeRows } from "../models/ensemble/samples.js";
import type { DateFold } from "./folds.js";

/** The rows evaluation works on: the ensemble's samples with a date for every row. */
export interface DatedSamples {
  x: Float64Array;
  y: Uint8Array;
  rows: number;
  dates: readonly string[];
}

export interface FoldFit {
  fold: DateFold;
  /** Training-side hit rate (the base-rate baseline predicts it for every validation row). */
  trainHitRate: number;
  iterations: number | null;
  /** Why this fold has no predictions, or null. */
  failure: string | null;
}

export interface CrossValidation {
  /** Out-of-fold probability per sample row; NaN for rows no fold validated (or whose fold failed). */
  oof: Float64Array;
  fits: FoldFit[];
}

/**
 * Fits one model per fold on its training rows only (transform parameters included) and predicts its
 * validation rows through the same inference code a saved artifact uses.
 */
export function crossValidate(samples: DatedSamples, folds: readonly DateFold[], options: EnsembleFitOptions): CrossValidation {
  const d = ENSEMBLE_FEATURES.length;
  const oof = new Float64Array(samples.rows).fill(NaN);
  const fits = folds.map((fold): FoldFit => {
    const train = takeRows(samples, fold.train);
    const trainHitRate = train.wins / fold.train.length;
    const fitted = fitEnsemble(train.x, train.y, fold.train.length, options);
    if (fitted.artifact === null) {
      return { fold, trainHitRate, iterations: fitted.fit?.iterations ?? null, failure: fitted.failure ?? "no model was fitted" };
    }
    const model = EnsembleModel.fromArtifact(fitted.artifact, `fold ${fold.fold} model`);
    const row = new Array<number>(d);
    for (const i of fold.validation) {
      for (let j = 0; j < d; j++) row[j] = samples.x[i * d + j]!;
      oof[i] = model.predict(row);
    }
    return { fold, trainHitRate, iterations: fitted.fit?.iterations ?? null, failure: null };
  });
  return { oof, fits };
}

/** The rows of the given folds that have a prediction, in row order. */
export function predictedRows(cv: CrossValidation, fromFold = 1): number[] {
  const rows: number[] = [];
  for (const fit of cv.fits) {
    if (fit.fold.fold < fromFold || fit.failure !== null) continue;
    for (const i of fit.fold.validation) rows.push(i);
  }
  return rows.sort((a, b) => a - b);
}

/** Labels and probabilities at `rows`, for the metric functions. */
export function gather(y: Uint8Array, probs: Float64Array, rows: readonly number[]): { labels: Uint8Array; probs: Float64Array } {
  const labels = new Uint8Array(rows.length);
  const p = new Float64Array(rows.length);
  rows.forEach((row, k) => {
    labels[k] = y[row]!;
    p[k] = probs[row]!;
  });
  return { labels, probs: p };
}
