import { metricReport, type MetricReport } from "../metrics/report.js";
import { ENSEMBLE_FEATURES } from "../models/ensemble/definition.js";
import type { EnsembleFitOptions } from "../models/ensemble/fit-ensemble.js";
import { chooseTransform } from "../models/ensemble/transform.js";
import { baselinePredictors } from "./baselines.js";
import { chooseCalibration, type CalibrationCandidate, type CalibrationChoice, type CalibrationMethod } from "./choose-calibration.js";
import { gather, predictedRows, type DatedSamples } from "./cross-validate.js";
import { checkFoldOptions, dateFolds, type DateRange } from "./folds.js";
import type { CalibrationMap } from "../models/calibration/calibration.js";
import { tuneC, type SearchKind, type Tuning } from "./tuning.js";

export interface EvaluationOptions {
  folds: number;
  embargoDays: number;
  calibration: CalibrationChoice;
  search: SearchKind;
  trials: number;
  seed: number;
  /** The C of a fixed search (and the fallback when tuning finds nothing). */
  C: number;
  grid: readonly number[];
  isotonicMinSamples: number;
  maxIterations: number;
  tolerance: number;
}

export interface FoldReport {
  fold: number;
  train: Omit<DateRange, "first" | "last"> & { first_date: string; last_date: string };
  validation: Omit<DateRange, "first" | "last"> & { first_date: string; last_date: string };
  embargoed_dates: number;
  embargoed_rows: number;
  leakage_check: "passed";
  train_hit_rate: number;
  newton_iterations: number | null;
  failure: string | null;
  /** The chosen C's uncalibrated predictions on this fold's validation rows. */
  metrics: MetricReport | null;
}

export interface BaselineReport {
  name: string;
  description: string;
  metrics: MetricReport;
}

export interface EnsembleEvaluation {
  rows: number;
  date_range: { first: string; last: string; dates: number } | null;
  class_balance: { wins: number; losses: number };
  transform_kind: "logit" | "standardize" | null;
  options: {
    folds: number;
    embargo_days: number;
    calibration: CalibrationChoice;
    search: SearchKind;
    trials: number;
    seed: number;
    isotonic_min_samples: number;
  };
  /** Why no evaluation could be made (too few dates, no fold could be fitted), or null. */
  skipped_reason: string | null;
  folds: FoldReport[];
  tuning: Tuning | null;
  /** The chosen C's uncalibrated out-of-fold predictions over every fold. */
  out_of_fold: MetricReport | null;
  /**
   * The headline comparison, on the rows of folds 2.. (whose calibration map was fitted on earlier
   * folds only): the ensemble as it will be used (chosen C, chosen calibration) against the baselines.
   */
  comparison: {
    from_fold: number;
    rows: number;
    ensemble: MetricReport;
    uncalibrated: MetricReport;
    baselines: BaselineReport[];
    best_baseline: string;
    /** Best baseline's log loss minus the ensemble's: positive when the ensemble is better. */
    log_loss_improvement: number;
    beats_best_baseline: boolean;
  } | null;
  calibration: {
    requested: CalibrationChoice;
    chosen: CalibrationMethod;
    candidates: CalibrationCandidate[];
    map: CalibrationMap | null;
    isotonic_min_samples: number;
  } | null;
}

const rangeReport = (r: DateRange) => ({ first_date: r.first, last_date: r.last, dates: r.dates, rows: r.rows });

/**
 * The ensemble's evaluation on its own samples, by date and never by row: expanding-window folds with
 * an embargo (each checked by the leakage guard), a seeded search for C scored by out-of-fold log loss,
 * calibration chosen on out-of-fold predictions only, and the baselines on the same rows. Pure: no I/O.
 */
export function evaluateEnsemble(samples: DatedSamples, options: EvaluationOptions): EnsembleEvaluation {
  checkFoldOptions(options);
  let wins = 0;
  for (let i = 0; i < samples.rows; i++) wins += samples.y[i]!;
  const distinct = [...new Set(samples.dates)].sort();
  const base: EnsembleEvaluation = {
    rows: samples.rows,
    date_range: distinct.length === 0 ? null : { first: distinct[0]!, last: distinct[distinct.length - 1]!, dates: distinct.length },
    class_balance: { wins, losses: samples.rows - wins },
    transform_kind: null,
    options: {
      folds: options.folds,
      embargo_days: options.embargoDays,
      calibration: options.calibration,
      search: options.search,
      trials: options.search === "random" ? options.trials : options.search === "grid" ? options.grid.length : 1,
      seed: options.seed,
      isotonic_min_samples: options.isotonicMinSamples,
    },
    skipped_reason: null,
    folds: [],
    tuning: null,
    out_of_fold: null,
    comparison: null,
    calibration: null,
  };
  if (samples.rows === 0) return { ...base, skipped_reason: "no samples to evaluate" };
  const folds = dateFolds(samples.dates, options);
  if (typeof folds === "string") return { ...base, skipped_reason: folds };
  const transformKind = chooseTransform(samples.x, samples.rows, ENSEMBLE_FEATURES.length).kind;
  const fit: Omit<EnsembleFitOptions, "C"> = { maxIterations: options.maxIterations, tolerance: options.tolerance, transformKind };
  const { tuning, cv } = tuneC(samples, folds, options, fit);
  const evaluated = { ...base, transform_kind: transformKind, tuning };
  if (cv === null) {
    return { ...evaluated, skipped_reason: "no value of C could be fitted on every fold (a fold's training dates hold one class, or the fit did not converge)" };
  }
  const foldReports = cv.fits.map((f): FoldReport => {
    const rows = f.failure === null ? f.fold.validation : [];
    const { labels, probs } = gather(samples.y, cv.oof, rows);
    return {
      fold: f.fold.fold,
      train: rangeReport(f.fold.trainRange),
      validation: rangeReport(f.fold.validationRange),
      embargoed_dates: f.fold.embargoedDates,
      embargoed_rows: f.fold.embargoedRows,
      leakage_check: "passed",
      train_hit_rate: f.trainHitRate,
      newton_iterations: f.iterations,
      failure: f.failure,
      metrics: rows.length === 0 ? null : metricReport(labels, probs),
    };
  });
  const all = gather(samples.y, cv.oof, predictedRows(cv));
  const selection = chooseCalibration(cv, samples.y, options.calibration, options.isotonicMinSamples);
  const calibration = {
    requested: selection.requested,
    chosen: selection.chosen,
    candidates: selection.candidates,
    map: selection.map,
    isotonic_min_samples: selection.isotonic_min_samples,
  };
  const scored = selection.scoredRows;
  if (scored.length === 0) {
    return { ...evaluated, folds: foldReports, out_of_fold: metricReport(all.labels, all.probs), calibration, skipped_reason: "no fold after the first has predictions to compare" };
  }
  const score = (probs: Float64Array) => {
    const g = gather(samples.y, probs, scored);
    return metricReport(g.labels, g.probs);
  };
  const baselines = baselinePredictors(samples, cv).map((b) => ({ name: b.name, description: b.description, metrics: score(b.probs) }));
  const ensemble = score(selection.calibrated);
  const best = baselines.reduce((a, b) => (b.metrics.log_loss < a.metrics.log_loss ? b : a));
  const improvement = best.metrics.log_loss - ensemble.log_loss;
  return {
    ...evaluated,
    folds: foldReports,
    out_of_fold: metricReport(all.labels, all.probs),
    comparison: {
      from_fold: 2,
      rows: scored.length,
      ensemble,
      uncalibrated: score(cv.oof),
      baselines,
      best_baseline: best.name,
      log_loss_improvement: improvement,
      beats_best_baseline: improvement > 0,
    },
    calibration,
  };
}
