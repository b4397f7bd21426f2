import { logLoss } from "../metrics/binary.js";
import { applyCalibration, fitIsotonic, fitPlatt, type CalibrationMap } from "../models/calibration/calibration.js";
import { gather, predictedRows, type CrossValidation } from "./cross-validate.js";

import type { CalibrationChoice } from "./choices.js";

export { CALIBRATION_CHOICES, type CalibrationChoice } from "./choices.js";
export type CalibrationMethod = Exclude<CalibrationChoice, "auto">;
const METHODS: readonly CalibrationMethod[] = ["none", "platt", "isotonic"];

export interface CalibrationCandidate {
  method: CalibrationMethod;
  /** Log loss of the cross-fitted calibrated predictions on the scored rows; null when it could not be fitted. */
  log_loss: number | null;
  /** Whether `auto` may choose it. */
  eligible: boolean;
  reason: string | null;
}

export interface CalibrationSelection {
  requested: CalibrationChoice;
  chosen: CalibrationMethod;
  /** The map saved with the model: fitted on every out-of-fold prediction. Null for `none`. */
  map: CalibrationMap | null;
  candidates: CalibrationCandidate[];
  /** Rows of folds 2.. whose calibrated probability was predicted by a map fitted on earlier folds only. */
  scoredRows: number[];
  /** The chosen method's cross-fitted probability per row (NaN off the scored rows). */
  calibrated: Float64Array;
  isotonic_min_samples: number;
}

function fitMap(method: CalibrationMethod, probs: Float64Array, labels: Uint8Array): CalibrationMap | null {
  if (method === "none") return null;
  return method === "platt" ? fitPlatt(probs, labels) : fitIsotonic(probs, labels);
}

function bothClasses(labels: Uint8Array): boolean {
  let hits = 0;
  for (const y of labels) hits += y;
  return hits > 0 && hits < labels.length;
}

/**
 * Calibration judged without peeking: for each fold from the second on, a map is fitted on the
 * out-of-fold predictions of the earlier folds only and applied to this fold's, so each method's log
 * loss is measured on predictions its map never saw. `auto` keeps the lowest (isotonic only when the
 * out-of-fold rows reach `isotonicMinSamples`; a tie keeps the simpler method). The saved map is then
 * fitted on every out-of-fold prediction.
 */
export function chooseCalibration(cv: CrossValidation, y: Uint8Array, requested: CalibrationChoice, isotonicMinSamples: number): CalibrationSelection {
  const fits = cv.fits.filter((f) => f.failure === null);
  const scoredRows = predictedRows(cv, 2);
  const allRows = predictedRows(cv);
  const foldOf = new Int32Array(y.length);
  for (const fit of fits) for (const row of fit.fold.validation) foldOf[row] = fit.fold.fold;
  const crossFitted = new Map<CalibrationMethod, Float64Array | string>();
  for (const method of METHODS) {
    const out = new Float64Array(y.length).fill(NaN);
    let failure: string | null = null;
    for (const fit of fits) {
      if (fit.fold.fold < 2) continue;
      const earlier = allRows.filter((row) => foldOf[row]! < fit.fold.fold);
      const before = gather(y, cv.oof, earlier);
      if (method !== "none" && !bothClasses(before.labels)) {
        failure = `the folds before fold ${fit.fold.fold} hold only one class`;
        break;
      }
      const map = fitMap(method, before.probs, before.labels);
      for (const row of fit.fold.validation) out[row] = map === null ? cv.oof[row]! : applyCalibration(map, cv.oof[row]!);
    }
    crossFitted.set(method, failure ?? out);
  }
  const candidates = METHODS.map((method): CalibrationCandidate => {
    const result = crossFitted.get(method)!;
    if (typeof result === "string") return { method, log_loss: null, eligible: false, reason: result };
    const loss = scoredRows.length === 0 ? null : logLoss(...pairOf(y, result, scoredRows));
    if (loss === null) return { method, log_loss: null, eligible: false, reason: "no fold after the first has predictions" };
    if (method === "isotonic" && allRows.length < isotonicMinSamples) {
      return { method, log_loss: loss, eligible: false, reason: `${allRows.length} out-of-fold rows, below the isotonic minimum of ${isotonicMinSamples}` };
    }
    return { method, log_loss: loss, eligible: true, reason: null };
  });
  let chosen: CalibrationMethod = requested === "auto" ? "none" : requested;
  if (requested === "auto") {
    let best = Infinity;
    for (const c of candidates) if (c.eligible && c.log_loss! < best) [best, chosen] = [c.log_loss!, c.method];
  }
  const all = gather(y, cv.oof, allRows);
  const map = chosen !== "none" && bothClasses(all.labels) ? fitMap(chosen, all.probs, all.labels) : null;
  const picked = crossFitted.get(chosen)!;
  return {
    requested,
    chosen: map === null ? "none" : chosen,
    map,
    candidates,
    scoredRows,
    calibrated: typeof picked === "string" ? cv.oof : picked,
    isotonic_min_samples: isotonicMinSamples,
  };
}

function pairOf(y: Uint8Array, probs: Float64Array, rows: number[]): [Uint8Array, Float64Array] {
  const g = gather(y, probs, rows);
  return [g.labels, g.probs];
}
