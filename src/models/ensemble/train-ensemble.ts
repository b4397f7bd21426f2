import { UsageError } from "../../errors.js";
import type { Pick } from "../../store/normalize.js";
import type { ModelTelemetry } from "../telemetry.js";
import type { EnsembleArtifact } from "./artifact.js";
import { fitEnsemble } from "./fit-ensemble.js";
import { evaluateHoldout, type EnsembleHoldout } from "./holdout.js";
import { collectSamples, type EnsembleSamples } from "./samples.js";
import { evaluateEnsemble, type EnsembleEvaluation, type EvaluationOptions } from "../../eval/evaluate-ensemble.js";

import { ENSEMBLE_FEATURES } from "./definition.js";
import { applyTransform, type EnsembleTransform } from "./transform.js";

export { ENSEMBLE_DROP_REASONS, ENSEMBLE_FEATURES, ENSEMBLE_LABEL } from "./definition.js";

export interface EnsembleTrainOptions {
  /** Inverse regularisation strength, as scikit-learn's C (default 1). */
  C?: number;
  /** Newton iterations before giving up (default 100). */
  maxIterations?: number;
  /** Share of the latest distinct dates held out (default 0.2; 0 turns the holdout off). */
  holdoutFraction?: number;
  /**
   * Evaluate by date folds first, choose C by the search and the calibration on out-of-fold
   * predictions, then fit the saved model with the chosen C and save the chosen map with it.
   * Without it, the model is fitted with `C` and carries no calibration.
   */
  evaluation?: Omit<EvaluationOptions, "C" | "maxIterations" | "tolerance">;
}

export interface EnsembleTrainingResult {
  telemetry: ModelTelemetry;
  samples_used: number;
  /** Training samples whose pick carried more than four values (the first four were used). */
  extra_values_count: number;
  class_balance: { wins: number; losses: number };
  fit: { iterations: number; final_loss: number; final_log_loss: number; converged: boolean } | null;
  holdout: EnsembleHoldout | null;
  holdout_skipped_reason: string | null;
  artifact: EnsembleArtifact | null;
  /** Why there is no artifact, or null. */
  failure: string | null;
  hyperparameters: EnsembleHyperparameters;
  /** The date-fold evaluation, when it was asked for. */
  evaluation: EnsembleEvaluation | null;
  /** Population deviation of each transformed feature over the training rows (for standardised coefficients). */
  transformed_std: number[] | null;
  /** Up to 1,000 training rows' raw values, for timing single predictions of the saved model. */
  probe_rows: number[][];
}

export type EnsembleHyperparameters = {
  C: number;
  max_iterations: number;
  tolerance: number;
  holdout_fraction: number;
  search: string;
  calibration: string;
  folds: number | null;
  embargo_days: number | null;
};

/** The Newton step below which the fit counts as converged (see fitLogistic). */
export const ENSEMBLE_TOLERANCE = 1e-10;

function resolveOptions(options: EnsembleTrainOptions): Omit<EnsembleHyperparameters, "search" | "calibration" | "folds" | "embargo_days"> {
  const C = options.C ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  const fraction = options.holdoutFraction ?? 0.2;
  if (!(Number.isFinite(C) && C > 0)) throw new UsageError(`ensemble C must be a positive number, got ${C}`);
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) {
    throw new UsageError(`ensemble max iterations must be a positive integer, got ${maxIterations}`);
  }
  if (!(fraction >= 0 && fraction < 1)) throw new UsageError(`ensemble holdout fraction must be in [0, 1), got ${fraction}`);
  return { C, max_iterations: maxIterations, tolerance: ENSEMBLE_TOLERANCE, holdout_fraction: fraction };
}

/**
 * Trains the ensemble from upstream-eligible picks (SPEC 5): drops what it cannot use with a reason,
 * fits the calibrated hit probability on every remaining sample (the saved artifact), and reports a
 * second fit's quality on a time-ordered holdout of the latest dates.
 */
export function trainEnsemble(picks: readonly Pick[], options: EnsembleTrainOptions = {}): EnsembleTrainingResult {
  const resolved = resolveOptions(options);
  const samples = collectSamples(picks);
  const evaluation = options.evaluation ? evaluateSamples(samples, { ...options.evaluation, C: resolved.C, maxIterations: resolved.max_iterations, tolerance: resolved.tolerance }) : null;
  const C = evaluation?.tuning?.chosen_C ?? resolved.C;
  const hyperparameters: EnsembleHyperparameters = {
    ...resolved,
    C,
    search: options.evaluation?.search ?? "fixed",
    calibration: evaluation?.calibration?.chosen ?? "none",
    folds: options.evaluation?.folds ?? null,
    embargo_days: options.evaluation?.embargoDays ?? null,
  };
  const fitOptions = { C, maxIterations: resolved.max_iterations, tolerance: resolved.tolerance };
  const fitted = fitEnsemble(samples.x, samples.y, samples.rows, fitOptions);
  const map = evaluation?.calibration?.map ?? null;
  const outcome = fitted.artifact === null || map === null ? fitted : { ...fitted, artifact: { ...fitted.artifact, calibration: map } };
  const holdout = outcome.artifact === null
    ? { holdout: null, skipped: "no model was fitted on all samples" }
    : evaluateHoldout(samples, hyperparameters.holdout_fraction, fitOptions);
  const fit = outcome.fit;
  return {
    telemetry: samples.telemetry,
    samples_used: samples.rows,
    extra_values_count: samples.extraValues,
    class_balance: { wins: samples.wins, losses: samples.rows - samples.wins },
    fit: fit === null ? null : { iterations: fit.iterations, final_loss: fit.loss, final_log_loss: fit.logLoss, converged: fit.converged },
    holdout: holdout.holdout,
    holdout_skipped_reason: holdout.skipped,
    artifact: outcome.artifact,
    failure: outcome.failure,
    hyperparameters,
    evaluation,
    transformed_std: outcome.transform === null ? null : transformedStd(samples, outcome.transform),
    probe_rows: probeRows(samples),
  };
}

function transformedStd(samples: EnsembleSamples, transform: EnsembleTransform): number[] {
  const d = ENSEMBLE_FEATURES.length;
  const t = applyTransform(transform, samples.x, d);
  return Array.from({ length: d }, (_, j) => {
    let sum = 0;
    for (let i = 0; i < samples.rows; i++) sum += t[i * d + j]!;
    const mean = sum / samples.rows;
    let squares = 0;
    for (let i = 0; i < samples.rows; i++) squares += (t[i * d + j]! - mean) ** 2;
    return Math.sqrt(squares / samples.rows);
  });
}

function probeRows(samples: EnsembleSamples): number[][] {
  const d = ENSEMBLE_FEATURES.length;
  return Array.from({ length: Math.min(samples.rows, 1000) }, (_, i) => Array.from(samples.x.subarray(i * d, i * d + d)));
}

/** Evaluation needs a date on every row; a dateless one (upstream never passes it) skips it with the reason. */
function evaluateSamples(samples: EnsembleSamples, options: EvaluationOptions): EnsembleEvaluation {
  const dateless = samples.dates.filter((d) => d === null).length;
  const dates = samples.dates.map((d) => d ?? "");
  const evaluation = evaluateEnsemble({ x: samples.x, y: samples.y, rows: dateless > 0 ? 0 : samples.rows, dates: dateless > 0 ? [] : dates }, options);
  return dateless > 0 ? { ...evaluation, rows: samples.rows, skipped_reason: `${dateless} samples have no date` } : evaluation;
}
