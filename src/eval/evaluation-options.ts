import type { EvaluationConfig } from "../config/config-schema.js";
import { UsageError } from "../errors.js";
import { CALIBRATION_CHOICES, type CalibrationChoice } from "./choose-calibration.js";
import type { EvaluationOptions } from "./evaluate-ensemble.js";
import { DEFAULT_C_GRID, type SearchKind } from "./tuning.js";

export const EVALUATION_DEFAULTS = {
  folds: 5,
  embargoDays: 1,
  calibration: "auto" as CalibrationChoice,
  search: "grid" as Exclude<SearchKind, "fixed">,
  trials: 20,
  isotonicMinSamples: 1000,
};

/** What the user asked for on the command line (already parsed into numbers). */
export interface EvaluationRequest {
  folds?: number;
  embargoDays?: number;
  calibration?: string;
  search?: string;
  trials?: number;
  /** A C given by the user fixes it: no search. */
  C?: number;
}

export type ResolvedEvaluation = Omit<EvaluationOptions, "C" | "maxIterations" | "tolerance"> & { C: number | undefined };

/** Flags over the configuration file over the defaults; contradictions are usage errors. */
export function resolveEvaluation(request: EvaluationRequest, config: EvaluationConfig | undefined, seed: number): ResolvedEvaluation {
  const calibration = request.calibration ?? config?.calibration ?? EVALUATION_DEFAULTS.calibration;
  if (!(CALIBRATION_CHOICES as readonly string[]).includes(calibration)) {
    throw new UsageError(`--calibration must be one of ${CALIBRATION_CHOICES.join(", ")}, got ${calibration}`);
  }
  if (request.search !== undefined && request.search !== "grid" && request.search !== "random") {
    throw new UsageError(`--search must be grid or random, got ${request.search}`);
  }
  if (request.C !== undefined && request.search !== undefined) {
    throw new UsageError(`--C fixes the regularisation strength and --search ${request.search} searches for it: give one of them`);
  }
  if (request.trials !== undefined && request.search !== "random") throw new UsageError("--trials counts the draws of --search random");
  const search: SearchKind = request.C !== undefined ? "fixed" : ((request.search as SearchKind | undefined) ?? config?.search ?? EVALUATION_DEFAULTS.search);
  return {
    folds: request.folds ?? config?.folds ?? EVALUATION_DEFAULTS.folds,
    embargoDays: request.embargoDays ?? config?.embargo_days ?? EVALUATION_DEFAULTS.embargoDays,
    calibration: calibration as CalibrationChoice,
    search,
    trials: request.trials ?? config?.trials ?? EVALUATION_DEFAULTS.trials,
    seed,
    grid: config?.c_grid ?? DEFAULT_C_GRID,
    isotonicMinSamples: config?.isotonic_min_samples ?? EVALUATION_DEFAULTS.isotonicMinSamples,
    C: request.C,
  };
}
