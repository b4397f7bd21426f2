import { UsageError } from "../errors.js";
import { Rng } from "../fixtures/random.js";
import { logLoss } from "../metrics/binary.js";
import type { EnsembleFitOptions } from "../models/ensemble/fit-ensemble.js";
import { crossValidate, gather, predictedRows, type CrossValidation, type DatedSamples } from "./cross-validate.js";
import type { DateFold } from "./folds.js";

import type { SearchKind } from "./choices.js";

export { SEARCH_KINDS, type SearchKind } from "./choices.js";

/** Regularisation strengths the grid tries, weakest penalty last. */
export const DEFAULT_C_GRID = [0.001, 0.01, 0.1, 1, 10, 100];
/** The random search draws log10(C) uniformly from this interval. */
export const RANDOM_LOG10_C = [-3, 3] as const;

export interface TuningTrial {
  trial: number;
  C: number;
  /** Out-of-fold log loss over every validated row; null when a fold could not be fitted. */
  log_loss: number | null;
  rows: number;
  failed_folds: number;
}

export interface Tuning {
  search: SearchKind;
  seed: number;
  trials: TuningTrial[];
  chosen_C: number;
}

export interface SearchOptions {
  search: SearchKind;
  /** Random search: how many values to draw. */
  trials: number;
  seed: number;
  grid: readonly number[];
  /** Fixed: the one C to use. */
  C: number;
}

/** The C values to try, in the order they are tried (seeded: the same seed draws the same values). */
export function candidateCs(options: SearchOptions): number[] {
  if (options.search === "fixed") return [options.C];
  if (options.search === "grid") {
    if (options.grid.length === 0 || !options.grid.every((c) => Number.isFinite(c) && c > 0)) {
      throw new UsageError(`the C grid must hold positive numbers, got [${options.grid.join(", ")}]`);
    }
    return [...options.grid];
  }
  if (!(Number.isInteger(options.trials) && options.trials >= 1)) throw new UsageError(`--trials must be a whole number of at least 1, got ${options.trials}`);
  const rng = Rng.derive(options.seed, "ensemble-C-search");
  const [lo, hi] = RANDOM_LOG10_C;
  // Six significant digits: the table stays readable and the value saved is the value scored.
  return Array.from({ length: options.trials }, () => Number((10 ** rng.float(lo, hi)).toPrecision(6)));
}

/**
 * Scores every candidate C by out-of-fold log loss on the same folds and keeps the lowest (the first
 * one on a tie). Returns the table and the chosen C's cross-validation, or null when no candidate
 * could be fitted on every fold.
 */
export function tuneC(
  samples: DatedSamples,
  folds: readonly DateFold[],
  options: SearchOptions,
  fit: Omit<EnsembleFitOptions, "C">,
): { tuning: Tuning; cv: CrossValidation | null } {
  const trials: TuningTrial[] = [];
  let best: { C: number; loss: number; cv: CrossValidation } | null = null;
  candidateCs(options).forEach((C, k) => {
    const cv = crossValidate(samples, folds, { ...fit, C });
    const failed = cv.fits.filter((f) => f.failure !== null).length;
    const rows = predictedRows(cv);
    const loss = failed === 0 && rows.length > 0 ? logLoss(...pair(samples, cv, rows)) : null;
    trials.push({ trial: k + 1, C, log_loss: loss, rows: rows.length, failed_folds: failed });
    if (loss !== null && (best === null || loss < best.loss)) best = { C, loss, cv };
  });
  const chosen = best as { C: number; loss: number; cv: CrossValidation } | null;
  return { tuning: { search: options.search, seed: options.seed, trials, chosen_C: chosen?.C ?? options.C }, cv: chosen?.cv ?? null };
}

function pair(samples: DatedSamples, cv: CrossValidation, rows: number[]): [Uint8Array, Float64Array] {
  const { labels, probs } = gather(samples.y, cv.oof, rows);
  return [labels, probs];
}
