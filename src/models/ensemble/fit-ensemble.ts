import type { EnsembleArtifact } from "./artifact.js";
import { ENSEMBLE_FEATURES, ENSEMBLE_LABEL } from "./definition.js";
import { fitLogistic, type LogisticFit } from "./logistic-regression.js";
import { applyTransform, chooseTransform, type EnsembleTransform } from "./transform.js";

export interface EnsembleFitOptions {
  C: number;
  maxIterations: number;
  tolerance: number;
  /** Force the transform's kind instead of choosing it from these rows. */
  transformKind?: EnsembleTransform["kind"];
}

export interface EnsembleFitOutcome {
  transform: EnsembleTransform | null;
  fit: LogisticFit | null;
  /** Null when the rows cannot be fitted or the fit did not converge; `failure` says why. */
  artifact: EnsembleArtifact | null;
  failure: string | null;
}

/**
 * Chooses the transform from these rows, applies it and fits the regression. `x` is row-major
 * `rows × 4` raw values, `y` is 0/1. No artifact comes back from zero rows, a single class (the
 * optimum would be an infinite intercept), non-finite transformed values, or a fit that did not converge.
 */
export function fitEnsemble(x: Float64Array, y: Uint8Array, rows: number, options: EnsembleFitOptions): EnsembleFitOutcome {
  const none = { transform: null, fit: null, artifact: null };
  if (rows === 0) return { ...none, failure: "no training samples: every eligible pick was dropped or none was eligible" };
  let wins = 0;
  for (let i = 0; i < rows; i++) wins += y[i]!;
  if (wins === 0 || wins === rows) {
    const only = wins === 0 ? "LOSS" : "WIN";
    return { ...none, failure: `only one class: all ${rows} training samples are ${only}, and logistic regression needs both wins and losses` };
  }
  const columns = ENSEMBLE_FEATURES.length;
  const transform = chooseTransform(x, rows, columns, options.transformKind);
  const transformed = applyTransform(transform, x, columns);
  if (!transformed.every(Number.isFinite)) {
    return { ...none, transform, failure: "the standardised features are not finite (values too large to standardise)" };
  }
  const fit = fitLogistic({ x: transformed, y, rows, columns }, options);
  if (!fit.converged) return { transform, fit, artifact: null, failure: `logistic regression ${fit.stopReason ?? "did not converge"}` };
  const artifact: EnsembleArtifact = {
    model: "ensemble",
    artifact_version: 1,
    feature_names: [...ENSEMBLE_FEATURES],
    transform,
    coefficients: fit.coefficients,
    intercept: fit.intercept,
    C: options.C,
    calibration: null,
    ...ENSEMBLE_LABEL,
  };
  return { transform, fit, artifact, failure: null };
}
