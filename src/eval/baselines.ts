import { ENSEMBLE_FEATURES } from "../models/ensemble/definition.js";
import type { CrossValidation, DatedSamples } from "./cross-validate.js";

/** A simpler predictor scored beside the ensemble on the same rows. */
export interface BaselinePredictor {
  name: string;
  description: string;
  /** A probability per sample row (NaN where the baseline has none). */
  probs: Float64Array;
}

/** Columns whose every value is a probability (in [0, 1]): those can be scored as they are. */
export function probabilityColumns(samples: DatedSamples): number[] {
  const d = ENSEMBLE_FEATURES.length;
  const columns: number[] = [];
  for (let j = 0; j < d; j++) {
    let ok = samples.rows > 0;
    for (let i = 0; i < samples.rows && ok; i++) {
      const v = samples.x[i * d + j]!;
      ok = v >= 0 && v <= 1;
    }
    if (ok) columns.push(j);
  }
  return columns;
}

/**
 * The baselines of the evaluation: the base rate (each fold's training hit rate, the best constant a
 * model could know), each upstream value that is a probability, and the plain average of those.
 */
export function baselinePredictors(samples: DatedSamples, cv: CrossValidation): BaselinePredictor[] {
  const d = ENSEMBLE_FEATURES.length;
  const baseRate = new Float64Array(samples.rows).fill(NaN);
  for (const fit of cv.fits) for (const i of fit.fold.validation) baseRate[i] = fit.trainHitRate;
  const out: BaselinePredictor[] = [{ name: "base_rate", description: "each fold's training hit rate for every pick", probs: baseRate }];
  const columns = probabilityColumns(samples);
  for (const j of columns) {
    const probs = new Float64Array(samples.rows);
    for (let i = 0; i < samples.rows; i++) probs[i] = samples.x[i * d + j]!;
    out.push({ name: `upstream_${ENSEMBLE_FEATURES[j]}`, description: `the upstream ${ENSEMBLE_FEATURES[j]} probability as it is`, probs });
  }
  if (columns.length >= 2) {
    const probs = new Float64Array(samples.rows);
    for (let i = 0; i < samples.rows; i++) {
      let sum = 0;
      for (const j of columns) sum += samples.x[i * d + j]!;
      probs[i] = sum / columns.length;
    }
    out.push({ name: "upstream_average", description: `the plain average of ${columns.map((j) => ENSEMBLE_FEATURES[j]).join(", ")}`, probs });
  }
  return out;
}
