import { MODEL_PREDS_LENGTH, type Pick } from "../../store/normalize.js";
import { ModelFilterCounter, type ModelTelemetry } from "../telemetry.js";
import { ENSEMBLE_DROP_REASONS, ENSEMBLE_FEATURES } from "./definition.js";

/** The ensemble's training rows, in the order the picks came. */
export interface EnsembleSamples {
  /** Row-major `rows × 4`: the first four upstream values, untransformed. */
  x: Float64Array;
  /** 1 for WIN, 0 for LOSS. */
  y: Uint8Array;
  rows: number;
  /** ET date of each row's pick (null only if upstream let a dateless pick through). */
  dates: (string | null)[];
  /** Rows whose pick carried more than four values (the first four were used). */
  extraValues: number;
  wins: number;
  telemetry: ModelTelemetry;
}

/**
 * Turns upstream-eligible picks into labelled rows, dropping in SPEC 5's order: no model_preds, fewer
 * than four values, a non-finite number among the first four, then PUSH. Upstream passes only WIN, LOSS
 * and PUSH; any other result is a caller's bug, not a drop, and throws.
 */
export function collectSamples(picks: readonly Pick[]): EnsembleSamples {
  const counter = new ModelFilterCounter(ENSEMBLE_DROP_REASONS);
  const x = new Float64Array(picks.length * MODEL_PREDS_LENGTH);
  const y = new Uint8Array(picks.length);
  const dates: (string | null)[] = [];
  let rows = 0;
  let extraValues = 0;
  let wins = 0;
  for (const pick of picks) {
    counter.seen();
    const preds = pick.preds;
    if (preds.status === "missing") counter.drop("drop_no_model_preds");
    else if (preds.status === "insufficient") counter.drop("drop_insufficient_values");
    else if (preds.status === "bad") counter.drop("drop_bad_values");
    else if (pick.result === "PUSH") counter.drop("drop_push_excluded");
    else if (pick.result === "WIN" || pick.result === "LOSS") {
      counter.use();
      x.set(preds.values, rows * MODEL_PREDS_LENGTH);
      const hit = pick.result === "WIN" ? 1 : 0;
      y[rows] = hit;
      wins += hit;
      dates.push(pick.date);
      if (preds.length > MODEL_PREDS_LENGTH) extraValues += 1;
      rows += 1;
    } else {
      throw new Error(`ensemble: pick ${pick.pickId} reached the model with result ${String(pick.result)}; upstream passes only WIN, LOSS and PUSH`);
    }
  }
  return {
    x: x.slice(0, rows * MODEL_PREDS_LENGTH),
    y: y.slice(0, rows),
    rows,
    dates,
    extraValues,
    wins,
    telemetry: counter.telemetry(),
  };
}

/** The rows at `indices`, in that order, as a new matrix and label vector. */
export function takeRows(samples: { x: Float64Array; y: Uint8Array }, indices: readonly number[]): { x: Float64Array; y: Uint8Array; wins: number } {
  const d = ENSEMBLE_FEATURES.length;
  const x = new Float64Array(indices.length * d);
  const y = new Uint8Array(indices.length);
  let wins = 0;
  indices.forEach((row, k) => {
    x.set(samples.x.subarray(row * d, row * d + d), k * d);
    y[k] = samples.y[row]!;
    wins += y[k]!;
  });
  return { x, y, wins };
}
