import { UsageError } from "../../errors.js";
import type { Pick } from "../../store/normalize.js";
import type { ModelTelemetry } from "../telemetry.js";
import type { EnsembleArtifact } from "./artifact.js";
import { fitEnsemble } from "./fit-ensemble.js";
import { evaluateHoldout, type EnsembleHoldout } from "./holdout.js";
import { collectSamples } from "./samples.js";

export { ENSEMBLE_DROP_REASONS, ENSEMBLE_FEATURES, ENSEMBLE_LABEL } from "./definition.js";

export interface EnsembleTrainOptions {
  /** Inverse regularisation strength, as scikit-learn's C (default 1). */
  C?: number;
  /** Newton iterations before giving up (default 100). */
  maxIterations?: number;
  /** Share of the latest distinct dates held out (default 0.2; 0 turns the holdout off). */
  holdoutFraction?: number;
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
  hyperparameters: { C: number; max_iterations: number; tolerance: number; holdout_fraction: number };
}

/** The Newton step below which the fit counts as converged (see fitLogistic). */
export const ENSEMBLE_TOLERANCE = 1e-10;

function resolveOptions(options: EnsembleTrainOptions): EnsembleTrainingResult["hyperparameters"] {
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
  const hyperparameters = resolveOptions(options);
  const samples = collectSamples(picks);
  const fitOptions = { C: hyperparameters.C, maxIterations: hyperparameters.max_iterations, tolerance: hyperparameters.tolerance };
  const outcome = fitEnsemble(samples.x, samples.y, samples.rows, fitOptions);
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
  };
}
